"""Security baseline: throttling, passwords, sessions, headers, production settings."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from srm.middleware import CLAVE_INICIO

pytestmark = pytest.mark.django_db
RAIZ = Path(__file__).resolve().parents[2]


def test_cuenta_se_bloquea_tras_cinco_intentos_fallidos(encargado):
    c = Client()
    for _ in range(4):
        respuesta = c.post(reverse("login"), {"username": "encargado", "password": "equivocada"})
        assert respuesta.status_code == 200
        assert "correctos" in respuesta.content.decode()
    respuesta = c.post(reverse("login"), {"username": "encargado", "password": "equivocada"})
    assert respuesta.status_code == 429
    # Even the right password is refused while locked.
    respuesta = c.post(reverse("login"), {"username": "encargado", "password": "clave-segura-2026"})
    assert respuesta.status_code == 429
    assert "bloqueado temporalmente" in respuesta.content.decode()


def test_ingreso_correcto_lleva_al_inicio(encargado):
    respuesta = Client().post(
        reverse("login"), {"username": "encargado", "password": "clave-segura-2026"}
    )
    assert respuesta.status_code == 302 and respuesta.url == reverse("inicio")


@pytest.mark.parametrize("clave", ["demo", "12345678901", "password123", "encargado2026"])
def test_validadores_rechazan_claves_debiles(encargado, clave):
    with pytest.raises(ValidationError):
        validate_password(clave, user=encargado)


def test_sesion_expira_por_inactividad_en_media_hora(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST


def test_sesion_termina_al_cumplir_su_duracion_maxima(encargado, settings):
    c = Client()
    c.force_login(encargado)
    assert c.get(reverse("inicio")).status_code == 200
    sesion = c.session
    sesion[CLAVE_INICIO] = int(time.time()) - settings.SRM_SESSION_MAX_SECONDS - 1
    sesion.save()
    respuesta = c.get(reverse("inicio"), follow=True)
    assert respuesta.redirect_chain[-1][0].startswith(reverse("login"))
    assert "duración máxima" in respuesta.content.decode()
    assert c.get(reverse("inicio")).status_code == 302


def test_cabeceras_de_seguridad(encargado):
    c = Client()
    c.force_login(encargado)
    respuesta = c.get(reverse("inicio"))
    csp = respuesta.headers["Content-Security-Policy"]
    assert (
        "default-src 'self'" in csp
        and "script-src 'self'" in csp
        and "frame-ancestors 'none'" in csp
    )
    assert respuesta.headers["X-Content-Type-Options"] == "nosniff"
    assert respuesta.headers["X-Frame-Options"] == "DENY"


def test_ninguna_plantilla_trae_recursos_de_un_cdn():
    for plantilla in (RAIZ / "templates").rglob("*.html"):
        texto = plantilla.read_text(encoding="utf-8")
        assert "https://" not in texto.replace("https://www.w3.org", ""), plantilla


def entorno_produccion(**extra: str) -> dict[str, str]:
    entorno = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DEBUG",
            "SRM_TESTING",
            "DATABASE_URL",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
            "DJANGO_SETTINGS_MODULE",
        }
    }
    entorno.update(
        DEBUG="0",
        SECRET_KEY="x7!kq2#v9p$wz4m8t&r1s6b3n0c5d-produccion-de-prueba-f2g7h",
        ALLOWED_HOSTS="srm.subdere.gob.cl",
        DATABASE_URL="sqlite:////tmp/srm-check-deploy.sqlite3",
    )
    entorno.update(extra)
    return entorno


def manage(*argumentos: str, entorno: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *argumentos],
        cwd=RAIZ,
        env=entorno,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_sin_advertencias_con_variables_de_produccion():
    resultado = manage("check", "--deploy", "--fail-level", "WARNING", entorno=entorno_produccion())
    assert resultado.returncode == 0, resultado.stdout + resultado.stderr


def test_produccion_se_niega_a_partir_sin_secret_key():
    entorno = entorno_produccion()
    del entorno["SECRET_KEY"]
    resultado = manage("check", entorno=entorno)
    assert resultado.returncode != 0
    assert "Falta SECRET_KEY" in resultado.stderr


def test_produccion_rechaza_la_clave_de_desarrollo():
    from srm import settings as ajustes

    resultado = manage("check", entorno=entorno_produccion(SECRET_KEY=ajustes._DEV_SECRET_KEY))
    assert resultado.returncode != 0
    assert "desarrollo no puede usarse" in resultado.stderr
