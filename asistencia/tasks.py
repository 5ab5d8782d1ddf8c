"""Celery tasks of technical assistance: invitations with their .ics, consulta reminders."""

from celery import shared_task
from django.utils import timezone

from asistencia import convocatorias, services


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=6)
def enviar_convocatoria(*, convocado_id: int, secuencia: int) -> int:
    """Mail one convened servicio's encargados the invitation; a retry sends nothing twice."""
    return convocatorias.invitacion_enviar(convocado_id=convocado_id, secuencia=secuencia)


@shared_task
def recordar_consultas() -> int:
    """Daily (Celery beat): consultas close to their deadline in días hábiles, or past it."""
    return services.consultas_recordar(hoy=timezone.localdate())
