"""The rendered body of the tablero's pages, shared by every process and invalidated by writes.

A single number, the data version, lives in the shared cache. Every page body is stored under
a key that carries the version it was computed from, so a write only has to bump the version
to make every older body unreachable; the TTL (`SRM_TABLERO_CACHE_SEGUNDOS`) then clears them
out, and also bounds how stale a page can be after a write that sends no signal.

State transitions are written with `QuerySet.update()` (compromisos.services), which sends no
signal, but each of them logs an `Evento` row: its `post_save` bumps the version for them.

A second number, the catalog version (srm/catalogo.py, shared with the other pages' filters),
moves only with the years and their calendars, the ministerios, tipos and regiones. What
depends on nothing else (the filter form and its choices, the year asked for) is kept under it,
so the first view after an informe is saved does not rebuild them.

A page reads the versions once, in one round trip, when it starts (`con_versiones_leidas`):
every key of the page then names the same moment of the data.
"""

import datetime
import functools
import hashlib
import logging
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any, TypeVar

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_save
from django.http import HttpRequest, QueryDict
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from srm import catalogo, permisos

logger = logging.getLogger(__name__)

CLAVE_VERSION = "tablero:version"
CLAVE_CATALOGO = catalogo.CLAVE
# Per year, moved by the running totals of that year's formulaciones and informes
# (tablero.resumenes); per year too, moved only by the formulaciones' totals (compromisos and
# their verdicts: an informe saved leaves them); and one for the servicios' ministerio, tipo
# and región, which every year's figures filter by.
CLAVE_ANIO = "tablero:version-anio:{}"
CLAVE_COMPROMISOS = "tablero:version-compromisos:{}"
CLAVE_SERVICIOS = "tablero:version-servicios"
# Moved by any write to technical assistance (asistencia): the tablero's block of it is kept
# under this version and the year's compromisos version (its servicios with formulación).
CLAVE_ASISTENCIA = "tablero:version-asistencia"

# Every model whose rows the tablero counts, names or lists.
MODELOS = [
    "compromisos.Proceso",
    "compromisos.Hito",
    "compromisos.TipoEntregable",
    "compromisos.FormulacionPMG",
    "compromisos.Compromiso",
    "compromisos.HitoCompromiso",
    "compromisos.InformeAvance",
    "compromisos.AvanceCompromiso",
    "compromisos.MedioVerificacion",
    "servicios.Servicio",
    "servicios.Ministerio",
    "servicios.TipoServicio",
    "servicios.Region",
    "validacion.Observacion",
    "validacion.ValidacionServicio",
    "validacion.ValidacionIniciativa",
    "bitacora.Evento",
    # The year's universe and cumplimiento (issue 15): who takes part, DIPRES's results.
    "programa.ProgramaMarco",
    "programa.Participacion",
    "programa.CifraUniverso",
    "programa.ReglaCumplimiento",
    "programa.TramoIncentivo",
    "validacion.ResultadoSistema",
]
# Technical assistance's rows that the tablero's block counts: a write moves the data version
# (the page body shows the block) and the assistance version (the block itself).
MODELOS_ASISTENCIA = [
    "asistencia.Consulta",
    "asistencia.Contacto",
    "asistencia.Actividad",
    "asistencia.Convocado",
    "asistencia.Inscripcion",
    "asistencia.Acuerdo",
]
# (Writes to the catalogs, srm.catalogo.MODELOS, move the catalog version there, and the data
# version here: figures name them.)
RELACIONES = [("compromisos.Hito", "tipos_servicio"), ("compromisos.Compromiso", "regiones")]


# The versions a page read when it started (see con_versiones_leidas); None outside a page.
_LEIDAS: ContextVar[dict[str, int] | None] = ContextVar("tablero_versiones", default=None)
# The years whose versions the last page asked for (por_anio): the next page reads them with
# the others, in the same round trip.
_ANIOS_VISTOS: set[int] = set()
# What a page computed (its body, rows of the trend…), stored in one round trip when it ends;
# None outside a page.
_PENDIENTES: ContextVar[dict[str, Any] | None] = ContextVar("tablero_pendientes", default=None)


