"""The informe de resultados de la autoevaluación made by a real `celery -A srm worker`."""

import pytest
from django.urls import reverse

from reportes.models import Reporte
from tests.calidad.conftest import ANIO_CALIDAD
from tests.conftest import cliente
from tests.reportes.conftest import texto_de
from tests.reportes.test_worker import esperar, estado

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def test_un_worker_real_genera_el_informe_pedido_desde_la_tarjeta(
    validada, equipo_gore, worker_celery
):
    respuesta = cliente(equipo_gore).post(reverse("reportes:calidad_pdf", args=[validada.pk]))
    assert respuesta.status_code == 302
    reporte = Reporte.objects.get(tipo="calidad_pdf")
    esperar(lambda: estado(reporte) in ("listo", "error"), mensaje="el informe del worker")
    assert reporte.estado == Reporte.Estado.LISTO, reporte.error
    assert (reporte.servicio_id, reporte.anio) == (validada.servicio_id, ANIO_CALIDAD)
    texto = texto_de(reporte)
    assert "Gobierno Regional de Los Lagos · 2011" in texto
    assert "Puntaje validado por SUBDERE 200 de 500" in texto
    assert (
        "Alcanza 200 puntos: le falta un Plan de Mejoras validado para el Nivel Calidad." in texto
    )
    # The team downloads it from its history.
    descarga = cliente(equipo_gore).get(reverse("reportes:descargar", args=[reporte.pk]))
    assert descarga.status_code == 200 and descarga["Content-Type"] == "application/pdf"
