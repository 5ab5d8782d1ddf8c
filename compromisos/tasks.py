"""Celery tasks of the PMG cycle: each calls a service; reruns send nothing twice."""

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from compromisos import avisos


@shared_task
def enviar_recordatorios() -> int:
    """Daily (Celery beat): deadlines coming in SRM_DIAS_AVISO_PLAZO days, and yesterday's overdue."""
    return avisos.avisar_plazos(hoy=timezone.localdate(), dias_antes=settings.SRM_DIAS_AVISO_PLAZO)
