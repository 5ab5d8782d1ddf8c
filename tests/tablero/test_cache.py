"""The rendered tablero is cached per data version, filters, role and (tracker) day.

Repeated views cost only the permission check and the choice of year; every write through the
services, including transitions that the database sees as a bare UPDATE, shows on the next view.
"""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache as almacen
from django.db import connection
from django.http import QueryDict
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from compromisos.models import (
    AvanceCompromiso,
    Compromiso,
    FormulacionPMG,
    Hito,
    InformeAvance,
    Proceso,
)
from compromisos.services import informe_guardar
from servicios.models import Ministerio, TipoServicio
from tablero import cache, selectors
from tests.conftest import ANIO, cliente
from tests.srm.test_vistas import CONSULTAS_BASE
from tests.tablero.test_consultas import COMPROMISOS, CONSULTAS, OTROS_ANIOS, TRAS_ESCRITURA
from validacion.models import ValidacionIniciativa, ValidacionServicio
from validacion.services import observacion_crear, revision_transicionar

pytestmark = pytest.mark.django_db

FILTROS = {"anio": ANIO, "periodo": "avance_1"}
# A cached view: CONSULTAS_BASE (session, user, role…); the proceso asked for is kept with the
# catalogs.
CONSULTAS_EN_CACHE = CONSULTAS_BASE


def ver(usuario_o_cliente, nombre="tablero:tablero", **filtros) -> str:
    c = usuario_o_cliente if isinstance(usuario_o_cliente, Client) else cliente(usuario_o_cliente)
    respuesta = c.get(reverse(nombre), {**FILTROS, **filtros})
    assert respuesta.status_code == 200
    return respuesta.content.decode()


def encargado_de(servicio):
    return get_user_model().objects.get(username=f"encargado_{servicio.pk}")


def en_revision(anio_tablero, analista) -> InformeAvance:
    """Economía's informe de avance 1, a draft, sent by its servicio and taken by the analista."""
    economia = anio_tablero["economia"]
    informe = InformeAvance.objects.get(formulacion__servicio=economia, periodo="avance_1")
    informe = revision_transicionar(objeto=informe, accion="enviar", usuario=encargado_de(economia))
    return revision_transicionar(objeto=informe, accion="tomar", usuario=analista)


def fila(html: str, unidad: str, nombre: str) -> str:
    """The figure of one row of a chart's table, read from its link's label."""
    # The unit agrees with the figure: «1 servicio», «2 servicios».
    singular = unidad.removesuffix("s")
    patron = rf'aria-label="(\d+) (?:{unidad}|{singular}): {nombre} \(ver lista\)"'
    return re.search(patron, html).group(1)


@pytest.mark.parametrize("nombre", sorted(CONSULTAS))
def test_una_vista_repetida_sale_del_cache(
    nombre, jefatura, anio_tablero, django_assert_num_queries
):
    c = cliente(jefatura)
    with django_assert_num_queries(CONSULTAS[nombre]):
        primera = c.get(reverse(nombre), FILTROS)
    with django_assert_num_queries(CONSULTAS_EN_CACHE):
        segunda = c.get(reverse(nombre), FILTROS)
    assert segunda.status_code == 200
    hora = re.compile(r"Cifras calculadas a las \d\d:\d\d")
    assert (
        hora.search(segunda.content.decode()).group()
        == hora.search(primera.content.decode()).group()
    )


def test_otros_filtros_no_comparten_la_entrada(jefatura, anio_tablero, django_assert_num_queries):
    c = cliente(jefatura)
    ver(c)
    # The figures and the form for these parameters are new (its three choices of catalog).
    with django_assert_num_queries(
        TRAS_ESCRITURA["tablero:tablero"] + 3 + OTROS_ANIOS + COMPROMISOS
    ):
        html = ver(c, region="null")
    assert "Cifras de 1 servicio con formulación" in html
    with django_assert_num_queries(CONSULTAS_EN_CACHE):
        assert "Cifras de 4 servicios con formulación" in ver(c)


def test_otro_rol_no_comparte_la_entrada(
    jefatura, analista, anio_tablero, django_assert_num_queries
):
    ver(jefatura)
    c = cliente(analista)
    with django_assert_num_queries(TRAS_ESCRITURA["tablero:tablero"] + OTROS_ANIOS + COMPROMISOS):
        ver(c)


@pytest.mark.parametrize("nombre", sorted(TRAS_ESCRITURA))
def test_una_escritura_no_vuelve_a_leer_los_catalogos(
    nombre, jefatura, anio_tablero, django_assert_num_queries
):
    """After an informe is saved the page is computed again, but its filter form, the proceso,
    the group names and the calendar stay cached with the catalogs."""
    c = cliente(jefatura)
    ver(c, nombre)
    avance = AvanceCompromiso.objects.filter(informe__periodo="avance_1").first()
    avance.porcentaje = 77
    avance.save()
    with django_assert_num_queries(TRAS_ESCRITURA[nombre]):
        html = ver(c, nombre)
    assert '<option value="2026" selected>2026</option>' in html


