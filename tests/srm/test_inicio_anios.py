"""Issue 13, point 1: the homes list what waits on each person across every open year.

The January scenario: the previous year's informe final is under review while the new year's
formulación has been sent. Both show on the home of the servicio, the analista and the
consultora, with a fixed number of queries whatever the number of servicios.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from compromisos.models import Hito, Proceso
from servicios.models import Cartera, Membresia, Servicio
from tests.conftest import cliente, crear_formulacion, crear_informe, crear_usuario
from validacion.services import revision_transicionar

pytestmark = pytest.mark.django_db


def procesos_de_enero() -> tuple[Proceso, Proceso]:
    actual = timezone.localdate().year
    anterior, _ = Proceso.objects.get_or_create(anio=actual - 1)
    nuevo, _ = Proceso.objects.get_or_create(anio=actual)
    Hito.objects.get_or_create(
        proceso=anterior,
        etapa="final",
        defaults={"nombre": "Informe final", "fecha_limite": datetime.date(actual - 1, 12, 11)},
    )
    Hito.objects.get_or_create(
        proceso=nuevo,
        etapa="formulacion",
        defaults={"nombre": "Formulación", "fecha_limite": datetime.date(actual, 3, 31)},
    )
    return anterior, nuevo


def enero(servicios, encargado, analista, consultora) -> None:
    """For each servicio: last year's informe final in review, this year's formulación sent."""
    anterior, nuevo = procesos_de_enero()
    for servicio in servicios:
        Membresia.objects.get_or_create(usuario=encargado, servicio=servicio)
        for proceso in (anterior, nuevo):
            for usuario, rol in ((analista, "analista"), (consultora, "consultora")):
                Cartera.objects.get_or_create(
                    anio=proceso.anio, rol=rol, usuario=usuario, servicio=servicio
                )
        for persona in (encargado, analista, consultora):
            for atributo in ("_srm_servicios", "_srm_cartera"):
                persona.__dict__.pop(atributo, None)
        formulacion = crear_formulacion(servicio, anterior)
        for accion, usuario in (("enviar", encargado), ("tomar", analista), ("aprobar", analista)):
            formulacion = revision_transicionar(objeto=formulacion, accion=accion, usuario=usuario)
        final = crear_informe(formulacion, "final")
        for accion, usuario in (("enviar", encargado), ("tomar", analista)):
            final = revision_transicionar(objeto=final, accion=accion, usuario=usuario)
        revision_transicionar(
            objeto=crear_formulacion(servicio, nuevo), accion="enviar", usuario=encargado
        )


@pytest.fixture
def personas(referencias):
    return (
        crear_usuario("encargada_enero", "servicio"),
        crear_usuario("analista_enero", "analista"),
        crear_usuario("consultora_enero", "consultora"),
    )


@pytest.fixture
def osorno_en_enero(osorno, personas):
    enero([osorno], *personas)
    return osorno


class TestEnero:
    def test_el_servicio_ve_el_final_anterior_y_la_formulacion_nueva(
        self, osorno_en_enero, personas
    ):
        anterior, nuevo = procesos_de_enero()
        contenido = cliente(personas[0]).get(reverse("inicio")).content.decode()
        assert f"Informe final {anterior.anio}" in contenido
        assert f"Formulación {nuevo.anio}" in contenido
        assert "En revisión en SUBDERE" in contenido

    def test_el_analista_ve_ambos_en_sus_pendientes_el_plazo_mas_antiguo_primero(
        self, osorno_en_enero, personas
    ):
        anterior, nuevo = procesos_de_enero()
        respuesta = cliente(personas[1]).get(reverse("inicio"))
        documentos = [p.documento for p in respuesta.context["pendientes"]]
        assert documentos == [f"Informe final {anterior.anio}", f"Formulación {nuevo.anio}"]

    def test_el_plazo_vencido_del_servicio_no_es_un_atraso_del_analista(
        self, osorno_en_enero, personas
    ):
        """The informe final's sending deadline (11-12 of last year) has passed, but the servicio
        met it: the analista's home shows it as the servicio's deadline, not in red."""
        respuesta = cliente(personas[1]).get(reverse("inicio"))
        final = respuesta.context["pendientes"][0]
        assert final.plazo < timezone.localdate() and not final.vencido
        contenido = respuesta.content.decode()
        assert "Vencido" not in contenido
        assert "(plazo del servicio; enviado el" in contenido

    def test_la_consultora_ve_sus_servicios_de_ambos_anios(self, osorno_en_enero, personas):
        anterior, nuevo = procesos_de_enero()
        respuesta = cliente(personas[2]).get(reverse("inicio"))
        assert [f.proceso.anio for f in respuesta.context["asignaciones"]] == sorted(
            [anterior.anio, nuevo.anio]
        )
        assert "En revisión en SUBDERE" in respuesta.content.decode()

    def test_el_servicio_ve_lo_que_debe_responder_de_cualquier_anio(
        self, osorno_en_enero, personas
    ):
        from validacion.services import observacion_crear

        anterior, _ = procesos_de_enero()
        final = osorno_en_enero.formulaciones.get(proceso=anterior).informes.get()
        observacion_crear(informe=final, texto="Falta el acta.", usuario=personas[1])
        revision_transicionar(objeto=final, accion="observar", usuario=personas[1])
        pendientes = cliente(personas[0]).get(reverse("inicio")).context["pendientes"]
        assert [(p.documento, p.que_hacer) for p in pendientes["por_hacer"]] == [
            (f"Informe final {anterior.anio}", "Responder las observaciones y reenviar")
        ]

    def test_otro_servicio_no_ve_nada_de_osorno(self, osorno_en_enero, encargado_otro):
        contenido = cliente(encargado_otro).get(reverse("inicio")).content.decode()
        assert "Gobernación Provincial de Osorno" not in contenido

    def test_el_selector_de_anio_elige_el_anio_de_la_pagina(self, osorno_en_enero, personas):
        anterior, _ = procesos_de_enero()
        respuesta = cliente(personas[0]).get(reverse("inicio"), {"anio": anterior.anio})
        assert respuesta.context["proceso"] == anterior
        assert f"PMG Descentralización {anterior.anio}" in respuesta.content.decode()
        assert cliente(personas[0]).get(reverse("inicio"), {"anio": "x"}).status_code == 200

    def test_mi_servicio_muestra_cada_anio_con_su_formulacion_e_informes(
        self, osorno_en_enero, personas
    ):
        anterior, nuevo = procesos_de_enero()
        contenido = (
            cliente(personas[0])
            .get(reverse("servicios:servicio_detalle", args=[osorno_en_enero.pk]))
            .content.decode()
        )
        assert f"Formulación {anterior.anio}" in contenido
        assert f"Informe final {anterior.anio}" in contenido
        assert f"Formulación {nuevo.anio}" in contenido


# base (3), then as CONSULTAS_INICIO in tests/srm/test_vistas.py names them (issue 19 added
# the analista's consultas por responder).
CONSULTAS = {
    "analista_enero": 3 + 4,
    "consultora_enero": 3 + 1,
}


@pytest.mark.parametrize("indice", [1, 2])
def test_los_inicios_de_enero_hacen_las_mismas_consultas_con_1_o_4_servicios(
    indice, personas, django_assert_num_queries
):
    usuario = personas[indice]
    servicios = list(Servicio.objects.filter(tipo__codigo="servicio-nacional").order_by("pk")[:4])
    enero(servicios[:1], *personas)
    c = cliente(usuario)
    c.get(reverse("inicio"))  # reads the catalogs (kept under the catalog version)
    with django_assert_num_queries(CONSULTAS[usuario.username]):
        assert c.get(reverse("inicio")).status_code == 200
    enero(servicios[1:], *personas)
    with django_assert_num_queries(CONSULTAS[usuario.username]):
        assert c.get(reverse("inicio")).status_code == 200


def test_los_pendientes_del_servicio_no_crecen_con_los_anios_ni_los_informes(
    osorno, personas, django_assert_num_queries
):
    encargada = personas[0]
    enero([osorno], *personas)
    c = cliente(encargada)
    c.get(reverse("inicio"))  # reads the catalogs (kept under the catalog version)
    # base, servicios, their formulaciones of the open years and of the year chosen, their
    # informes (read once for the pending work and the year's section), membership; issue 19:
    # its unanswered consultas, its next convocatoria. The open years, their calendars and
    # deliverable kinds are kept with the catalogs.
    with django_assert_num_queries(3 + 6):
        assert c.get(reverse("inicio")).status_code == 200
    anterior, _ = procesos_de_enero()
    formulacion = osorno.formulaciones.get(proceso=anterior)
    for periodo in ("avance_1", "avance_2", "avance_3"):
        crear_informe(formulacion, periodo)
    with django_assert_num_queries(3 + 6):
        assert c.get(reverse("inicio")).status_code == 200
