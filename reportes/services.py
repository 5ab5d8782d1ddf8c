"""Requesting, generating and scheduling reports.

A run goes pendiente → generando → listo | error. The file is written to a temporary file and
only then stored and the run marked done, in that order: a crash at any point leaves either no
run marked done or a done run with its whole file. A redelivered task finds the run done and
does nothing; one that finds it "generando" knows the previous worker died and starts over.

While an attempt works it writes a heartbeat (Reporte.latido) with its progress; a run whose
heartbeat stops for SRM_MINUTOS_SIN_LATIDO is marked "detenido" by the beat, and «Reintentar»
queues that same run again: a retry never makes a second run, nor a second file.
"""

import contextlib
import datetime
import logging
import tempfile
import time
from functools import partial
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from bitacora.avisos import avisar
from compromisos.models import Hito, InformeAvance
from compromisos.selectors import proceso_vigente, programa_del_anio
from metas.models import Departamento
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
    acceso.exigir_reporte(
        usuario,
        tipo,
        anio=anio,
        servicio=servicio,
        departamento=(filtros or {}).get("departamento"),
    )
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
    """A stopped run is queued again as it is; a finished one gets a new run with its parameters
    (after a failure, or for fresh figures); one still queued or running is left alone."""
    reporte.refresh_from_db(fields=["estado"])
    if reporte.esta_en_curso:
        return reporte
    if reporte.estado == Reporte.Estado.DETENIDO:
        acceso.exigir_reporte(
            usuario,
            reporte.tipo,
            anio=reporte.anio,
            servicio=reporte.servicio,
            departamento=reporte.filtros.get("departamento"),
        )
        # Only the click that finds it stopped queues it: a second click finds it queued.
        if Reporte.objects.filter(pk=reporte.pk, estado=Reporte.Estado.DETENIDO).update(
            estado=Reporte.Estado.PENDIENTE,
            progreso=0,
            etapa="En cola nuevamente",
            error="",
            terminado_en=None,
            latido=timezone.now(),
        ):
            transaction.on_commit(partial(encolar, reporte.pk))
        reporte.refresh_from_db()
        return reporte
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


# Seconds between heartbeats while the percentage does not move.
LATIDO = 20


class Progreso:
    """Writes the run's percentage, stage and heartbeat: once per 5 points, change of stage, or
    LATIDO seconds."""

    def __init__(self, reporte: Reporte) -> None:
        self.en_curso = _este_intento(reporte)
        self.porcentaje = 0
        self.etapa = ""
        self.ultimo = time.monotonic()

    def __call__(self, fraccion: float, etapa: str) -> None:
        porcentaje = min(99, max(0, int(fraccion * 100)))
        mismo = porcentaje // 5 == self.porcentaje // 5 and etapa == self.etapa
        if mismo and time.monotonic() - self.ultimo < LATIDO:
            return
        self.porcentaje, self.etapa, self.ultimo = porcentaje, etapa, time.monotonic()
        self.en_curso.update(progreso=porcentaje, etapa=etapa[:200], latido=timezone.now())


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
        # "generando" or "detenido" here means an earlier attempt died mid-way (a message
        # redelivered after the broker's timeout): this one starts over.
        reporte.estado = Reporte.Estado.GENERANDO
        reporte.intentos += 1
        reporte.iniciado_en = reporte.latido = timezone.now()
        reporte.progreso = 0
        reporte.etapa = "Iniciando"
        reporte.error = ""
        reporte.save(
            update_fields=[
                "estado",
                "intentos",
                "iniciado_en",
                "latido",
                "progreso",
                "etapa",
                "error",
            ]
        )
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


def programar_reportes_de_metas(*, hoy: datetime.date) -> list[Reporte]:
    """On the first days of a month: the División's metas report of the month just ended, a
    PDF per department and the Excel of every measurement, once each."""
    fin_de_mes = hoy.replace(day=1) - datetime.timedelta(days=1)
    anio, mes = fin_de_mes.year, fin_de_mes.month
    pedidos = [(TipoReporte.METAS_XLSX, {}, "todos")]
    pedidos += [
        (TipoReporte.METAS_PDF, {"departamento": pk, "descripcion": nombre}, pk)
        for pk, nombre in Departamento.objects.order_by("nombre").values_list("pk", "nombre")
    ]
    nuevos = []
    for tipo, filtros, clave in pedidos:
        reporte, creado = Reporte.objects.get_or_create(
            clave_programacion=f"metas-mensual:{anio}-{mes:02d}:{tipo}:{clave}",
            defaults={"tipo": tipo, "anio": anio, "filtros": filtros},
        )
        if creado:
            transaction.on_commit(partial(encolar, reporte.pk))
            nuevos.append(reporte)
    return nuevos


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
            "programa": programa_del_anio(reporte.anio),
            "ruta_descarga": reverse("reportes:descargar", args=[reporte.pk]),
            "ruta_reportes": reverse("reportes:lista"),
        },
    )


# --- Runs that never finish --------------------------------------------------------------

# A run still queued after the broker's visibility timeout has lost its message; one being
# generated whose heartbeat stopped for some minutes has lost its worker (killed, out of memory,
# the machine restarted). Its message may come back only after the visibility timeout (hours).
ESPERA_MAXIMA_EN_COLA = datetime.timedelta(
    seconds=settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout", 7200)
)
SIN_LATIDO = datetime.timedelta(minutes=settings.SRM_MINUTOS_SIN_LATIDO)

MENSAJE_DETENIDO = (
    "El reporte no terminó: el proceso que lo generaba se detuvo. Pídalo de nuevo con «Reintentar»."
)


def cerrar_reportes_detenidos(*, ahora: datetime.datetime) -> int:
    """Mark "detenido" the runs nobody is working on any more, so they can be retried."""
    # Queued since it was asked for, or since it was retried (its heartbeat).
    limite = ahora - ESPERA_MAXIMA_EN_COLA
    en_cola = Reporte.objects.filter(estado=Reporte.Estado.PENDIENTE).filter(
        Q(latido__isnull=True, creado__lt=limite) | Q(latido__lt=limite)
    )
    callado = ahora - SIN_LATIDO
    generando = Reporte.objects.filter(estado=Reporte.Estado.GENERANDO).filter(
        Q(latido__lt=callado) | Q(latido__isnull=True, iniciado_en__lt=callado)
    )
    # Each update repeats its condition: a run that beat meanwhile is left alone.
    return sum(
        consulta.update(estado=Reporte.Estado.DETENIDO, error=MENSAJE_DETENIDO, terminado_en=ahora)
        for consulta in (en_cola, generando)
    )
