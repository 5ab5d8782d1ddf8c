"""Retention of generated reports: old finished runs and their files are purged, nothing else."""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from reportes.models import Reporte
from reportes.tasks import purgar_reportes_antiguos
from tests.reportes.conftest import generar

pytestmark = pytest.mark.django_db


def envejecer(reporte: Reporte, dias: int) -> None:
    Reporte.objects.filter(pk=reporte.pk).update(
        creado=timezone.now() - datetime.timedelta(days=dias)
    )


def test_la_purga_borra_los_reportes_vencidos_y_sus_archivos(jefatura, proceso):
    viejo = generar(jefatura, "resumen_ejecutivo")
    reciente = generar(jefatura, "resumen_ejecutivo")
    en_cola = Reporte.objects.create(tipo="resumen_ejecutivo", anio=2026, solicitado_por=jefatura)
    assert viejo.estado == Reporte.Estado.LISTO and viejo.archivo
    envejecer(viejo, settings.SRM_REPORTES_DIAS_RETENCION + 1)
    envejecer(en_cola, settings.SRM_REPORTES_DIAS_RETENCION + 1)
    archivo_viejo = viejo.archivo.name
    assert viejo.archivo.storage.exists(archivo_viejo)

    assert purgar_reportes_antiguos.delay().get() == 1

    assert not Reporte.objects.filter(pk=viejo.pk).exists()
    assert not viejo.archivo.storage.exists(archivo_viejo)
    assert Reporte.objects.filter(pk__in=[reciente.pk, en_cola.pk]).count() == 2


def test_la_purga_esta_programada_cada_dia():
    tarea = settings.CELERY_BEAT_SCHEDULE["purgar-reportes-antiguos"]
    assert tarea["task"] == "reportes.tasks.purgar_reportes_antiguos"
