"""Values that depend only on the catalogs, kept in the shared cache until a catalog changes.

The catalogs are the years with their calendars and deliverable kinds, the ministerios, tipos
and regiones (and each year's cumplimiento rule), the programa marco's sistemas, etapas and
requisitos técnicos, and the holidays: rows written a few times a year, read by every filter
of the site (the tablero's, the review queue's, the reports page's) and by every page of an
informe (its deadline, the requisitos of its etapa). One number, the catalog version, lives in
the shared cache and moves with every write to one of them; a value
computed from the catalogs is kept under the version it was computed from, so a write only has
to move the version to make every older value unreachable.

Informes, observaciones, transitions (the writes of the working day) do not move it: the first
page after one of them does not read the catalogs again.

The version mechanics (a number started from the clock, moved now and again at commit) are the
ones the tablero's data versions use too (tablero/cache.py builds on them).
"""

import hashlib
import logging
import time
from collections.abc import Callable, Sequence
from contextvars import ContextVar
from typing import Any, TypeVar

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

logger = logging.getLogger(__name__)

CLAVE = "srm:catalogo"

# The catalogs the filters offer (model labels: this module sits below the apps).
MODELOS = [
    "compromisos.Proceso",
    "compromisos.Hito",
    # The year's deliverable kinds: the tracker's columns and the periodo filters (issue 16).
    "compromisos.TipoEntregable",
    # The forms those kinds use (the homes show what a kind's form assumed).
    "formularios.Plantilla",
    "servicios.Ministerio",
    "servicios.TipoServicio",
    "servicios.Region",
    # The year's cumplimiento rule and incentive tramos (tablero.selectors.regla_del_anio).
    "programa.ReglaCumplimiento",
    "programa.TramoIncentivo",
    # An etapa of a sistema with its requisitos técnicos and the medios each asks for
    # (compromisos.selectors.etapa_comprometida).
    "programa.SistemaPMG",
    "programa.EtapaSistema",
    "programa.RequisitoTecnico",
    "programa.MedioRequerido",
    # Chile's holidays: the días hábiles left to answer a consulta, on the analista's home.
    "habiles.Feriado",
]
# The kinds of servicio a hito applies to.
RELACIONES = [("compromisos.Hito", "tipos_servicio")]

T = TypeVar("T")


# The catalog version read by the request under way (one round trip per page however many
# values it asks for): None outside a request (a shell, a Celery task: always read), 0 in a
# request that has not read it yet.
_DEL_PEDIDO: ContextVar[int | None] = ContextVar("catalogo_del_pedido", default=None)


def _al_empezar_pedido(**kwargs) -> None:
    _DEL_PEDIDO.set(0)


def _al_terminar_pedido(**kwargs) -> None:
    _DEL_PEDIDO.set(None)


def version_del_pedido() -> int:
    """The catalog version, read once per request."""
    leida = _DEL_PEDIDO.get()
    if leida:
        return leida
    actual = version()
    if leida is not None:
        _DEL_PEDIDO.set(actual)
    return actual


def version(clave: str = CLAVE) -> int:
    """The current version under `clave`; a new one starts from the clock, so that no old key
    comes back after the cache lost it."""
    actual = cache.get(clave)
    if actual is None:
        cache.add(clave, time.time_ns(), timeout=None)
        actual = cache.get(clave)
    return actual


def _incrementar(clave: str) -> None:
    try:
        cache.incr(clave)
    except ValueError:  # no version yet, or evicted: any fresh one invalidates as well
        cache.add(clave, time.time_ns(), timeout=None)


def invalidar(clave: str = CLAVE) -> None:
    """Make every value kept under `clave`'s version stale: now, and again once the writing
    transaction commits.

    The bump at commit covers a value computed meanwhile from the not yet committed data's
    predecessor; the bump now covers readers inside the same transaction (tests, shell).
    """
    if clave == CLAVE and _DEL_PEDIDO.get():
        _DEL_PEDIDO.set(0)  # a request that writes a catalog reads the new version
    try:
        _incrementar(clave)
    except Exception:
        # A cache outage must not undo the write that triggered it; the TTL bounds the damage.
        logger.exception("No se pudo invalidar el caché (%s)", clave)
        return
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _al_confirmar(clave), robust=True)