def version(clave: str = CLAVE_VERSION) -> int:
    """The current version; a new one starts from the clock so no old key comes back."""
    leidas = _LEIDAS.get()
    if leidas is not None and clave in leidas:
        return leidas[clave]
    actual = catalogo.version(clave)
    if leidas is not None:
        leidas[clave] = actual
    return actual


def _versiones(claves: list[str]) -> dict[str, int]:
    """Those of `claves` that exist, from what the page read or in one round trip."""
    leidas = _LEIDAS.get()
    if leidas is None:
        return cache.get_many(claves)
    faltan = [clave for clave in claves if clave not in leidas]
    if faltan:
        leidas.update(cache.get_many(faltan))
    return {clave: leidas[clave] for clave in claves if clave in leidas}


def _guardar(valores: dict[str, Any]) -> None:
    """Store values for the tablero's TTL: when the page ends if inside one, else now."""
    pendientes = _PENDIENTES.get()
    if pendientes is not None:
        pendientes.update(valores)
        return
    try:
        cache.set_many(valores, settings.SRM_TABLERO_CACHE_SEGUNDOS)
    except Exception:
        logger.exception("Caché del tablero no disponible")


def con_versiones_leidas(vista: Callable) -> Callable:
    """Read the page's versions in one round trip to the shared cache, and keep them for the
    request: a cold page asks for the data, catalog and servicios versions at several steps.
    What the page computes is stored when it ends, in one round trip too.

    Only for views that do not write: a write during the request would not be seen.
    """

    @functools.wraps(vista)
    def envuelta(request: HttpRequest, *args, **kwargs):
        claves = [CLAVE_VERSION, CLAVE_CATALOGO, CLAVE_SERVICIOS, CLAVE_ASISTENCIA]
        for anio in list(_ANIOS_VISTOS):
            claves += [CLAVE_ANIO.format(anio), CLAVE_COMPROMISOS.format(anio)]
        try:
            leidas = cache.get_many(claves)
        except Exception:
            logger.exception("Caché del tablero no disponible")
            leidas = {}
        ficha = _LEIDAS.set(leidas)
        ficha_pendientes = _PENDIENTES.set({})
        try:
            respuesta = vista(request, *args, **kwargs)
            pendientes = _PENDIENTES.get()
        finally:
            _LEIDAS.reset(ficha)
            _PENDIENTES.reset(ficha_pendientes)
        if pendientes:
            _guardar(pendientes)
        return respuesta

    return envuelta


def invalidar(clave: str = CLAVE_VERSION) -> None:
    """Make every cached page (or what is kept under another of the versions) stale: now, and
    again once the writing transaction commits (srm.catalogo.invalidar)."""
    catalogo.invalidar(clave)


# Attendance is written with QuerySet.update() (asistencia.services.asistencia_registrar): no
# signal, but its logged event is one, as for the compromisos' transitions.
ACCIONES_DE_ASISTENCIA = ("consulta.", "actividad.", "acuerdo.", "contacto.")


def _al_registrar_evento(sender, instance, **kwargs) -> None:
    if instance.accion.startswith(ACCIONES_DE_ASISTENCIA):
        invalidar(CLAVE_ASISTENCIA)


def invalidar_anios(anios, *, compromisos: bool = False) -> None:
    """The totals of these years changed (see por_anio): their informes', or with `compromisos`
    their formulaciones'."""
    for anio in set(anios):
        invalidar(CLAVE_ANIO.format(anio))
        if compromisos:
            invalidar(CLAVE_COMPROMISOS.format(anio))


def conectar() -> None:
    """Connect the receivers that keep the versions current (TableroConfig.ready)."""
    catalogo.conectar_version(CLAVE_VERSION, MODELOS + MODELOS_ASISTENCIA, RELACIONES)
    catalogo.conectar_version(CLAVE_SERVICIOS, ["servicios.Servicio"], [])
    catalogo.conectar_version(CLAVE_ASISTENCIA, MODELOS_ASISTENCIA, [])
    post_save.connect(
        _al_registrar_evento,
        sender=apps.get_model("bitacora.Evento"),
        dispatch_uid="asistencia:evento",
    )


