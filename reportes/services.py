"""Requesting, generating and scheduling reports.

A run goes pendiente → generando → listo | error. The file is written to a temporary file and
only then stored and the run marked done, in that order: a crash at any point leaves either no
run marked done or a done run with its whole file. A redelivered task finds the run done and
does nothing; one that finds it "generando" knows the previous worker died and starts over.
"""

import contextlib
import datetime
import logging
import tempfile
from functools import partial
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from bitacora.avisos import avisar
from compromisos.models import Hito, InformeAvance
from compromisos.selectors import proceso_vigente
from reportes import acceso
from reportes.datos import ReporteInvalido
from reportes.generadores import GENERADORES
from reportes.models import Reporte, TipoReporte, ruta_reporte
from servicios.models import Servicio
from srm import permisos
from srm.celery import app as celery_app

logger = logging.getLogger("srm.reportes")

# Errors worth a retry: the database or the storage did not answer this time.
TRANSITORIOS = (OperationalError, InterfaceError, ConnectionError, TimeoutError)
# Files larger than this go from memory to a temporary file on disk while being written.
MEMORIA_MAXIMA = 16 * 1024 * 1024


def reporte_solicitar(
    *,
    usuario: Any,
    tipo: str,
    anio: int,
    periodo: str = "",
    servicio: Servicio | None = None,
    filtros: dict[str, Any] | None = None,
) -> Reporte:
    """Record a run and queue it once the caller's transaction commits."""
    acceso.exigir_reporte(usuario, tipo, anio=anio, servicio=servicio)
    reporte = Reporte.objects.create(
        tipo=tipo,
        anio=anio,
        periodo=periodo,
        servicio=servicio,
        filtros=filtros or {},
        solicitado_por=usuario,
    )
    transaction.on_commit(partial(encolar, reporte.pk))
    return reporte


def reporte_repetir(*, reporte: Reporte, usuario: Any) -> Reporte:
    """A new run with the parameters of an earlier one (after a failure, or for fresh figures)."""
    return reporte_solicitar(
        usuario=usuario,
        tipo=reporte.tipo,
        anio=reporte.anio,
        periodo=reporte.periodo,
        servicio=reporte.servicio,
        filtros=reporte.filtros,
    )


# The task is named, not imported: reportes.tasks imports this module (tasks call services).
TAREA_GENERAR = "reportes.tasks.generar_reporte"


def encolar(reporte_id: int) -> None:
    """Hand the run to Celery; if the broker does not answer, say so on the run."""
    try:
        celery_app.signature(TAREA_GENERAR, args=(reporte_id,)).delay()
    except Exception:
        logger.exception("No se pudo encolar el reporte %s", reporte_id)
        Reporte.objects.filter(pk=reporte_id, estado=Reporte.Estado.PENDIENTE).update(
            estado=Reporte.Estado.ERROR,
            error=(
                "No se pudo poner el reporte en la cola: el servidor de tareas no responde. "
                "Intente nuevamente en unos minutos."
            ),
            terminado_en=timezone.now(),
        )


class Progreso:
    """Writes the run's percentage and stage, at most once per 5 points or change of stage."""

    def __init__(self, reporte: Reporte) -> None:
        self.en_curso = _este_intento(reporte)
        self.porcentaje = 0
        self.etapa = ""

    def __call__(self, fraccion: float, etapa: str) -> None:
        porcentaje = min(99, max(0, int(fraccion * 100)))
        if porcentaje // 5 == self.porcentaje // 5 and etapa == self.etapa:
            return
        self.porcentaje, self.etapa = porcentaje, etapa
        self.en_curso.update(progreso=porcentaje, etapa=etapa[:200])


def _este_intento(reporte: Reporte) -> QuerySet[Reporte]:
    """The run while this attempt still owns it: a later attempt takes it over."""
    return Reporte.objects.filter(
        pk=reporte.pk, estado=Reporte.Estado.GENERANDO, intentos=reporte.intentos
    )


def _iniciar(reporte_id: int) -> Reporte | None:
    with transaction.atomic():
        reporte = (
            Reporte.objects.select_for_update(of=("self",))
            .select_related("servicio")
            .filter(pk=reporte_id)
            .first()
        )
        if reporte is None or reporte.estado in (Reporte.Estado.LISTO, Reporte.Estado.ERROR):
            return None
        # "generando" here means an earlier attempt died mid-way: this one starts over.
        reporte.estado = Reporte.Estado.GENERANDO
        reporte.intentos += 1
        reporte.iniciado_en = timezone.now()
        reporte.progreso = 0
        reporte.etapa = "Iniciando"
        reporte.save(update_fields=["estado", "intentos", "iniciado_en", "progreso", "etapa"])
    return reporte


