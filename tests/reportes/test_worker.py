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
    import psycopg2

    worker = lanzar_worker(pool="prefork")
    datos = connection.settings_dict
    bloqueo = psycopg2.connect(
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