def clave(
    request: HttpRequest, pagina: str, parametros: QueryDict, hoy: datetime.date | None = None
) -> str:
    """Page, data version, role, the effective filters and, when the page depends on it, today.

    The role is there although every role that reads the tablero reads everything today: a
    later view scoped to a cartera must not be served another role's body.
    """
    consulta = hashlib.sha256(parametros.urlencode().encode()).hexdigest()[:32]
    dia = hoy.isoformat() if hoy else "-"
    return f"tablero:{pagina}:{version()}:{permisos.rol(request.user)}:{dia}:{consulta}"


def cuerpo(
    request: HttpRequest,
    *,
    pagina: str,
    parametros: QueryDict,
    plantilla: str,
    contexto: Callable[[], dict],
    hoy: datetime.date | None = None,
) -> SafeString:
    """The page body from the cache, or rendered from `contexto()` and stored.

    `parametros` must hold every input of the body besides the data and `hoy`: two requests
    with equal parameters get the same HTML, so it holds no per-user data and no CSRF token.
    """
    try:
        llave = clave(request, pagina, parametros, hoy)
        guardado = cache.get(llave)
    except Exception:
        # Without the cache the page is only slower: render it.
        logger.exception("Caché del tablero no disponible")
        llave, guardado = None, None
    if guardado is not None:
        return mark_safe(guardado)
    html = render_to_string(
        plantilla, {**contexto(), "calculado_en": timezone.now()}, request=request
    )
    if llave is not None:
        _guardar({llave: str(html)})
    return mark_safe(html)


T = TypeVar("T")


def del_catalogo(nombre: str, calcular: Callable[[], T], *partes: str) -> T:
    """A value that depends only on the catalogs (and on `partes`), kept until one changes
    (srm.catalogo.del_catalogo), under the catalog version the page read when it started and
    stored when it ends."""
    try:
        leida = version(CLAVE_CATALOGO)
    except Exception:
        logger.exception("Caché del tablero no disponible")
        return calcular()
    return catalogo.del_catalogo(nombre, calcular, *partes, version_leida=leida, guardar=_guardar)


def por_anio(
    nombre: str,
    anios: list[int],
    partes: list[str],
    calcular: Callable[[list[int]], dict[int, T]],
    *,
    clave_anio: str = CLAVE_ANIO,
) -> dict[int, T]:
    """One value per year, each kept under the version of its year (`clave_anio`: all its
    totals, or CLAVE_COMPROMISOS for its formulaciones' only) and of the servicios.

    The trend reads ten years but a write touches one: the others are read from the cache and
    only the years whose version moved are computed, by one call of `calcular(years)`.
    """
    _ANIOS_VISTOS.update(anios)
    try:
        versiones = _versiones([clave_anio.format(anio) for anio in anios])
        de_servicios = version(CLAVE_SERVICIOS)
        llaves = {
            anio: ":".join(
                [
                    "tablero:por-anio",
                    nombre,
                    str(anio),
                    str(versiones.get(clave_anio.format(anio)) or version(clave_anio.format(anio))),
                    str(de_servicios),
                    catalogo.resumir(partes),
                ]
            )
            for anio in anios
        }
        guardados = cache.get_many(list(llaves.values()))
    except Exception:
        logger.exception("Caché del tablero no disponible")
        return calcular(anios)
    valores = {anio: guardados[llave] for anio, llave in llaves.items() if llave in guardados}
    faltan = [anio for anio in anios if anio not in valores]
    if faltan:
        nuevos = calcular(faltan)
        valores.update(nuevos)
        _guardar({llaves[anio]: valor for anio, valor in nuevos.items()})
    return valores


def de_asistencia(anio: int, hoy: datetime.date, calcular: Callable[[], T]) -> T:
    """The tablero's block of technical assistance for a year, kept until an assistance row or
    the year's formulaciones change (or the day does: it counts what is overdue). An informe
    saved recomputes the page body but not this block."""
    try:
        llave = ":".join(
            [
                "tablero:asistencia",
                str(anio),
                hoy.isoformat(),
                str(version(CLAVE_ASISTENCIA)),
                str(version(CLAVE_COMPROMISOS.format(anio))),
            ]
        )
        guardado = cache.get(llave)
    except Exception:
        logger.exception("Caché del tablero no disponible")
        return calcular()
    if guardado is None:
        guardado = calcular()
        _guardar({llave: guardado})
    return guardado