def reporte_generar(reporte_id: int, *, ultimo_intento: bool = True) -> Reporte | None:
    """Generate the run's file and mark it done; a repeated call on a done run does nothing."""
    reporte = _iniciar(reporte_id)
    if reporte is None:
        return None
    ruta = ""
    try:
        with tempfile.SpooledTemporaryFile(max_size=MEMORIA_MAXIMA) as destino, _aislado():
            nombre = GENERADORES[reporte.tipo](reporte, destino, Progreso(reporte))
            tamano = destino.seek(0, 2)
            destino.seek(0)
            ruta = default_storage.save(ruta_reporte(reporte, nombre), File(destino, name=nombre))
        with transaction.atomic():
            marcados = _este_intento(reporte).update(
                estado=Reporte.Estado.LISTO,
                archivo=ruta,
                tamano=tamano,
                progreso=100,
                etapa="Listo",
                error="",
                terminado_en=timezone.now(),
            )
        if not marcados:
            # Another attempt took the run over meanwhile: only this attempt's file goes.
            default_storage.delete(ruta)
            return None
        _quitar_otros_intentos(reporte, ruta)
    except ReporteInvalido as exc:
        _fallar(reporte, str(exc), ruta)
        return None
    except SoftTimeLimitExceeded:
        _fallar(
            reporte,
            "El reporte superó el tiempo máximo de generación. Acote los filtros o "
            "pida ayuda a la Unidad de Monitoreo.",
            ruta,
        )
        return None
    except TRANSITORIOS:
        logger.warning("Error transitorio en el reporte %s", reporte_id, exc_info=True)
        if not transaction.get_connection().in_atomic_block:
            # The connection may be the broken part: recording the outcome takes a fresh one.
            transaction.get_connection().close()
        if ultimo_intento:
            _fallar(
                reporte,
                "La base de datos o el almacenamiento no respondieron tras varios intentos. "
                "Intente nuevamente más tarde.",
                ruta,
            )
        else:
            _quitar(ruta)
            _este_intento(reporte).update(
                estado=Reporte.Estado.PENDIENTE,
                etapa="Error transitorio: se reintentará en unos momentos.",
            )
        raise
    except Exception as exc:
        logger.exception("Falló el reporte %s", reporte_id)
        _fallar(
            reporte,
            f"Error interno al generar el reporte ({type(exc).__name__}). Si se repite, "
            f"avise a la Unidad de Monitoreo indicando el reporte n.º {reporte_id}.",
            ruta,
        )
        return None
    reporte.refresh_from_db()
    try:
        _avisar_si_programado(reporte)
    except Exception:
        # The run is done and stays done; a retry would find it done and mail nobody.
        logger.exception("No se pudo avisar el reporte programado %s", reporte_id)
    return reporte


def _aislado() -> contextlib.AbstractContextManager:
    """A savepoint when called inside a transaction (a test, a command), so that a failed query
    does not abort it; in a worker (autocommit) nothing, so each progress write shows at once."""
    return (
        transaction.atomic()
        if transaction.get_connection().in_atomic_block
        else contextlib.nullcontext()
    )


def _fallar(reporte: Reporte, mensaje: str, ruta: str) -> None:
    _quitar(ruta)
    _este_intento(reporte).update(
        estado=Reporte.Estado.ERROR, error=mensaje, etapa="", terminado_en=timezone.now()
    )


def _quitar_otros_intentos(reporte: Reporte, ruta: str) -> None:
    """Files left by attempts that died after storing theirs: the run keeps only its own."""
    carpeta_run = ruta.rsplit("/", 2)[0]
    try:
        intentos, _ = default_storage.listdir(carpeta_run)
        for intento in intentos:
            if intento != str(reporte.intentos):
                carpeta = f"{carpeta_run}/{intento}"
                for nombre in default_storage.listdir(carpeta)[1]:
                    default_storage.delete(f"{carpeta}/{nombre}")
    except OSError:
        logger.warning(
            "No se pudieron quitar intentos anteriores de %s", carpeta_run, exc_info=True
        )


def _quitar(ruta: str) -> None:
    if ruta:
        try:
            default_storage.delete(ruta)
        except OSError:
            logger.warning("No se pudo borrar el archivo incompleto %s", ruta, exc_info=True)


# --- Schedule (Celery beat) ----------------------------------------------------------------

