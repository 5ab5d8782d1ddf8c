"""Celery tasks of the reports: each loads its run and calls the service; reruns are safe.

Acknowledged late and rejected when the worker is lost (settings), so a worker killed
mid-report leads to a rerun of the same run, never a lost or a second file.
"""

from celery import shared_task
from django.utils import timezone

from reportes import services

# Seconds before each retry after a transient error: 10 s, 20 s, 40 s… up to 10 minutes.
ESPERA_INICIAL = 10
ESPERA_MAXIMA = 600


def espera_antes_de_reintentar(reintentos: int) -> int:
    return min(ESPERA_MAXIMA, ESPERA_INICIAL * 2**reintentos)


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=5)
def generar_reporte(self, reporte_id: int) -> bool:
    # In-process (embedded default) a retry would block the request: fail at once instead.
    ultimo = self.request.is_eager or self.request.retries >= self.max_retries
    try:
        reporte = services.reporte_generar(reporte_id, ultimo_intento=ultimo)
    except services.TRANSITORIOS as exc:
        if ultimo:
            return False
        raise self.retry(
            exc=exc, countdown=espera_antes_de_reintentar(self.request.retries)
        ) from exc
    return reporte is not None


@shared_task
def programar_reportes_de_plazos() -> int:
    """Daily (Celery beat): the consolidated report after each informe deadline."""
    return len(services.programar_reportes_de_plazos(hoy=timezone.localdate()))


@shared_task
def programar_resumen_semanal() -> bool:
    """Weekly (Celery beat): the resumen ejecutivo, e-mailed to jefatura with a link."""
    return services.programar_resumen_semanal(hoy=timezone.localdate()) is not None


@shared_task
def programar_reportes_de_metas() -> int:
    """Monthly (Celery beat): the División's metas, a PDF per department and the Excel."""
    return len(services.programar_reportes_de_metas(hoy=timezone.localdate()))


@shared_task
def cerrar_reportes_detenidos() -> int:
    """Every minute (Celery beat): runs whose worker died or whose message was lost."""
    return services.cerrar_reportes_detenidos(ahora=timezone.now())


@shared_task
def purgar_reportes_antiguos() -> int:
    """Daily (Celery beat): delete reports older than the retention period (reportes/retencion.py)."""
    from reportes.retencion import reportes_purgar

    return reportes_purgar()
