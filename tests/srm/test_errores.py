"""Every error a person can meet is a Spanish page of the site, under `make run` (DEBUG=1) as in
production, and never lists URLs or a traceback."""

import pytest
from django.test import Client

from tests.conftest import cliente

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.srm.urls_con_fallas")]

TECNICO = ["urlpatterns", "URLconf", "Traceback", "falla de prueba", "Request Method", "DEBUG"]


@pytest.fixture(params=[True, False], ids=["make-run", "produccion"])
def modo(request, settings):
    settings.DEBUG = request.param
    return request.param


def pagina(respuesta) -> str:
    html = respuesta.content.decode()
    for rastro in TECNICO:
        assert rastro not in html, rastro
    assert 'lang="es-CL"' in html and "Volver al inicio" in html
    return html


def sin_excepciones(usuario=None) -> Client:
    c = cliente(usuario)
    c.raise_request_exception = False
    return c


def test_direccion_inexistente(modo, encargado):
    respuesta = sin_excepciones(encargado).get("/no-existe/")
    assert respuesta.status_code == 404
    assert "Página no encontrada" in pagina(respuesta)
    assert int(respuesta["Content-Length"]) == len(respuesta.content)


def test_documento_de_otro_servicio(modo, encargado_otro, informe_osorno):
    respuesta = sin_excepciones(encargado_otro).get(f"/compromisos/informes/{informe_osorno.pk}/")
    assert respuesta.status_code == 404
    assert "Página no encontrada" in pagina(respuesta)


def test_accion_de_otro_rol_dice_por_que(modo, jefatura, informe_osorno):
    respuesta = sin_excepciones(jefatura).get(f"/compromisos/informes/{informe_osorno.pk}/editar/")
    assert respuesta.status_code == 403
    assert "no permite esta acción" in pagina(respuesta)


def test_metodo_no_permitido(modo, analista):
    respuesta = sin_excepciones(analista).get("/revision/tomar/")
    assert respuesta.status_code == 405
    assert respuesta["Allow"] == "POST"
    assert "Acción no disponible" in pagina(respuesta)


def test_error_inesperado(modo, analista):
    respuesta = sin_excepciones(analista).get("/prueba/falla/")
    assert respuesta.status_code == 500
    html = pagina(respuesta)
    assert "Ocurrió un error inesperado" in html and "no se perdió" in html


def test_solicitud_sospechosa(modo, analista):
    respuesta = sin_excepciones(analista).get("/prueba/sospechosa/")
    assert respuesta.status_code == 400
    assert "Solicitud no válida" in pagina(respuesta)


def test_formulario_caducado(modo, encargado, informe_osorno):
    c = Client(enforce_csrf_checks=True)
    c.force_login(encargado)
    respuesta = c.post(f"/compromisos/informes/{informe_osorno.pk}/editar/", {})
    assert respuesta.status_code == 403
    assert "La página caducó" in pagina(respuesta)


def test_envio_demasiado_grande(modo, settings, analista):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    respuesta = sin_excepciones(analista).post(
        "/revision/tomar/",
        "informes=" + "1" * 4096,
        content_type="application/x-www-form-urlencoded",
    )
    assert respuesta.status_code == 413
    html = pagina(respuesta)
    assert "Lo enviado es demasiado grande" in html and "no se guardó" in html


def test_un_desarrollador_puede_pedir_las_paginas_tecnicas(settings, analista):
    settings.DEBUG = True
    settings.SRM_ERRORES_TECNICOS = True
    respuesta = sin_excepciones(analista).get("/no-existe/")
    assert respuesta.status_code == 404 and "URLconf" in respuesta.content.decode()
