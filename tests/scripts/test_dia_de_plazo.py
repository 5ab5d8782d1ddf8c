"""scripts/benchmark_dia_de_plazo.py at a small size: it runs end to end (gunicorn, a Celery
worker over Redis, the test database) and every action of the day succeeds. Not a timing test."""

import os
import socket
import subprocess
import sys

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.management import call_command

from tests.celery_real import RAIZ, url_de_la_base_de_pruebas

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

ACCIONES = [
    "página de una consulta",
    "servicio: guardar",
    "servicio: subir un medio",
    "servicio: enviar",
    "analista: bandeja",
    "jefatura: tablero",
    "reporte generado (worker)",
]


def puerto_libre() -> int:
    with socket.socket() as enchufe:
        enchufe.bind(("127.0.0.1", 0))
        return enchufe.getsockname()[1]


def test_el_dia_de_plazo_corre_sin_errores(referencias, broker_redis, settings, tmp_path):
    call_command("demo", verbosity=0)  # 12 servicios, this year, committed (transaction=True)
    # The demo hashed «demo» with the suite's fast hasher; the server uses the default ones.
    get_user_model().objects.update(password=PBKDF2PasswordHasher().encode("demo", "sal-de-prueba"))
    entorno = {
        **os.environ,
        "DATABASE_URL": url_de_la_base_de_pruebas(),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "STATIC_ROOT": str(tmp_path / "static"),
    }
    entorno.pop("SRM_TESTING", None)
    resultado = subprocess.run(
        [
            sys.executable,
            "scripts/benchmark_dia_de_plazo.py",
            "--puerto",
            str(puerto_libre()),
            "--redis",
            broker_redis,
            "--servicios",
            "2",
            "--analistas",
            "1",
            "--segundos",
            "8",
        ],
        cwd=RAIZ,
        env=entorno,
        capture_output=True,
        text=True,
        timeout=300,
    )
    salida = resultado.stdout
    assert resultado.returncode == 0, salida + resultado.stderr[-3000:]
    assert "Errores: 0" in salida
    for accion in ACCIONES:
        assert accion in salida, accion
