"""A real Celery worker over Redis, in its own process, on the test database.

Fixtures (registered in tests/conftest.py): `broker_redis` sends this test's tasks to Redis
instead of running them in-process; `worker_celery` starts `celery -A srm worker` (solo pool)
and yields the folder where it writes mail; `lanzar_worker` starts one with other options.
"""

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from srm.celery import app as celery_app

REDIS_PRUEBAS = os.environ.get("SRM_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
RAIZ = Path(__file__).resolve().parents[1]


def url_de_la_base_de_pruebas() -> str:
    """The test database as a DATABASE_URL, for a worker running in another process."""
    datos = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(datos['NAME']).resolve()}"
    usuario = datos["USER"] or "postgres"
    return f"postgres://{usuario}@{datos['HOST'] or '127.0.0.1'}:{datos['PORT'] or 5432}/{datos['NAME']}"


def olvidar_conexiones() -> None:
    # Celery caches broker connection and producer pools (kombu keeps them globally): start
    # afresh so the new broker URL is used, and the old pools stay usable for eager tasks.
    from kombu import pools

    pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def broker_redis() -> Iterator[str]:
    """Tasks go to Redis (not in-process) for this test; skipped where no Redis runs."""
    import redis

    try:
        redis.Redis.from_url(REDIS_PRUEBAS, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("SRM_TEST_REDIS_REQUIRED"):
            pytest.fail(f"Redis no responde en {REDIS_PRUEBAS} y esta ejecución lo exige.")
        pytest.skip(f"Redis no responde en {REDIS_PRUEBAS}: se omite la prueba con worker real.")
    redis.Redis.from_url(REDIS_PRUEBAS).flushdb()
    anterior = {clave: celery_app.conf[clave] for clave in ("broker_url", "task_always_eager")}
    celery_app.conf.update(broker_url=REDIS_PRUEBAS, task_always_eager=False)
    olvidar_conexiones()
    try:
        yield REDIS_PRUEBAS
    finally:
        celery_app.conf.update(**anterior)
        olvidar_conexiones()


@pytest.fixture
def lanzar_worker(broker_redis, tmp_path) -> Iterator[Callable[..., subprocess.Popen]]:
    """Start workers (`lanzar_worker(pool="prefork")`); each is stopped after the test."""
    correos = tmp_path / "correos"
    correos.mkdir()
    procesos: list[subprocess.Popen] = []

    def lanzar(pool: str = "solo") -> subprocess.Popen:
        entorno = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "srm.settings",
            "SRM_TESTING": "1",
            "DATABASE_URL": url_de_la_base_de_pruebas(),
            "CELERY_BROKER_URL": broker_redis,
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(correos),
        }
        comando = [sys.executable, "-m", "celery", "-A", "srm", "worker", "--pool", pool]
        if pool == "prefork":
            comando += ["--concurrency", "1"]
        proceso = subprocess.Popen(
            [*comando, "--loglevel", "INFO"],
            cwd=RAIZ,
            env=entorno,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        proceso.correos = correos
        procesos.append(proceso)
        return proceso

    yield lanzar
    for proceso in procesos:
        proceso.terminate()
        try:
            salida, _ = proceso.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            proceso.kill()
            salida, _ = proceso.communicate()
        print(salida)


@pytest.fixture
def worker_celery(lanzar_worker) -> Path:
    """One solo-pool worker; yields the folder where it writes mail."""
    return lanzar_worker().correos