def test_un_hito_cambiado_se_ve_en_el_seguimiento(admin, jefatura, anio_tablero):
    c = cliente(jefatura)
    hito = Hito.objects.get(proceso__anio=ANIO, etapa="avance_1")
    assert "30-06-2026" in ver(c, "tablero:seguimiento")
    hito.fecha_limite = datetime.date(2026, 7, 10)
    hito.save()
    html = ver(c, "tablero:seguimiento")
    assert "10-07-2026" in html
    assert "30-06-2026" not in html
    # The kinds it applies to, an m2m change: the itinerary names them.
    hito.tipos_servicio.set([TipoServicio.objects.get(nombre__icontains="gobernaci")])
    assert re.search(r"10-07-2026</td><td[^>]*>Gobernaci", ver(c, "tablero:seguimiento"))


def test_un_catalogo_nuevo_aparece_en_los_filtros(jefatura, anio_tablero):
    c = cliente(jefatura)
    assert "Ministerio de Prueba" not in ver(c)
    assert '<option value="2027">' not in ver(c)
    Ministerio.objects.create(nombre="Ministerio de Prueba", sigla="MINPRU", partida="99")
    Proceso.objects.create(anio=ANIO + 1)
    html = ver(c)
    assert "Ministerio de Prueba" in html
    assert '<option value="2027">2027</option>' in html


def test_la_puerta_de_permisos_se_consulta_antes_del_cache(jefatura, encargado, anio_tablero):
    ver(jefatura)
    respuesta = cliente(encargado).get(reverse("tablero:tablero"), FILTROS)
    assert respuesta.status_code == 403


def test_aprobar_un_informe_se_ve_en_la_siguiente_vista(jefatura, analista, anio_tablero):
    assert fila(ver(jefatura), "servicios", "Aprobado") == "1"
    # Transitions are a bare UPDATE (no post_save): the Evento they log invalidates.
    informe = en_revision(anio_tablero, analista)
    revision_transicionar(objeto=informe, accion="aprobar", usuario=analista)
    assert fila(ver(jefatura), "servicios", "Aprobado") == "2"


def test_una_observacion_se_ve_en_la_siguiente_vista(jefatura, analista, anio_tablero):
    informe = en_revision(anio_tablero, analista)
    assert "(1 abierta, 0 respondidas)" in ver(jefatura)
    observacion_crear(informe=informe, texto="Falta la firma.", usuario=analista)
    assert "(2 abiertas, 0 respondidas)" in ver(jefatura)


def test_un_avance_guardado_se_ve_en_la_siguiente_vista(jefatura, anio_tablero):
    """Llanquihue's informe was returned (observado): it counts, and its servicio corrects it."""
    llanquihue = anio_tablero["llanquihue"]
    antes = ver(jefatura)
    # Los Lagos and the gobernaciones: (40 + 60 + 10 + 30 + 50) / 5.
    assert ">38,0 %<" in antes and ">50,0 %<" not in antes
    avance = AvanceCompromiso.objects.get(
        informe__formulacion__servicio=llanquihue, compromiso__codigo="C01"
    )
    informe_guardar(
        informe=avance.informe,
        avances={
            avance.pk: {
                "porcentaje": 70,
                "desarrollo_alcanzado": "Se firmó el convenio.",
                "dificultades": "",
                "proximos_pasos": "",
            }
        },
        resumen=None,
        usuario=encargado_de(llanquihue),
    )
    despues = ver(jefatura)
    # (40 + 60 + 70 + 30 + 50) / 5
    assert ">38,0 %<" not in despues
    assert ">50,0 %<" in despues


def test_una_iniciativa_validada_se_ve_en_la_siguiente_vista(jefatura, consultora, anio_tablero):
    assert fila(ver(jefatura), "iniciativas", "Cumple") == "1"
    validacion = ValidacionServicio.objects.get(formulacion__servicio=anio_tablero["llanquihue"])
    ValidacionIniciativa.objects.create(
        validacion=validacion,
        compromiso=validacion.formulacion.compromisos.get(codigo="C02"),
        resultado="cumple",
        fundamento="Acta firmada.",
        consultora=consultora,
    )
    assert fila(ver(jefatura), "iniciativas", "Cumple") == "2"


def de_compromisos(consultas) -> list[str]:
    return [
        q["sql"] for q in consultas.captured_queries if "tablero_resumenformulacion" in q["sql"]
    ]


def test_un_informe_guardado_no_vuelve_a_contar_los_compromisos(jefatura, analista, anio_tablero):
    c = cliente(jefatura)
    ver(c)
    informe = en_revision(anio_tablero, analista)
    observacion_crear(informe=informe, texto="Falta la firma.", usuario=analista)
    with CaptureQueriesContext(connection) as consultas:
        html = ver(c)
    assert "(2 abiertas, 0 respondidas)" in html
    assert not de_compromisos(consultas)
    assert fila(html, "compromisos", "Mediana complejidad") == "3"


