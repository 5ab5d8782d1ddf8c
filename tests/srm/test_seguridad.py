"""Security baseline: throttling, passwords, sessions, headers, production settings."""

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
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
    # Renewed once a minute by srm.middleware, not written on every request.
    assert not settings.SESSION_SAVE_EVERY_REQUEST
    assert settings.SRM_SESSION_RENEW_SECONDS == 60


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


EXTERNO = re.compile(r"""(?:src|href|url)\s*[=(]\s*["']?(?:https?:)?//""", re.IGNORECASE)


def test_ningun_recurso_se_carga_desde_fuera():
    """Templates, our CSS and JS load nothing from a CDN or any other host."""
    archivos = [
        *(RAIZ / "templates").rglob("*.html"),
        *(RAIZ / "static" / "css").rglob("*.css"),
        *(RAIZ / "static" / "js").rglob("*.js"),
    ]
    assert archivos
    externos = [str(a) for a in archivos if EXTERNO.search(a.read_text(encoding="utf-8"))]
    assert not externos, externos


def test_el_detector_de_recursos_externos_funciona():
    for ejemplo in [
        '<script src="https://cdn.jsdelivr.net/x.js">',
        "<link href='//cdn.example/x.css'>",
        "@import url(https://fonts.googleapis.com/css)",
    ]:
        assert EXTERNO.search(ejemplo), ejemplo
    assert not EXTERNO.search('<script src="/static/vendor/x.js">')


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
    # The production server loads srm.wsgi (gunicorn), not manage.py.
    resultado = subprocess.run(
        [sys.executable, "-c", "import srm.wsgi"],
        cwd=RAIZ,
        env=entorno,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert resultado.returncode != 0
    assert "Falta SECRET_KEY" in resultado.stderr


def test_produccion_rechaza_la_clave_de_desarrollo():
    from srm import settings as ajustes

    resultado = manage("check", entorno=entorno_produccion(SECRET_KEY=ajustes._DEV_SECRET_KEY))
    assert resultado.returncode != 0
    assert "desarrollo no puede usarse" in resultado.stderr


def test_tras_un_proxy_el_bloqueo_es_por_persona_y_no_por_el_proxy(encargado, settings):
    settings.SRM_PROXIES_CONFIABLES = 1
    atacante = Client(HTTP_X_FORWARDED_FOR="190.98.10.9")
    for _ in range(5):
        atacante.post(reverse("login"), {"username": "encargado", "password": "equivocada"})
    assert (
        atacante.post(reverse("login"), {"username": "encargado", "password": "x"}).status_code
        == 429
    )
    # The same account, from the encargado's own address through the same proxy, still works.
    # (Both requests reach the app from the proxy's address, 127.0.0.1 here.)
    propia = Client(HTTP_X_FORWARDED_FOR="200.27.40.20")
    respuesta = propia.post(
        reverse("login"), {"username": "encargado", "password": "clave-segura-2026"}
    )
    assert respuesta.status_code == 302


def test_el_grupo_admin_no_puede_otorgar_superusuario(admin, encargado):
    c = Client()
    c.force_login(admin)
    url = reverse("admin:auth_user_change", args=[encargado.pk])
    pagina = c.get(url)
    assert pagina.status_code == 200
    assert 'name="is_superuser"' not in pagina.content.decode()


def test_la_sesion_inactiva_expira(encargado, settings):
    from django.utils import timezone

    c = Client()
    c.force_login(encargado)
    assert c.get(reverse("inicio")).status_code == 200
    from django.contrib.sessions.models import Session

    # Idle for longer than SESSION_COOKIE_AGE: the stored session has expired.
    Session.objects.filter(session_key=c.session.session_key).update(
        expire_date=timezone.now() - timezone.timedelta(seconds=1)
    )
    respuesta = c.get(reverse("inicio"))
    assert respuesta.status_code == 302 and respuesta.url.startswith(reverse("login"))


def test_una_peticion_pasado_el_intervalo_renueva_el_plazo_de_inactividad(encargado, settings):
    from django.contrib.sessions.models import Session

    settings.SRM_SESSION_RENEW_SECONDS = 1
    c = Client()
    c.force_login(encargado)
    c.get(reverse("inicio"))
    sesion = Session.objects.get(session_key=c.session.session_key)
    antes = sesion.expire_date
    time.sleep(1.1)
    c.get(reverse("inicio"))
    assert Session.objects.get(pk=sesion.pk).expire_date > antes


def test_una_peticion_dentro_del_intervalo_no_escribe_la_sesion(encargado, settings):
    from django.contrib.sessions.models import Session

    c = Client()
    c.force_login(encargado)
    c.get(reverse("inicio"))  # renews: the first request after login
    sesion = Session.objects.get(session_key=c.session.session_key)
    time.sleep(1.1)
    with CaptureQueriesContext(connection) as consultas:
        c.get(reverse("inicio"))
    assert Session.objects.get(pk=sesion.pk).expire_date == sesion.expire_date
    assert not [q for q in consultas if "django_session" in q["sql"] and "UPDATE" in q["sql"]]


def test_con_un_bucket_s3_los_archivos_van_al_bucket_y_son_privados():
    entorno = entorno_produccion(
        SRM_S3_BUCKET="srm-medios", SRM_S3_ENDPOINT_URL="https://s3.ejemplo.cl"
    )
    resultado = subprocess.run(
        [
            sys.executable,
            "-c",
            "import json; from srm import settings as s; print(json.dumps(s.STORAGES['default']))",
        ],
        cwd=RAIZ,
        env={**entorno, "DJANGO_SETTINGS_MODULE": "srm.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert resultado.returncode == 0, resultado.stderr
    almacenamiento = json.loads(resultado.stdout)
    assert almacenamiento["BACKEND"] == "storages.backends.s3.S3Storage"
    assert almacenamiento["OPTIONS"]["bucket_name"] == "srm-medios"
    assert almacenamiento["OPTIONS"]["endpoint_url"] == "https://s3.ejemplo.cl"
    assert almacenamiento["OPTIONS"]["default_acl"] == "private"
    assert almacenamiento["OPTIONS"]["file_overwrite"] is False


@pytest.mark.parametrize(
    ("url", "costo", "opciones"),
    [
        ("postgres://srm@db:5432/srm", None, "-c random_page_cost=1.1"),
        (
            "postgres://srm@db:5432/srm?currentSchema=pmg",
            None,
            "-c search_path=pmg -c random_page_cost=1.1",
        ),
        ("postgres://srm@db:5432/srm?currentSchema=pmg", "", "-c search_path=pmg"),
        ("postgres://srm@db:5432/srm", "2", "-c random_page_cost=2.0"),
    ],
)
def test_postgresql_planifica_para_ssd_sin_perder_las_opciones_de_la_url(url, costo, opciones):
    extra = {"DATABASE_URL": url}
    if costo is not None:
        extra["SRM_PG_RANDOM_PAGE_COST"] = costo
    resultado = subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings; "
            "print(settings.DATABASES['default'].get('OPTIONS', {}).get('options', ''))",
        ],
        cwd=RAIZ,
        env={**entorno_produccion(**extra), "DJANGO_SETTINGS_MODULE": "srm.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert resultado.returncode == 0, resultado.stderr
    assert resultado.stdout.strip() == opciones


def fallar(c: Client, usuario: str = "encargado") -> int:
    return c.post(reverse("login"), {"username": usuario, "password": "equivocada"}).status_code


def test_sin_proxy_configurado_cambiar_x_forwarded_for_no_da_mas_intentos(encargado, settings):
    assert settings.SRM_PROXIES_CONFIABLES == 0
    for numero in range(5):
        fallar(Client(HTTP_X_FORWARDED_FOR=f"10.0.0.{numero}"))
    assert fallar(Client(HTTP_X_FORWARDED_FOR="10.9.9.9")) == 429
    assert fallar(Client()) == 429


def test_tras_el_proxy_solo_cuenta_la_direccion_que_escribio_el_proxy(encargado, settings):
    settings.SRM_PROXIES_CONFIABLES = 1
    # The client forges entries on the left; the proxy appends the address it saw.
    for numero in range(5):
        fallar(Client(HTTP_X_FORWARDED_FOR=f"1.1.1.{numero}, 190.98.10.9"))
    assert fallar(Client(HTTP_X_FORWARDED_FOR="1.1.1.77, 190.98.10.9")) == 429
    assert fallar(Client(HTTP_X_FORWARDED_FOR="190.98.10.10")) == 200


def test_rociar_direcciones_bloquea_la_cuenta(encargado, settings):
    settings.SRM_PROXIES_CONFIABLES = 1
    for numero in range(settings.SRM_INTENTOS_POR_CUENTA - 1):
        assert fallar(Client(HTTP_X_FORWARDED_FOR=f"190.98.{numero}.1")) == 200
    assert fallar(Client(HTTP_X_FORWARDED_FOR="190.98.250.1")) == 429
    # Locked from every address now, the owner's included, even with the right password.
    propia = Client(HTTP_X_FORWARDED_FOR="200.27.40.20")
    respuesta = propia.post(
        reverse("login"), {"username": "encargado", "password": "clave-segura-2026"}
    )
    assert respuesta.status_code == 429
    # Other accounts are not affected.
    assert fallar(Client(HTTP_X_FORWARDED_FOR="190.98.200.1"), "otra") == 200


def test_un_nombre_de_usuario_demasiado_largo_se_rechaza_como_cualquier_error(db):
    respuesta = Client().post(reverse("login"), {"username": "x" * 256, "password": "x"})
    assert respuesta.status_code == 200
    assert "correctos" in respuesta.content.decode()


@pytest.mark.parametrize(
    "nombre", ["inicio", "servicios:servicio_lista", "validacion:preferencias_avisos"]
)
def test_las_paginas_con_sesion_no_quedan_en_cache(encargado, nombre):
    c = Client()
    c.force_login(encargado)
    respuesta = c.get(reverse(nombre))
    assert respuesta.status_code == 200
    directivas = {d.strip() for d in respuesta.headers["Cache-Control"].split(",")}
    assert {"no-store", "private", "no-cache"} <= directivas


def test_tras_salir_la_pagina_no_se_sirve_de_la_cache(encargado):
    c = Client()
    c.force_login(encargado)
    assert "no-store" in c.get(reverse("inicio")).headers["Cache-Control"]
    c.post(reverse("logout"))
    assert c.get(reverse("inicio")).status_code == 302
