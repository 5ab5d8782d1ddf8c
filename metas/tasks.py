from celery import shared_task
from django.utils import timezone

from metas.services import indicadores_calcular


@shared_task(time_limit=600)
def calcular_indicadores() -> int:
    """Nightly: the year's computed indicators from the SRM's records (idempotent)."""
    return indicadores_calcular(anio=timezone.localdate().year)
