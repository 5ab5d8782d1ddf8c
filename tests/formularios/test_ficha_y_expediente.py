"""A filled form in the servicio's ficha (a link to its PDF on the page, the form itself after the
ficha's pages in the ficha PDF) and in its expediente ZIP."""

import pytest
from django.urls import reverse

from demo.formularios import formulario_dgop_cargar
from reportes.models import Reporte
from tests.conftest import cliente
from tests.formularios.test_semilla_003 import texto_pdf
from tests.reportes.conftest import generar, zip_de

pytestmark = pytest.mark.django_db


def test_la_ficha_enlaza_el_pdf_del_formulario(informe_003, encargado, osorno):
    url_pdf = reverse("compromisos:informe_formulario_pdf", args=[informe_003.pk])
    ficha = reverse("servicios:servicio_detalle", args=[osorno.pk])
    assert url_pdf not in cliente(encargado).get(ficha).content.decode()
    formulario_dgop_cargar(informe_003)
    pagina = cliente(encargado).get(ficha).content.decode()
    assert url_pdf in pagina
    assert "Evaluación etapa 4 2026" in pagina


def test_el_expediente_trae_el_formulario_lleno(informe_003, encargado, osorno):
    formulario_dgop_cargar(informe_003)
    reporte = generar(encargado, "expediente", servicio=osorno)
    assert reporte.estado == Reporte.Estado.LISTO, reporte.error
    archivo = zip_de(reporte)
    nombre = (
        "expediente_gobernacion_provincial_de_osorno_2026/04_formulario Evaluación etapa 4 2026.pdf"
    )
    assert nombre in archivo.namelist()
    texto = texto_pdf(archivo.read(nombre))
    assert "OBJETIVO Nº 3: “Informe Ejecutivo al Jefe de Servicio”" in texto
    assert "SERVICIO: GOBERNACIÓN PROVINCIAL DE OSORNO" in texto


def test_la_ficha_en_pdf_trae_cada_formulario_lleno_tras_sus_paginas(
    informe_003, encargado, osorno
):
    reporte = generar(encargado, "ficha", servicio=osorno)
    assert reporte.estado == Reporte.Estado.LISTO, reporte.error
    assert "Informe Ejecutivo al Jefe de Servicio" not in texto_pdf(reporte.archivo.read())

    formulario_dgop_cargar(informe_003)
    reporte = generar(encargado, "ficha", servicio=osorno)
    assert reporte.estado == Reporte.Estado.LISTO, reporte.error
    texto = texto_pdf(reporte.archivo.read())
    # The ficha first, then the form laid out like the paper form.
    assert texto.index("GOBERNACIÓN PROVINCIAL DE OSORNO") < texto.index(
        "OBJETIVO Nº 3: “Informe Ejecutivo al Jefe de Servicio”"
    )
    assert "1.2. Articulación territorial" in texto


def test_la_ficha_del_expediente_no_repite_el_formulario_que_va_aparte(
    informe_003, encargado, osorno
):
    formulario_dgop_cargar(informe_003)
    archivo = zip_de(generar(encargado, "expediente", servicio=osorno))
    (ficha,) = [nombre for nombre in archivo.namelist() if "/01_" in nombre]
    assert "Informe Ejecutivo al Jefe de Servicio" not in texto_pdf(archivo.read(ficha))
