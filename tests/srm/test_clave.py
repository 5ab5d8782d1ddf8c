"""Password reset by e-mail, sent by a Celery task (in-process here, a real worker over Redis below)."""

import re
import time

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse


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


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_correo_de_restablecimiento_lo_envia_un_worker_real(encargado, worker_celery):
    respuesta = pedir_restablecimiento(encargado.email)
    assert respuesta.status_code == 302
    limite = time.monotonic() + 60
    # The file backend creates the file, then writes the message and a closing line of dashes:
    # wait for the whole message, not just the file.
    while not _correos_completos(worker_celery) and time.monotonic() < limite:
        time.sleep(0.2)
    archivos = _correos_completos(worker_celery)
    assert len(archivos) == 1, "el worker no envió el correo a tiempo"
    mensaje = archivos[0].read_text(encoding="utf-8")
    assert f"To: {encargado.email}" in mensaje
    assert "/clave/restablecer/" in mensaje


def _correos_completos(carpeta):
    return [a for a in carpeta.iterdir() if "-" * 79 in a.read_text(encoding="utf-8")]


def pedir_directo(correo: str, direccion: str = "127.0.0.1"):
    """The view called as the server does: its answer, before and after it is closed."""
    from django.test import RequestFactory

    from srm.views import RecuperarClave

    peticion = RequestFactory().post(
        reverse("password_reset"), {"email": correo}, REMOTE_ADDR=direccion
    )
    peticion._dont_enforce_csrf_checks = True
    return RecuperarClave.as_view()(peticion)


def cerrar(respuesta) -> None:
    """What the server does once the answer is sent; the database stays open, as in the client."""
    from django.core.signals import request_finished
    from django.db import close_old_connections

    request_finished.disconnect(close_old_connections)
    try:
        respuesta.close()
    finally:
        request_finished.connect(close_old_connections)


@pytest.mark.django_db
def test_direccion_conocida_o_no_la_respuesta_hace_el_mismo_trabajo(encargado):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    respuestas, consultas = {}, {}
    for correo in (encargado.email, "nadie@ejemplo.cl"):
        with CaptureQueriesContext(connection) as capturadas:
            respuestas[correo] = pedir_directo(correo)
        consultas[correo] = [q["sql"] for q in capturadas.captured_queries]
    # The answer is the same and is reached without looking the address up.
    assert consultas[encargado.email] == consultas["nadie@ejemplo.cl"] == []
    assert {r.status_code for r in respuestas.values()} == {302}
    assert mail.outbox == []
    # The link leaves once the answer has been sent (the server closes the response).
    for respuesta in respuestas.values():
        cerrar(respuesta)
    assert [m.to for m in mail.outbox] == [[encargado.email]]


@pytest.mark.django_db
def test_una_direccion_recibe_pocos_enlaces_por_hora(encargado, settings):
    for numero in range(settings.SRM_RECUPERACION_POR_CORREO + 2):
        # From different clients: the limit is the address's own.
        cerrar(pedir_directo(encargado.email, f"10.0.0.{numero}"))
    assert len(mail.outbox) == settings.SRM_RECUPERACION_POR_CORREO


@pytest.mark.django_db
def test_un_cliente_no_pide_enlaces_sin_limite(encargado, settings):
    for numero in range(settings.SRM_RECUPERACION_POR_CLIENTE):
        assert pedir_restablecimiento(f"persona{numero}@ejemplo.cl").status_code == 302
    respuesta = pedir_restablecimiento(encargado.email)
    assert respuesta.status_code == 429
    assert "demasiados enlaces" in respuesta.content.decode()
    assert mail.outbox == []