# Reports made after each informe deadline of the calendar.
TIPOS_TRAS_PLAZO = [TipoReporte.CONSOLIDADO_XLSX, TipoReporte.CONSOLIDADO_PDF]
# A beat that was down for some days still makes the reports of the deadlines it missed.
DIAS_DE_RECUPERACION = 7


def programar_reportes_de_plazos(*, hoy: datetime.date) -> list[Reporte]:
    """The consolidated report of each informe periodo whose deadline passed in the last days."""
    hitos = (
        Hito.objects.filter(
            etapa__in=InformeAvance.Periodo.values,
            fecha_limite__lt=hoy,
            fecha_limite__gte=hoy - datetime.timedelta(days=DIAS_DE_RECUPERACION),
        )
        .select_related("proceso")
        .prefetch_related("tipos_servicio")
        .order_by("fecha_limite", "pk")
    )
    nuevos = []
    for hito in hitos:
        # A deadline for one kind of servicio reports on that kind only.
        tipos = list(hito.tipos_servicio.all())
        filtros = {"tipo": tipos[0].pk, "descripcion": tipos[0].nombre} if len(tipos) == 1 else {}
        for tipo in TIPOS_TRAS_PLAZO:
            reporte, creado = Reporte.objects.get_or_create(
                clave_programacion=f"plazo:{hito.proceso.anio}:{hito.etapa}:{hito.fecha_limite}:{tipo}",
                defaults={
                    "tipo": tipo,
                    "anio": hito.proceso.anio,
                    "periodo": hito.etapa,
                    "filtros": filtros,
                },
            )
            if creado:
                transaction.on_commit(partial(encolar, reporte.pk))
                nuevos.append(reporte)
    return nuevos


def programar_resumen_semanal(*, hoy: datetime.date) -> Reporte | None:
    """This week's resumen ejecutivo; jefatura is e-mailed a link when it is ready."""
    proceso = proceso_vigente()
    if proceso is None:
        return None
    anio_iso, semana, _ = hoy.isocalendar()
    reporte, creado = Reporte.objects.get_or_create(
        clave_programacion=f"{CLAVE_RESUMEN_SEMANAL}:{anio_iso}-S{semana:02d}",
        defaults={"tipo": TipoReporte.RESUMEN_EJECUTIVO, "anio": proceso.anio},
    )
    if creado:
        transaction.on_commit(partial(encolar, reporte.pk))
    return reporte if creado else None


CLAVE_RESUMEN_SEMANAL = "resumen-semanal"


def _avisar_si_programado(reporte: Reporte) -> None:
    if not (reporte.clave_programacion or "").startswith(CLAVE_RESUMEN_SEMANAL):
        return
    jefatura = list(
        get_user_model().objects.filter(groups__name=permisos.Rol.JEFATURA, is_active=True)
    )
    avisar(
        clave=f"reporte:{reporte.pk}",
        destinatarios=jefatura,
        asunto=f"[SRM] Resumen semanal del PMG {reporte.anio}",
        plantilla="reportes/correo_resumen_semanal.txt",
        contexto={
            "reporte": reporte,
            "ruta_descarga": reverse("reportes:descargar", args=[reporte.pk]),
            "ruta_reportes": reverse("reportes:lista"),
        },
    )


# --- Runs that never finish --------------------------------------------------------------

# A run still queued after the broker's visibility timeout, or still being generated after the
# task's hard time limit, has no worker any more (the limit killed it, or the message was lost).
ESPERA_MAXIMA_EN_COLA = datetime.timedelta(
    seconds=settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout", 7200)
)
ESPERA_MAXIMA_GENERANDO = datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 10 * 60)


def cerrar_reportes_detenidos(*, ahora: datetime.datetime) -> int:
    """Mark failed the runs nobody is working on any more, so they can be asked for again."""
    mensaje = (
        "El reporte no terminó: el proceso que lo generaba se detuvo. "
        "Pídalo de nuevo con «Reintentar»."
    )
    en_cola = Reporte.objects.filter(
        estado=Reporte.Estado.PENDIENTE, creado__lt=ahora - ESPERA_MAXIMA_EN_COLA
    )
    generando = Reporte.objects.filter(
        estado=Reporte.Estado.GENERANDO, iniciado_en__lt=ahora - ESPERA_MAXIMA_GENERANDO
    )
    return sum(
        consulta.update(estado=Reporte.Estado.ERROR, error=mensaje, etapa="", terminado_en=ahora)
        for consulta in (en_cola, generando)
    )
