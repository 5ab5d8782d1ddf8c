"""Servicio portal: formulación, compromisos and carry-over, through the views."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from compromisos.models import Compromiso, FormulacionPMG, HitoCompromiso, Proceso
from programa.models import SistemaPMG
from tests.conftest import cliente, crear_formulacion, observar
from validacion.services import revision_transicionar

pytestmark = pytest.mark.django_db


def datos_formset(prefijo: str, filas: list[dict], iniciales: int = 0) -> dict:
    datos = {
        f"{prefijo}-TOTAL_FORMS": str(len(filas)),
        f"{prefijo}-INITIAL_FORMS": str(iniciales),
        f"{prefijo}-MIN_NUM_FORMS": "0",
        f"{prefijo}-MAX_NUM_FORMS": "1000",
    }
    for indice, fila in enumerate(filas):
        datos.update({f"{prefijo}-{indice}-{campo}": valor for campo, valor in fila.items()})
    return datos


def linea(sistema: str, ponderador: str, etapa: int = 1, prioridad: str = "ALTA") -> dict:
    return {
        "marco": "Marco Básico",
        "area": "Planificación / Control de Gestión",
        "sistema": sistema,
        "etapa": str(etapa),
        "prioridad": prioridad,
        "ponderador": ponderador,
    }


def exencion(
    sistema: str, tipo: str = "eximir", etapa: str = "", justificacion: str = "Motivo."
) -> dict:
    return {
        "marco": "Marco Básico",
        "area": "Calidad de Atención a Usuarios",
        "sistema": sistema,
        "tipo": tipo,
        "etapa": etapa,
        "justificacion": justificacion,
    }


@pytest.fixture(autouse=True)
def _catalogo(programa_2026):
    """The formulación of the test year chooses from its programa marco (a copy of 2011's)."""


def con_catalogo(filas: list[dict], anio: int) -> list[dict]:
    """Rows as the page posts them: the sistema by its id in the year's catalogue.

    A name that is not in the catalogue is posted as it is, as a tampered form would.
    """
    ids = dict(
        SistemaPMG.objects.filter(area__marco__programa__anio=anio).values_list("nombre", "pk")
    )
    return [
        {
            **{c: v for c, v in fila.items() if c not in ("marco", "area", "sistema")},
            "sistema_catalogo": ids.get(fila["sistema"], fila["sistema"]),
        }
        for fila in filas
    ]


SIAC = "Sistema Integral de Información y Atención Ciudadana"


def enviar_formulacion(
    c: Client, formulacion, lineas: list[dict], exenciones: list[dict] | None = None
):
    anio = formulacion.proceso.anio
    datos = {
        **datos_formset("lineas", con_catalogo(lineas, anio)),
        **datos_formset("exenciones", con_catalogo(exenciones or [], anio)),
    }
    return c.post(reverse("compromisos:formulacion_editar", args=[formulacion.pk]), datos)


class TestFormulacion:
    def test_guardar_sistemas_que_suman_100(self, formulacion_osorno, encargado):
        respuesta = enviar_formulacion(
            cliente(encargado),
            formulacion_osorno,
            [linea("Descentralización", "60.00"), linea("Equidad de Género", "40.00", etapa=2)],
            [exencion("Gobierno Electrónico - Tecnologías de Información")],
        )
        assert respuesta.status_code == 302
        assert [
            (fila.sistema, fila.ponderador, fila.etapa)
            for fila in formulacion_osorno.lineas.order_by("orden")
        ] == [
            ("Descentralización", Decimal("60.00"), 1),
            ("Equidad de Género", Decimal("40.00"), 2),
        ]
        assert formulacion_osorno.exenciones.get().justificacion == "Motivo."

    def test_suma_distinta_de_100_se_explica_y_conserva_lo_escrito(
        self, formulacion_osorno, encargado
    ):
        respuesta = enviar_formulacion(
            cliente(encargado),
            formulacion_osorno,
            [linea("Descentralización", "60.00"), linea("Equidad de Género", "39.00")],
        )
        contenido = respuesta.content.decode()
        assert respuesta.status_code == 200
        assert "deben sumar exactamente 100 %; suman 99,00 %" in contenido
        equidad = SistemaPMG.objects.get(
            area__marco__programa__anio=2026, nombre="Equidad de Género"
        )
        assert f'<option value="{equidad.pk}" selected>' in contenido
        assert 'value="39.00"' in contenido
        assert list(formulacion_osorno.lineas.values_list("sistema", flat=True)) == [
            "Descentralización"
        ]

    def test_sistema_repetido_se_rechaza(self, formulacion_osorno, encargado):
        respuesta = enviar_formulacion(
            cliente(encargado),
            formulacion_osorno,
            [linea("Equidad de Género", "50.00"), linea("Equidad de Género", "50.00")],
        )
        assert "se repite: «Equidad de Género»" in respuesta.content.decode()

    @pytest.mark.parametrize(
        ("campo", "valor", "mensaje"),
        [
            ("etapa", "5", "Escoja una opción válida"),
            ("ponderador", "120", "100"),
            ("ponderador", "abc", "Introduzca un número"),
            ("prioridad", "URGENTE", "Escoja una opción válida"),
        ],
    )
    def test_valor_fuera_de_rango_se_marca_en_su_campo(
        self, formulacion_osorno, encargado, campo, valor, mensaje
    ):
        fila = linea("Descentralización", "100.00")
        fila[campo] = valor
        respuesta = enviar_formulacion(cliente(encargado), formulacion_osorno, [fila])
        assert respuesta.status_code == 200
        assert mensaje in respuesta.content.decode()
        assert "is-invalid" in respuesta.content.decode()

    @pytest.mark.parametrize(
        ("fila", "mensaje"),
        [
            (exencion(SIAC, tipo="modificar", etapa=""), "Indique la etapa"),
            (exencion(SIAC, tipo="eximir", etapa="2"), "no lleva etapa"),
            (exencion(SIAC, justificacion=""), "Este campo es obligatorio"),
        ],
    )
    def test_exencion_invalida_se_explica(self, formulacion_osorno, encargado, fila, mensaje):
        respuesta = enviar_formulacion(
            cliente(encargado), formulacion_osorno, [linea("Descentralización", "100")], [fila]
        )
        assert mensaje in respuesta.content.decode()
        assert not formulacion_osorno.exenciones.exists()

    def test_fila_marcada_para_quitar_se_elimina(self, formulacion_osorno, encargado):
        # Without compromisos: those hang off the Descentralización line (next test).
        formulacion_osorno.compromisos.all().delete()
        quitar = {**linea("Descentralización", "100.00"), "DELETE": "on"}
        enviar_formulacion(
            cliente(encargado), formulacion_osorno, [quitar, linea("Equidad de Género", "100.00")]
        )
        assert list(formulacion_osorno.lineas.values_list("sistema", flat=True)) == [
            "Equidad de Género"
        ]

    def test_no_se_quita_descentralizacion_mientras_tenga_compromisos(
        self, formulacion_osorno, encargado
    ):
        quitar = {**linea("Descentralización", "100.00"), "DELETE": "on"}
        respuesta = enviar_formulacion(
            cliente(encargado), formulacion_osorno, [quitar, linea("Equidad de Género", "100.00")]
        )
        contenido = respuesta.content.decode()
        assert respuesta.status_code == 200
        assert "La formulación tiene 2 compromisos" in contenido and 'role="alert"' in contenido
        # Nothing typed is lost, nothing saved; the compromisos keep their line.
        assert "Equidad de Género" in contenido
        assert list(formulacion_osorno.lineas.values_list("sistema", flat=True)) == [
            "Descentralización"
        ]
        linea_guardada = formulacion_osorno.lineas.get()
        assert set(formulacion_osorno.compromisos.values_list("linea", flat=True)) == {
            linea_guardada.pk
        }

    def test_enviar_bloquea_la_formulacion(self, formulacion_osorno, encargado):
        c = cliente(encargado)
        assert (
            "¿Enviar la formulación"
            in c.get(
                reverse("compromisos:formulacion_enviar", args=[formulacion_osorno.pk])
            ).content.decode()
        )
        c.post(reverse("compromisos:formulacion_enviar", args=[formulacion_osorno.pk]))
        formulacion_osorno.refresh_from_db()
        assert formulacion_osorno.estado == "enviado"
        respuesta = enviar_formulacion(c, formulacion_osorno, [linea("Otro", "100.00")])
        assert respuesta.status_code == 302
        assert list(formulacion_osorno.lineas.values_list("sistema", flat=True)) == [
            "Descentralización"
        ]
        pagina = c.get(
            reverse("compromisos:formulacion_editar", args=[formulacion_osorno.pk]), follow=True
        )
        assert "no se puede modificar" in pagina.content.decode()

    def test_no_se_envia_sin_compromisos(self, osorno, proceso, encargado):
        formulacion = crear_formulacion(osorno, proceso, compromisos=0)
        respuesta = cliente(encargado).post(
            reverse("compromisos:formulacion_enviar", args=[formulacion.pk]), follow=True
        )
        assert "al menos un compromiso" in respuesta.content.decode()
        formulacion.refresh_from_db()
        assert formulacion.estado == "borrador"

    def test_devuelta_con_observaciones_se_puede_corregir(
        self, formulacion_osorno, encargado, analista
    ):
        formulacion = revision_transicionar(
            objeto=formulacion_osorno, accion="enviar", usuario=encargado
        )
        formulacion = revision_transicionar(objeto=formulacion, accion="tomar", usuario=analista)
        observar(formulacion, analista)
        respuesta = enviar_formulacion(
            cliente(encargado), formulacion_osorno, [linea("Descentralización", "100")]
        )
        assert respuesta.status_code == 302


def compromiso_post(codigo="C09", **cambios) -> dict:
    datos = {
        "compromiso-codigo": codigo,
        "compromiso-nombre": "Convenio de programación con el GORE",
        "compromiso-descripcion": "Diseñar y firmar el convenio.",
        "compromiso-tipo_medida": "descentralizacion",
        "compromiso-complejidad": "mediana",
        "compromiso-ambito": "infraestructura",
        "compromiso-meta": "Convenio firmado",
        "compromiso-indicador": "Convenios firmados",
        "compromiso-regiones": ["14"],
        **datos_formset("hitos", [{"descripcion": "Firma", "fecha_comprometida": "2026-09-30"}]),
        **datos_formset(
            "medios", [{"descripcion": "Convenio firmado", "tipo": "convenio", "id": ""}]
        ),
    }
    datos.update(cambios)
    return datos


class TestCompromisos:
    def test_crear_compromiso_con_hitos_y_medios(self, formulacion_osorno, encargado):
        respuesta = cliente(encargado).post(
            reverse("compromisos:compromiso_crear", args=[formulacion_osorno.pk]), compromiso_post()
        )
        assert respuesta.status_code == 302
        compromiso = formulacion_osorno.compromisos.get(codigo="C09")
        assert compromiso.complejidad == "mediana"
        assert [r.nombre for r in compromiso.regiones.all()] == ["Los Lagos"]
        assert compromiso.hitos.get().fecha_comprometida == datetime.date(2026, 9, 30)
        assert compromiso.medios_comprometidos.get().tipo == "convenio"

    def test_codigo_repetido_se_explica_sin_perder_lo_escrito(self, formulacion_osorno, encargado):
        respuesta = cliente(encargado).post(
            reverse("compromisos:compromiso_crear", args=[formulacion_osorno.pk]),
            compromiso_post(codigo="C01"),
        )
        contenido = respuesta.content.decode()
        assert "Ya existe un compromiso con el código «C01»" in contenido
        assert "Convenio de programación con el GORE" in contenido
        assert formulacion_osorno.compromisos.count() == 2

    def test_editar_conserva_los_medios_prometidos_ya_vinculados(
        self, formulacion_osorno, encargado
    ):
        compromiso = formulacion_osorno.compromisos.get(codigo="C01")
        medio = compromiso.medios_comprometidos.create(descripcion="Acta", tipo="acta")
        datos = compromiso_post(
            codigo="C01",
            **datos_formset(
                "medios",
                [{"descripcion": "Acta firmada", "tipo": "acta", "id": str(medio.pk)}],
                iniciales=1,
            ),
        )
        cliente(encargado).post(
            reverse("compromisos:compromiso_editar", args=[compromiso.pk]), datos
        )
        medio.refresh_from_db()
        assert medio.descripcion == "Acta firmada"

    def test_eliminar_compromiso_con_confirmacion(self, formulacion_osorno, encargado):
        compromiso = formulacion_osorno.compromisos.get(codigo="C02")
        c = cliente(encargado)
        assert (
            "¿Eliminar el compromiso C02?"
            in c.get(
                reverse("compromisos:compromiso_eliminar", args=[compromiso.pk])
            ).content.decode()
        )
        c.post(reverse("compromisos:compromiso_eliminar", args=[compromiso.pk]))
        assert not Compromiso.objects.filter(pk=compromiso.pk).exists()

    def test_compromiso_con_avances_no_se_elimina(self, informe_osorno, encargado):
        compromiso = informe_osorno.formulacion.compromisos.first()
        cliente(encargado).post(reverse("compromisos:compromiso_eliminar", args=[compromiso.pk]))
        assert Compromiso.objects.filter(pk=compromiso.pk).exists()

    def test_no_se_editan_compromisos_de_una_formulacion_enviada(
        self, formulacion_osorno, encargado
    ):
        revision_transicionar(objeto=formulacion_osorno, accion="enviar", usuario=encargado)
        respuesta = cliente(encargado).post(
            reverse("compromisos:compromiso_crear", args=[formulacion_osorno.pk]), compromiso_post()
        )
        assert respuesta.status_code == 302
        assert not formulacion_osorno.compromisos.filter(codigo="C09").exists()


class TestArrastre:
    def test_nuevo_anio_parte_desde_el_anterior(self, formulacion_osorno, encargado, osorno):
        compromiso = formulacion_osorno.compromisos.get(codigo="C01")
        HitoCompromiso.objects.create(
            compromiso=compromiso,
            descripcion="Firma",
            fecha_comprometida=datetime.date(2024, 2, 29),
        )
        Proceso.objects.create(anio=2027)
        c = cliente(encargado)
        respuesta = c.post(
            reverse("compromisos:formulacion_iniciar", args=[osorno.pk, 2027]),
            {"desde_anterior": "1"},
        )
        nueva = FormulacionPMG.objects.get(servicio=osorno, proceso__anio=2027)
        assert respuesta.url == reverse("compromisos:formulacion_detalle", args=[nueva.pk])
        copia = nueva.compromisos.get(codigo="C01")
        assert copia.origen == compromiso
        assert copia.hitos.get().fecha_comprometida == datetime.date(2025, 2, 28)
        assert nueva.lineas.count() == 1
        copia.nombre = "Compromiso 1 ampliado"
        copia.save()
        pagina = c.get(reverse("compromisos:formulacion_detalle", args=[nueva.pk])).content.decode()
        assert "Arrastrado de 2026" in pagina, pagina[pagina.find("Compromisos (iniciativas)") :][
            :1500
        ]
        assert "Cambios respecto del año anterior: nombre" in pagina, pagina[
            pagina.find("Arrastrado de") :
        ][:800]

    def test_formulacion_en_blanco(self, formulacion_osorno, encargado, osorno):
        Proceso.objects.create(anio=2027)
        cliente(encargado).post(
            reverse("compromisos:formulacion_iniciar", args=[osorno.pk, 2027]),
            {"desde_anterior": "0"},
        )
        nueva = FormulacionPMG.objects.get(servicio=osorno, proceso__anio=2027)
        assert not nueva.compromisos.exists() and not nueva.lineas.exists()

    def test_no_se_inicia_dos_veces(self, formulacion_osorno, encargado, osorno):
        respuesta = cliente(encargado).post(
            reverse("compromisos:formulacion_iniciar", args=[osorno.pk, 2026]), follow=True
        )
        assert "ya tiene su formulación 2026" in respuesta.content.decode()

    def test_inicio_ofrece_partir_del_anio_anterior(self, formulacion_osorno, encargado):
        Proceso.objects.create(anio=2027)
        # The home page shows the year of today's date: pretend the new year has begun.
        FormulacionPMG.objects.filter(pk=formulacion_osorno.pk).update(
            proceso=Proceso.objects.get(anio=2026)
        )
        from unittest import mock

        with mock.patch("django.utils.timezone.localdate", return_value=datetime.date(2027, 1, 5)):
            contenido = cliente(encargado).get(reverse("inicio")).content.decode()
        assert "Iniciar a partir de la formulación 2026" in contenido


def test_un_sistema_eximido_no_se_repite(formulacion_osorno, encargado):
    respuesta = enviar_formulacion(
        cliente(encargado),
        formulacion_osorno,
        [linea("Descentralización", "100")],
        [exencion(SIAC), exencion(SIAC, tipo="modificar", etapa="4")],
    )
    assert "aparece dos veces entre los eximidos" in respuesta.content.decode()
    assert not formulacion_osorno.exenciones.exists()


def test_la_administracion_tambien_exige_el_100(formulacion_osorno):
    from django.forms import inlineformset_factory

    from compromisos.admin import LineasAdminFormSet
    from compromisos.models import LineaFormulacion

    FormSet = inlineformset_factory(
        FormulacionPMG,
        LineaFormulacion,
        formset=LineasAdminFormSet,
        extra=0,
        fields=["marco", "area", "sistema", "etapa", "prioridad", "ponderador"],
    )
    actual = formulacion_osorno.lineas.get()
    datos = {
        "lineas-TOTAL_FORMS": "1",
        "lineas-INITIAL_FORMS": "1",
        "lineas-0-id": str(actual.pk),
        "lineas-0-formulacion": str(formulacion_osorno.pk),
        **{f"lineas-0-{k}": v for k, v in linea("Descentralización", "90.00").items()},
    }
    formset = FormSet(datos, instance=formulacion_osorno, prefix="lineas")
    assert not formset.is_valid()
    assert "suman 90,00 %" in str(formset.non_form_errors())
