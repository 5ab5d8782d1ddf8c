"""Year-end validation: the consultora judges each iniciativa; SUBDERE ratifies or returns it."""

import pytest
from django.urls import reverse
from django.utils import timezone

from bitacora.models import Evento
from compromisos.models import InformeAvance, MedioVerificacion
from tests.conftest import cliente, crear_informe
from validacion.models import ValidacionIniciativa, ValidacionServicio
from validacion.services import revision_transicionar
from validacion.validacion_final import resultado_del_servicio

pytestmark = pytest.mark.django_db

URLS_PROBADAS = {
    "validacion:servicio_validar",
    "validacion:iniciativa_validar",
    "validacion:validacion_accion",
}


@pytest.fixture
def final_aprobado(formulacion_osorno, encargado, analista):
    informe = crear_informe(formulacion_osorno, InformeAvance.Periodo.FINAL)
    informe = revision_transicionar(objeto=informe, accion="enviar", usuario=encargado)
    informe = revision_transicionar(objeto=informe, accion="tomar", usuario=analista)
    return revision_transicionar(objeto=informe, accion="aprobar", usuario=analista)


def validar(
    c, compromiso, resultado="cumple", fundamento="Convenio firmado y publicado.", medios=()
):
    return c.post(
        reverse("validacion:iniciativa_validar", args=[compromiso.pk]),
        {"resultado": resultado, "fundamento": fundamento, "medios": [m.pk for m in medios]},
        follow=True,
    )


def accion(c, formulacion, nombre, **datos):
    return c.post(
        reverse("validacion:validacion_accion", args=[formulacion.pk, nombre]), datos, follow=True
    )


@pytest.mark.parametrize(
    ("resultados", "esperado"),
    [
        (["cumple", "cumple"], "cumple"),
        (["cumple", "no_cumple"], "parcial"),
        (["parcial"], "parcial"),
        (["no_cumple", "no_cumple"], "no_cumple"),
    ],
)
def test_el_resultado_del_servicio_sigue_a_sus_iniciativas(resultados, esperado):
    assert resultado_del_servicio(resultados) == esperado


def test_ciclo_completo_de_validacion(final_aprobado, consultora, analista):
    formulacion = final_aprobado.formulacion
    c_consultora, c_analista = cliente(consultora), cliente(analista)
    c1, c2 = formulacion.compromisos.order_by("codigo")
    medio = final_aprobado.avances.get(compromiso=c1).medios.get()
    pagina = c_consultora.get(
        reverse("validacion:servicio_validar", args=[formulacion.pk])
    ).content.decode()
    assert "0 de 2 iniciativas validadas" in pagina

    validar(c_consultora, c1, medios=[medio])
    respuesta = accion(c_consultora, formulacion, "enviar")
    assert "Faltan iniciativas por validar: C02" in respuesta.content.decode()
    validar(c_consultora, c2, resultado="no_cumple", fundamento="No hay acta de la mesa técnica.")
    assert (
        "2 de 2 iniciativas validadas"
        in accion(c_consultora, formulacion, "enviar").content.decode()
    )
    validacion = ValidacionServicio.objects.get(formulacion=formulacion)
    assert validacion.estado == "enviada"
    assert list(c1.validacion.medios_examinados.all()) == [medio]
    # What waits on the analista, on its home.
    assert "Ratificar o devolver la validación" in c_analista.get("/").content.decode()

    # Returned, corrected, sent again, ratified, registered in DIPRES.
    accion(
        c_analista, formulacion, "devolver", comentario="Revise C02: el acta está en el avance 3."
    )
    validacion.refresh_from_db()
    assert validacion.estado == "devuelta"
    validar(c_consultora, c2, resultado="cumple", fundamento="El acta está en el avance 3.")
    accion(c_consultora, formulacion, "enviar")
    accion(c_analista, formulacion, "ratificar")
    validacion.refresh_from_db()
    assert (validacion.estado, validacion.resultado, validacion.ratificada_por) == (
        "ratificada",
        "cumple",
        analista,
    )
    inicio = c_analista.get("/").content.decode()
    assert "Registrar el resultado en DIPRES" in inicio
    assert "Ratificar o devolver la validación" not in inicio
    # Registered the day of the ratification: the date can be neither later than today
    # nor earlier than the ratification (see test_guardas.py).
    hoy = timezone.localdate().isoformat()
    accion(c_analista, formulacion, "dipres", fecha=hoy)
    validacion.refresh_from_db()
    assert (
        str(validacion.registrada_dipres_en) == hoy and validacion.registrada_dipres_por == analista
    )
    assert (
        f"Validación final {formulacion.proceso.anio}" not in c_analista.get("/").content.decode()
    )
    acciones = list(
        Evento.objects.filter(accion__startswith="validacion.")
        .order_by("momento", "pk")
        .values_list("accion", flat=True)
    )
    assert acciones == [
        "validacion.enviada",
        "validacion.devuelta",
        "validacion.enviada",
        "validacion.ratificada",
        "validacion.registrar_dipres",
    ]


