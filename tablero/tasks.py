"""Celery tasks of the tablero."""

import logging

from celery import shared_task
from django.db import transaction

from tablero import cache, resumenes

logger = logging.getLogger(__name__)


@shared_task
def recalcular_resumenes() -> dict[str, int]:
    """Nightly: recompute every running total, in case a write bypassed the signals."""
    with transaction.atomic():
        formulaciones, informes = resumenes.reconstruir()
    cache.invalidar()
    logger.info("Resúmenes del tablero: %s formulaciones, %s informes", formulaciones, informes)
    return {"formulaciones": formulaciones, "informes": informes}