def _al_confirmar(clave: str) -> None:
    _incrementar(clave)
    if clave == CLAVE and _DEL_PEDIDO.get():
        # What the request read inside the transaction may have been filled meanwhile, by
        # another process, from the data before this write: read the version again.
        _DEL_PEDIDO.set(0)


def _tras_migrar(**kwargs) -> None:
    # Data migrations write through historical models, which send no signals.
    invalidar()


def conectar_version(clave: str, modelos: list[str], relaciones: list[tuple[str, str]]) -> None:
    """Move the version under `clave` with every write to these models (labels) and to these
    many-to-many relations (label, field)."""

    def al_escribir(sender, **kwargs) -> None:
        invalidar(clave)

    def al_cambiar_relacion(sender, action: str, **kwargs) -> None:
        if action.startswith("post_"):
            invalidar(clave)

    # The receivers are closures: held strongly, or they would be collected.
    for etiqueta in modelos:
        modelo = apps.get_model(etiqueta)
        for senal, nombre in ((post_save, "save"), (post_delete, "del")):
            senal.connect(
                al_escribir, sender=modelo, weak=False, dispatch_uid=f"{clave}:{etiqueta}:{nombre}"
            )
    for etiqueta, campo in relaciones:
        intermedia = getattr(apps.get_model(etiqueta), campo).through
        m2m_changed.connect(
            al_cambiar_relacion,
            sender=intermedia,
            weak=False,
            dispatch_uid=f"{clave}:{etiqueta}.{campo}",
        )


def conectar() -> None:
    """Connect the receivers that move the catalog version (SrmConfig.ready), and those that
    mark where a request starts and ends (the version is read once per request)."""
    conectar_version(CLAVE, MODELOS, RELACIONES)
    post_migrate.connect(_tras_migrar, dispatch_uid="catalogo:migrar")
    request_started.connect(_al_empezar_pedido, dispatch_uid="catalogo:pedido")
    request_finished.connect(_al_terminar_pedido, dispatch_uid="catalogo:fin-pedido")


# Values of the current catalog version already read by this process: the version is asked of
# the shared cache on every call, the value only once per process and version.
_DEL_PROCESO: dict[str, Any] = {}
_DEL_PROCESO_MAXIMO = 256


def resumir(partes: Sequence[str]) -> str:
    """The parts of a key as they are when short; a digest when long, so a filter value sent
    by hand (3,000 characters) cannot make huge keys."""
    juntas = ":".join(partes)
    return juntas if len(juntas) <= 64 else hashlib.sha256(juntas.encode()).hexdigest()[:32]


def _guardar_ahora(valores: dict[str, Any]) -> None:
    try:
        cache.set_many(valores, settings.SRM_TABLERO_CACHE_SEGUNDOS)
    except Exception:
        logger.exception("Caché no disponible")


def del_catalogo(
    nombre: str,
    calcular: Callable[[], T],
    *partes: str,
    version_leida: int | None = None,
    guardar: Callable[[dict[str, Any]], None] = _guardar_ahora,
) -> T:
    """A value that depends only on the catalogs (and on `partes`), kept until one changes.

    The filters' choices, the list of years, the names of the groups: the same for every
    user, every figure and every write that is not to a catalog. `version_leida`: the catalog
    version when the caller already read it (the tablero reads its versions in one round
    trip); `guardar`: how the caller stores what it computed (the tablero, when its page ends).
    """
    try:
        actual = version_del_pedido() if version_leida is None else version_leida
        llave = ":".join(["srm:de-catalogo", nombre, str(actual), resumir(partes)])
        guardado = _DEL_PROCESO.get(llave)
        if guardado is None:
            guardado = cache.get(llave)
    except Exception:
        logger.exception("Caché no disponible")
        return calcular()
    if guardado is None:
        guardado = calcular()
        if guardado is None:  # nothing to keep (a year asked for that has no proceso)
            return None
        guardar({llave: guardado})
    if len(_DEL_PROCESO) >= _DEL_PROCESO_MAXIMO:
        _DEL_PROCESO.clear()
    _DEL_PROCESO[llave] = guardado
    return guardado
