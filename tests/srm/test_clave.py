"""Password reset by e-mail, sent by a Celery task (in-process here, a real worker over Redis below)."""

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse

from srm.celery import app as celery_app


def pedir_restablecimiento(correo: str):
    return Client().post(reverse("password_reset"), {"email": correo})


@pytest.mark.django_db
def test_restablecer_clave_envia_enlace_y_permite_cambiarla(
    encargado, django_capture_on_commit_callbacks
):
    # The mail task is enqueued only once the request's transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        respuesta = pedir_restablecimiento(encargado.email)
    assert respuesta.status_code == 302 and respuesta.url == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    mensaje = mail.outbox[0]
    assert mensaje.to == [encargado.email]
    assert mensaje.subject == "Restablecer su contraseña del SRM"
    enlace = re.search(r"http://testserver(/clave/restablecer/\S+)", mensaje.body).group(1)
    c = Client()
    formulario = c.get(enlace, follow=True)
    assert "Elija una contraseña nueva" in formulario.content.decode()
    url_formulario = formulario.redirect_chain[-1][0]
    respuesta = c.post(
        url_formulario, {"new_password1": "Osorno-Rahue-2026", "new_password2": "Osorno-Rahue-2026"}
    )
    assert respuesta.status_code == 302
    encargado.refresh_from_db()
    assert encargado.check_password("Osorno-Rahue-2026")


@pytest.mark.django_db
def test_correo_desconocido_no_revela_si_existe(encargado, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        respuesta = pedir_restablecimiento("nadie@ejemplo.cl")
    assert respuesta.status_code == 302 and respuesta.url == reverse("password_reset_done")
    assert mail.outbox == []


REDIS_PRUEBAS = os.environ.get("SRM_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
RAIZ = Path(__file__).resolve().parents[2]


def url_de_la_base_de_pruebas() -> str:
    """The test database as a DATABASE_URL, for a worker running in another process."""
    datos = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(datos['NAME']).resolve()}"
    usuario = datos["USER"] or "postgres"
    return f"postgres://{usuario}@{datos['HOST'] or '127.0.0.1'}:{datos['PORT'] or 5432}/{datos['NAME']}"


@pytest.fixture
def broker_redis():
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
    _olvidar_conexiones()
    try:
        yield REDIS_PRUEBAS
    finally:
        celery_app.conf.update(**anterior)
        _olvidar_conexiones()


@pytest.fixture
def worker_celery(broker_redis, tmp_path):
    """`celery -A srm worker` in its own process, on the test database, writing mail to files."""
    correos = tmp_path / "correos"
    correos.mkdir()
    entorno = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "srm.settings",
        "SRM_TESTING": "1",
        "DATABASE_URL": url_de_la_base_de_pruebas(),
        "CELERY_BROKER_URL": broker_redis,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(correos),
    }
    proceso = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "srm",
            "worker",
            "--pool",
            "solo",
            "--loglevel",
            "INFO",
        ],
        cwd=RAIZ,
        env=entorno,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield correos
    finally:
        proceso.terminate()
        try:
            salida, _ = proceso.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            proceso.kill()
            salida, _ = proceso.communicate()
        print(salida)


def _olvidar_conexiones():
    # Celery caches broker connection and producer pools (kombu keeps them globally): start
    # afresh so the new broker URL is used, and the old pools stay usable for eager tasks.
    from kombu import pools

    pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_correo_de_restablecimiento_lo_envia_un_worker_real(encargado, worker_celery):
    respuesta = pedir_restablecimiento(encargado.email)
    assert respuesta.status_code == 302
    limite = time.monotonic() + 60
    while not any(worker_celery.iterdir()) and time.monotonic() < limite:
        time.sleep(0.2)
    archivos = list(worker_celery.iterdir())
    assert len(archivos) == 1, "el worker no envió el correo a tiempo"
    mensaje = archivos[0].read_text(encoding="utf-8")
    assert f"To: {encargado.email}" in mensaje
    assert "/clave/restablecer/" in mensaje