def test_no_se_valida_antes_del_informe_final_aprobado(formulacion_osorno, consultora):
    respuesta = validar(cliente(consultora), formulacion_osorno.compromisos.first())
    assert "cuando SUBDERE aprueba el informe final" in respuesta.content.decode()
    assert not ValidacionServicio.objects.exists()


def test_fundamento_obligatorio(final_aprobado, consultora):
    respuesta = validar(
        cliente(consultora), final_aprobado.formulacion.compromisos.first(), fundamento=" "
    )
    assert "Escriba el fundamento" in respuesta.content.decode()


def test_medio_de_otra_iniciativa_no_cuenta_como_examinado(final_aprobado, consultora):
    c1, c2 = final_aprobado.formulacion.compromisos.order_by("codigo")
    ajeno = final_aprobado.avances.get(compromiso=c2).medios.get()
    validar(cliente(consultora), c1, medios=[ajeno])
    assert not c1.validacion.medios_examinados.exists()


class TestPermisos:
    def test_consultora_de_otro_servicio_recibe_404(
        self, final_aprobado, informe_llanquihue, consultora
    ):
        otra = informe_llanquihue.formulacion
        assert (
            cliente(consultora)
            .get(reverse("validacion:servicio_validar", args=[otra.pk]))
            .status_code
            == 404
        )
        respuesta = cliente(consultora).post(
            reverse("validacion:iniciativa_validar", args=[otra.compromisos.first().pk])
        )
        assert respuesta.status_code == 404

    @pytest.mark.parametrize("persona", ["analista", "jefatura", "encargado"])
    def test_solo_la_consultora_valida_iniciativas(self, request, final_aprobado, persona):
        compromiso = final_aprobado.formulacion.compromisos.first()
        respuesta = cliente(request.getfixturevalue(persona)).post(
            reverse("validacion:iniciativa_validar", args=[compromiso.pk]),
            {"resultado": "cumple", "fundamento": "x"},
        )
        assert respuesta.status_code == 403

    @pytest.mark.parametrize("persona", ["consultora", "jefatura", "encargado"])
    def test_solo_el_analista_ratifica(self, request, final_aprobado, persona):
        url = reverse(
            "validacion:validacion_accion", args=[final_aprobado.formulacion.pk, "ratificar"]
        )
        # The validation is not sent, but the role is refused before anything else.
        assert cliente(request.getfixturevalue(persona)).post(url).status_code == 403

    def test_todos_los_que_ven_pueden_leer(self, final_aprobado, jefatura, encargado):
        url = reverse("validacion:servicio_validar", args=[final_aprobado.formulacion.pk])
        for usuario in (jefatura, encargado):
            assert cliente(usuario).get(url).status_code == 200

    def test_accion_desconocida_y_get(self, final_aprobado, analista):
        c = cliente(analista)
        assert (
            c.post(
                reverse(
                    "validacion:validacion_accion", args=[final_aprobado.formulacion.pk, "borrar"]
                )
            ).status_code
            == 404
        )
        assert (
            c.get(
                reverse(
                    "validacion:validacion_accion",
                    args=[final_aprobado.formulacion.pk, "ratificar"],
                )
            ).status_code
            == 405
        )


def test_pagina_de_validacion_no_crece_con_las_iniciativas(
    osorno, proceso, encargado, analista, consultora, django_assert_num_queries
):
    from compromisos.models import Proceso
    from servicios.models import Cartera
    from tests.conftest import crear_formulacion

    c = cliente(consultora)
    for compromisos, anio in ((2, 2026), (7, 2027)):
        Cartera.objects.get_or_create(
            anio=anio, rol="consultora", usuario=consultora, servicio=osorno
        )
        formulacion = crear_formulacion(
            osorno, Proceso.objects.get_or_create(anio=anio)[0], compromisos
        )
        crear_informe(formulacion, "avance_1", medios_por_avance=2)
        crear_informe(formulacion, "final", medios_por_avance=1)
        # Every iniciativa but the last judged, with the files examined.
        validacion = ValidacionServicio.objects.create(formulacion=formulacion)
        for compromiso in list(formulacion.compromisos.order_by("codigo"))[:-1]:
            ValidacionIniciativa.objects.create(
                validacion=validacion,
                compromiso=compromiso,
                resultado="cumple",
                fundamento="Convenio firmado.",
                consultora=consultora,
            ).medios_examinados.set(MedioVerificacion.objects.filter(avance__compromiso=compromiso))
        consultora.__dict__.pop("_srm_cartera", None)
        # base (3), formulación with its validation and whether its informe final is
        # approved, compromisos with their validaciones, the year's current files (with
        # whether each was examined), cartera (may validate); the committed etapa of the
        # Descentralización line (none here: no catalogue; with one, see
        # tests/validacion/test_requisitos.py)
        with django_assert_num_queries(3 + 5):
            respuesta = c.get(reverse("validacion:servicio_validar", args=[formulacion.pk]))
        assert respuesta.status_code == 200
        assert respuesta.content.decode().count(" · examinado<") == 3 * (compromisos - 1)
