"""Retention of generated reports: runs older than SRM_REPORTES_DIAS_RETENCION days are purged.

A report is a copy made from data the SRM keeps (and the backups keep): after the retention
period its file and its row in the history are deleted, and it can be asked for again.
Runs still queued or generating are never purged.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from reportes.models import Reporte

TERMINADOS = (Reporte.Estado.LISTO, Reporte.Estado.ERROR)


def reportes_purgar(*, ahora: datetime.datetime | None = None) -> int:
    """Delete finished runs older than the retention period, files first; answers how many."""
    limite = (ahora or timezone.now()) - datetime.timedelta(
        days=settings.SRM_REPORTES_DIAS_RETENCION
    )
    purgados = 0
    for reporte in Reporte.objects.filter(creado__lt=limite, estado__in=TERMINADOS).iterator():
        with transaction.atomic():
            if reporte.archivo:
                # A missing file is fine: the row goes anyway.
                reporte.archivo.delete(save=False)
            reporte.delete()
        purgados += 1
    return purgados