def test_un_compromiso_reclasificado_se_ve_en_la_siguiente_vista(jefatura, anio_tablero):
    c = cliente(jefatura)
    assert fila(ver(c), "compromisos", "Mediana complejidad") == "3"
    compromiso = Compromiso.objects.get(
        formulacion__servicio=anio_tablero["llanquihue"], codigo="C01"
    )
    compromiso.complejidad = "mayor"
    compromiso.save()
    with CaptureQueriesContext(connection) as consultas:
        html = ver(c)
    assert len(de_compromisos(consultas)) == 1
    assert fila(html, "compromisos", "Mediana complejidad") == "2"


def _clave(usuario, nombre: str, consulta: str, hoy: datetime.date | None = None) -> str:
    request = RequestFactory().get(reverse(nombre))
    request.user = usuario
    return cache.clave(request, nombre.split(":")[1], QueryDict(consulta), hoy)


def test_la_entrada_del_seguimiento_es_la_de_hoy(jefatura, anio_tablero):
    ver(jefatura, "tablero:seguimiento")
    hoy = timezone.localdate()
    consulta = f"anio={ANIO}&periodo=avance_1"
    assert almacen.get(_clave(jefatura, "tablero:seguimiento", consulta, hoy)) is not None
    manana = hoy + datetime.timedelta(days=1)
    assert almacen.get(_clave(jefatura, "tablero:seguimiento", consulta, manana)) is None


@pytest.mark.parametrize("nombre", sorted(CONSULTAS))
def test_el_cuerpo_guardado_no_lleva_token_csrf_ni_datos_del_usuario(
    nombre, jefatura, anio_tablero
):
    jefatura.first_name, jefatura.last_name = "Ximena", "Zúñiga"
    jefatura.save()
    pagina = ver(jefatura, nombre)
    assert "csrfmiddlewaretoken" in pagina  # the page's own logout form, outside the body
    hoy = timezone.localdate() if nombre == "tablero:seguimiento" else None
    cuerpo = almacen.get(_clave(jefatura, nombre, f"anio={ANIO}&periodo=avance_1", hoy))
    assert cuerpo and cuerpo in pagina
    assert "csrfmiddlewaretoken" not in cuerpo
    assert "Zúñiga" not in cuerpo and "jefatura" not in cuerpo.lower()


def tendencia(c) -> dict[int, dict]:
    respuesta = c.get(reverse("tablero:tablero"), FILTROS)
    return {fila["anio"]: fila for fila in respuesta.context["cifras"]["tendencia"]}


def test_la_tendencia_recalcula_solo_el_anio_escrito(jefatura, analista, anio_tablero):
    c = cliente(jefatura)
    antes = tendencia(c)
    informe = en_revision(anio_tablero, analista)
    revision_transicionar(objeto=informe, accion="aprobar", usuario=analista)
    with CaptureQueriesContext(connection) as consultas:
        despues = tendencia(c)
    # The shown year's point adds up the page's own figures and the previous years' points
    # come from the cache: the trend asks the database nothing.
    assert not [
        q for q in consultas.captured_queries if '"compromisos_proceso"."anio" IN (' in q["sql"]
    ]
    assert despues[ANIO - 1] == antes[ANIO - 1]
    assert despues[ANIO]["porcentaje_aprobados"] == antes[ANIO]["porcentaje_aprobados"] + 25.0


def test_el_punto_del_anio_mostrado_es_el_que_contaria_la_base_de_datos(jefatura, anio_tablero):
    c = cliente(jefatura)
    for filtros in ({}, {"tipo": TipoServicio.objects.get(nombre__icontains="gobernaci").pk}):
        respuesta = c.get(reverse("tablero:tablero"), {**FILTROS, **filtros})
        alcance = respuesta.context["alcance"]
        (del_anio,) = [f for f in respuesta.context["cifras"]["tendencia"] if f["anio"] == ANIO]
        assert del_anio == selectors._tendencia_de(alcance, [ANIO])[ANIO]


def test_un_veredicto_de_un_anio_anterior_se_ve_en_la_tendencia(jefatura, consultora, anio_tablero):
    c = cliente(jefatura)
    assert tendencia(c)[ANIO - 1]["porcentaje_cumple"] == 0.0
    formulacion = FormulacionPMG.objects.get(proceso__anio=ANIO - 1)
    ValidacionIniciativa.objects.create(
        validacion=ValidacionServicio.objects.create(formulacion=formulacion),
        compromiso=formulacion.compromisos.first(),
        resultado="cumple",
        fundamento="Medios revisados.",
        consultora=consultora,
    )
    assert tendencia(c)[ANIO - 1]["porcentaje_cumple"] == 25.0


@pytest.mark.parametrize("pagina", ["", "servicios/", "compromisos/", "hitos/"])
def test_un_filtro_larguisimo_no_hace_llaves_enormes(jefatura, anio_tablero, pagina):
    """A filter value sent by hand becomes a digest in the cache keys, not a 3,000-character key."""
    import warnings

    from django.core.cache.backends.base import CacheKeyWarning

    with warnings.catch_warnings(record=True) as avisos:
        warnings.simplefilter("always", CacheKeyWarning)
        respuesta = cliente(jefatura).get(f"/tablero/{pagina}", {"ministerio": "x" * 3000})
    assert respuesta.status_code == 200
    assert not [a for a in avisos if issubclass(a.category, CacheKeyWarning)]
