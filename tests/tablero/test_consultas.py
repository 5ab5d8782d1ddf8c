"""The tablero and the tracker make the same number of SQL queries with 2 or 8 servicios."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from servicios.models import Cartera, Servicio
from tests.conftest import ANIO, cliente, crear_formulacion, crear_informe
from tests.srm.test_vistas import CONSULTAS_BASE
from tests.tablero.conftest import encargado_de
from validacion.models import ValidacionIniciativa, ValidacionServicio
from validacion.services import observacion_crear, revision_transicionar

pytestmark = pytest.mark.django_db


def poblar(cantidad: int, proceso, analista, consultora):
    """`cantidad` more servicios, each with compromisos, an informe sent, a remark, a verdict."""
    servicios = Servicio.objects.exclude(formulaciones__proceso=proceso).order_by("pk")[:cantidad]
    for servicio in servicios:
        Cartera.objects.create(anio=ANIO, rol="analista", usuario=analista, servicio=servicio)
        analista.__dict__.pop("_srm_cartera", None)
        encargado = encargado_de(servicio)
        formulacion = crear_formulacion(servicio, proceso, compromisos=3)
        informe = crear_informe(formulacion)
        revision_transicionar(objeto=formulacion, accion="enviar", usuario=encargado)
        informe = revision_transicionar(objeto=informe, accion="enviar", usuario=encargado)
        informe = revision_transicionar(objeto=informe, accion="tomar", usuario=analista)
        observacion_crear(informe=informe, texto="Adjunte el acta.", usuario=analista)
        validacion = ValidacionServicio.objects.create(formulacion=formulacion)
        ValidacionIniciativa.objects.create(
            validacion=validacion,
            compromiso=formulacion.compromisos.first(),
            resultado="cumple",
            fundamento="Revisado.",
            consultora=consultora,
        )


FILTROS = {"anio": ANIO, "periodo": "avance_1"}
# A page computed again after a write: CONSULTAS_BASE and its own.
TRAS_ESCRITURA = {
    # + the year by ministerio × tipo × región × state of the periodo's informe: informes,
    #   remarks, progress and the year's point of the trend (the other years' points and the
    #   compromisos stay cached after an informe is saved: tests/tablero/test_cache.py)
    # + the year's universe: its participations (each with whether it formulated) and the
    #   figures the source declares (tablero.selectors.universo)
    # + the cumplimiento: the formulaciones with their iniciativas by verdict, and their lines
    #   with DIPRES's results (validacion.cumplimiento.cumplimiento_de)
    "tablero:tablero": CONSULTAS_BASE + 1 + 2 + 2,
    # + the servicios with their informe of the periodo (one row each: the page needs no count)
    "tablero:servicio_lista": CONSULTAS_BASE + 1,
    # + count, page of compromisos with their servicio and verdict
    "tablero:compromiso_lista": CONSULTAS_BASE + 2,
    # + the servicios with their first submission, their informes (joined in one query, the
    #   four informes took PostgreSQL longer to plan than both queries to run)
    # + the year's universe (its servicios without formulación are rows: «Falta»)
    "tablero:seguimiento": CONSULTAS_BASE + 2 + 2,
}
# The first view of all also reads the catalogs, kept afterwards with their own version
# (tablero.cache.del_catalogo): the proceso asked for, the years, the year's deliverable kinds
# (the periodo choices, issue 16) and the ministerio, tipo and región choices of the filter
# form; the tablero also the names of those groups (3) and the
# regions of the map, the tracker the year's calendar (hitos, their kinds of servicio).
FORMULARIO = 6
# The tablero's trend: the other years' points, in one query, kept each under its year's version.
OTROS_ANIOS = 1
# The year's cumplimiento rule and its incentive tramos, kept with the catalogs.
REGLA = 2
# The tablero's compromisos by kind with their verdicts, kept under the year's compromisos
# version (a compromiso or verdict saved moves it, an informe does not).
COMPROMISOS = 1
# The tablero's block of technical assistance (issue 19): the servicios reached, the consultas
# and the acuerdos, kept under the assistance version and the year's compromisos version (an
# informe saved leaves it: tablero.cache.de_asistencia).
ASISTENCIA = 3
CATALOGO = {pagina: FORMULARIO for pagina in TRAS_ESCRITURA} | {
    "tablero:tablero": FORMULARIO + 4 + OTROS_ANIOS + COMPROMISOS + REGLA + ASISTENCIA,
    "tablero:seguimiento": FORMULARIO + 2,
}
CONSULTAS = {pagina: TRAS_ESCRITURA[pagina] + CATALOGO[pagina] for pagina in TRAS_ESCRITURA}


@pytest.mark.parametrize("nombre", sorted(CONSULTAS))
def test_mismas_consultas_con_2_u_8_servicios(
    nombre, jefatura, proceso, analista, consultora, django_assert_num_queries
):
    c = cliente(jefatura)
    poblar(2, proceso, analista, consultora)
    # The cold path, as on a cache miss (test_cache.py counts the cached one).
    cache.clear()
    with django_assert_num_queries(CONSULTAS[nombre]):
        assert c.get(reverse(nombre), FILTROS).status_code == 200
    poblar(6, proceso, analista, consultora)
    cache.clear()
    with django_assert_num_queries(CONSULTAS[nombre]):
        assert c.get(reverse(nombre), FILTROS).status_code == 200
