"""The Decreto Exento's document is downloaded through the permission door (issue 15)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from demo.archivos import pdf_minimo
from tests.conftest import cliente
from tests.programa.test_programa_admin import datos_proceso

pytestmark = pytest.mark.django_db

# Not a servicio's: every role reads it (403 without one, 404 for a year without document).
URLS_PROBADAS = {"compromisos:decreto_descargar"}


@pytest.fixture
def con_decreto(admin, proceso):
    contenido = pdf_minimo("Decreto exento 123")
    documento = SimpleUploadedFile("decreto 2026.pdf", contenido)
    url = reverse("admin:compromisos_proceso_change", args=[proceso.pk])
    respuesta = cliente(admin).post(
        url, datos_proceso(proceso, decreto_numero="123", documento=documento)
    )
    assert respuesta.status_code == 302
    return contenido


def test_cada_rol_descarga_el_documento_con_su_nombre_original(
    con_decreto, proceso, admin, encargado, analista, jefatura, consultora
):
    url = reverse("compromisos:decreto_descargar", args=[proceso.anio])
    for usuario in (admin, encargado, analista, jefatura, consultora):
        respuesta = cliente(usuario).get(url)
        assert respuesta.status_code == 200, usuario
        assert b"".join(respuesta.streaming_content) == con_decreto
        assert 'filename="decreto 2026.pdf"' in respuesta["Content-Disposition"]
        assert respuesta["Content-Type"] == "application/octet-stream"
        assert respuesta["X-Content-Type-Options"] == "nosniff"
    # The admin's page links to it.
    pagina = cliente(admin).get(reverse("admin:compromisos_proceso_change", args=[proceso.pk]))
    assert url in pagina.content.decode()


def test_sin_rol_se_niega_y_sin_sesion_pide_ingresar(con_decreto, proceso, sin_rol):
    url = reverse("compromisos:decreto_descargar", args=[proceso.anio])
    assert cliente(sin_rol).get(url).status_code == 403
    assert cliente().get(url).status_code == 302


def test_un_anio_sin_documento_o_imposible_es_404(proceso, encargado):
    assert (
        cliente(encargado)
        .get(reverse("compromisos:decreto_descargar", args=[proceso.anio]))
        .status_code
        == 404
    )
    for anio in (2011, 99999999999):
        respuesta = cliente(encargado).get(reverse("compromisos:decreto_descargar", args=[anio]))
        assert respuesta.status_code == 404
