"""Reports made by a real `celery -A srm worker` over Redis, on the test database."""

import os
import signal
import subprocess
import time

import pytest
from django.db import connection

from reportes import services
from reportes.models import Reporte
from srm.excel import FILA_ENCABEZADO
from tests.conftest import ANIO
from tests.reportes.conftest import libro

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def esperar(condicion, segundos: float = 90, mensaje: str = "") -> None:
    limite = time.monotonic() + segundos
    while not condicion():
        if time.monotonic() > limite:
            pytest.fail(f"Tiempo agotado esperando: {mensaje}")
        time.sleep(0.1)


def estado(reporte: Reporte) -> str:
    reporte.refresh_from_db()
    return reporte.estado


def test_un_worker_real_genera_el_reporte(anio_con_datos, jefatura, worker_celery):
    reporte = services.reporte_solicitar(
        usuario=jefatura, tipo="consolidado_xlsx", anio=ANIO, periodo="avance_1"
    )  # autocommit here: queued at once
    esperar(lambda: estado(reporte) in ("listo", "error"), mensaje="el reporte del worker")
    assert reporte.estado == Reporte.Estado.LISTO, reporte.error
    assert reporte.intentos == 1
    hoja = libro(reporte)["Servicios"]
    assert hoja.max_row == FILA_ENCABEZADO + 3  # letterhead, header + 3 servicios


def _hijos(pid: int) -> list[int]:
    salida = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(linea) for linea in salida.split()]


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL: the test holds a table lock to stop the worker mid-report.",
)
def test_un_worker_muerto_a_medio_reporte_lleva_a_rehacerlo(
    anio_con_datos, jefatura, lanzar_worker
):
    import psycopg

    worker = lanzar_worker(pool="prefork")
    datos = connection.settings_dict
    bloqueo = psycopg.connect(
        dbname=datos["NAME"],
        user=datos["USER"] or "postgres",
        host=datos["HOST"] or "127.0.0.1",
        port=datos["PORT"] or 5432,
    )
    cursor = bloqueo.cursor()
    # The planilla reads the year's proceso first: hold that table so the worker stops there.
    cursor.execute("LOCK TABLE compromisos_proceso IN ACCESS EXCLUSIVE MODE")
    try:
        reporte = services.reporte_solicitar(usuario=jefatura, tipo="planilla", anio=ANIO)
        esperar(lambda: estado(reporte) == "generando", mensaje="el worker empiece el reporte")
        esperar(lambda: _hijos(worker.pid), mensaje="el proceso hijo del worker")
        (hijo,) = _hijos(worker.pid)
        os.kill(hijo, signal.SIGKILL)
        esperar(lambda: hijo not in _hijos(worker.pid), mensaje="la muerte del hijo")
    finally:
        bloqueo.rollback()
        bloqueo.close()
    esperar(lambda: estado(reporte) in ("listo", "error"), mensaje="el reporte rehecho")
    assert reporte.estado == Reporte.Estado.LISTO, reporte.error
    assert reporte.intentos == 2
    carpeta = os.path.dirname(reporte.archivo.path)
    assert os.listdir(carpeta) == [reporte.nombre_archivo]
    assert reporte.nombre_archivo.startswith(f"planilla_estadistica_{ANIO}_")
    assert len(libro(reporte).sheetnames) == 7


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL: the test holds a table lock to stop the worker mid-report.",
)
def test_un_worker_muerto_entero_se_ve_detenido_en_minutos_y_reintentar_lo_rehace(
    anio_con_datos, jefatura, lanzar_worker
):
    """The whole worker dies (machine restarted): its message returns only after the broker's
    visibility timeout (hours). The missing heartbeat shows the run stopped within minutes;
    «Reintentar» redoes that same run, and the late message makes no second file."""
    import datetime

    import psycopg
    from django.utils import timezone

    worker = lanzar_worker(pool="prefork")
    datos = connection.settings_dict
    bloqueo = psycopg.connect(
        dbname=datos["NAME"],
        user=datos["USER"] or "postgres",
        host=datos["HOST"] or "127.0.0.1",
        port=datos["PORT"] or 5432,
    )
    cursor = bloqueo.cursor()
    cursor.execute("LOCK TABLE compromisos_proceso IN ACCESS EXCLUSIVE MODE")
    try:
        reporte = services.reporte_solicitar(usuario=jefatura, tipo="planilla", anio=ANIO)
        esperar(lambda: estado(reporte) == "generando", mensaje="el worker empiece el reporte")
        esperar(lambda: _hijos(worker.pid), mensaje="el proceso hijo del worker")
        for pid in [*_hijos(worker.pid), worker.pid]:
            os.kill(pid, signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        bloqueo.rollback()
        bloqueo.close()
    # Nothing works on it now: a minute of beat later it is still "generando"…
    assert services.cerrar_reportes_detenidos(ahora=timezone.now()) == 0
    # …and once its heartbeat has been silent for SRM_MINUTOS_SIN_LATIDO, "detenido".
    despues = timezone.now() + services.SIN_LATIDO + datetime.timedelta(seconds=1)
    assert services.cerrar_reportes_detenidos(ahora=despues) == 1
    assert estado(reporte) == Reporte.Estado.DETENIDO and reporte.intentos == 1

    lanzar_worker(pool="prefork")
    services.reporte_repetir(reporte=reporte, usuario=jefatura)  # autocommit: queued at once
    esperar(lambda: estado(reporte) in ("listo", "error"), mensaje="el reporte reintentado")
    assert reporte.estado == Reporte.Estado.LISTO, reporte.error
    assert reporte.intentos == 2 and Reporte.objects.count() == 1
    # The dead worker's message, redelivered hours later, finds the run done.
    assert services.reporte_generar(reporte.pk) is None
    raiz = os.path.dirname(os.path.dirname(reporte.archivo.path))
    archivos = [
        os.path.join(carpeta, nombre)
        for carpeta in os.listdir(raiz)
        for nombre in os.listdir(os.path.join(raiz, carpeta))
    ]
    assert archivos == [os.path.join("2", reporte.nombre_archivo)]
