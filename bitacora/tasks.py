"""Celery tasks of the notices: each takes an id (or nothing) and calls bitacora.envio."""

from celery import shared_task

from bitacora import envio


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=6)
def enviar_notificacion(*, notificacion_id: int) -> bool:
    """Send one notification; a retry after it was sent does nothing."""
    return envio.notificacion_enviar(notificacion_id=notificacion_id)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=6)
def enviar_resumenes_diarios() -> int:
    """Evening (Celery beat): one digest mail per person who chose it."""
    return envio.resumenes_diarios_enviar()
