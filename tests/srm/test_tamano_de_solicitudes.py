"""How much one request may carry: refused with a Spanish explanation, never half-saved."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from demo.archivos import pdf_minimo
from tests.compromisos.test_portal_informes import aprobada, datos_avances, informe  # noqa: F401
from tests.compromisos.test_portal_medios import avance  # noqa: F401
from tests.conftest import cliente

pytestmark = pytest.mark.django_db


def archivos(cantidad: int, relleno: int) -> list[SimpleUploadedFile]:
    return [
        SimpleUploadedFile(f"acta {n}.pdf", pdf_minimo(f"{n}" + "x" * relleno))
        for n in range(cantidad)
    ]


def test_varios_archivos_que_juntos_superan_el_maximo_se_rechazan(
    avance,  # noqa: F811
    encargado,
    settings,
):
    settings.SRM_MAX_SOLICITUD_BYTES = 100 * 1024
    respuesta = cliente(encargado).post(
        reverse("compromisos:medio_subir", args=[avance.pk]),
        {"archivos": archivos(3, 50 * 1024), "tipo": "acta"},
    )
    assert respuesta.status_code == 413
    contenido = respuesta.content.decode()
    assert (
        "el máximo por envío es" in contenido and "envíe los archivos en varias veces" in contenido
    )
    assert not avance.medios.exists()


def test_la_subida_por_script_recibe_el_motivo(avance, encargado, settings):  # noqa: F811
    settings.SRM_MAX_SOLICITUD_BYTES = 100 * 1024
    c = cliente(encargado)
    respuesta = c.post(
        reverse("compromisos:medio_subir", args=[avance.pk]),
        {"archivos": archivos(3, 50 * 1024), "tipo": "acta"},
        headers={"X-Requested-With": "XMLHttpRequest"},
    )
    assert respuesta.status_code == 413
    assert "máximo por envío" in json.loads(respuesta.content)["error"]
    # The page the script reloads shows it too.
    pagina = c.get(reverse("inicio"))
    assert "máximo por envío" in pagina.content.decode()


def test_bajo_el_maximo_varios_archivos_se_aceptan(avance, encargado, settings):  # noqa: F811
    settings.SRM_MAX_SOLICITUD_BYTES = 400 * 1024
    cliente(encargado).post(
        reverse("compromisos:medio_subir", args=[avance.pk]),
        {"archivos": archivos(3, 50 * 1024), "tipo": "acta"},
    )
    assert avance.medios.count() == 3


def test_un_borrador_con_demasiado_texto_se_explica_en_espanol(
    informe,  # noqa: F811
    encargado,
    settings,
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2000
    avance_ = informe.avances.first()
    datos = datos_avances(informe, **{f"avance-{avance_.pk}-desarrollo_alcanzado": "x" * 5000})
    respuesta = cliente(encargado).post(
        reverse("compromisos:informe_editar", args=[informe.pk]),
        datos,
        headers={
            "Referer": "http://testserver"
            + reverse("compromisos:informe_editar", args=[informe.pk])
        },
    )
    assert respuesta.status_code == 413
    contenido = respuesta.content.decode()
    assert "más texto del que el sistema recibe" in contenido
    assert "lo escrito sigue ahí" in contenido
    assert reverse("compromisos:informe_editar", args=[informe.pk]) in contenido
