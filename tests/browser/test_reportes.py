"""Jefatura asks for the planilla, watches it progress (a real Celery worker makes it) and
downloads it; a servicio sees only the reports of its own servicio."""

import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from compromisos.selectors import proceso_vigente
from tests.browser.conftest import url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.celery_worker
def test_jefatura_pide_la_planilla_espera_y_la_descarga(
    datos_demo, live_server, pagina, ingresar, revisar_accesibilidad, worker_celery, tmp_path
):
    anio = proceso_vigente().anio
    ingresar(pagina, live_server, "jefatura")
    pagina.get_by_role("navigation", name="Navegación principal").get_by_role(
        "link", name="Reportes"
    ).click()
    expect(pagina.get_by_role("heading", level=1)).to_have_text("Reportes")
    revisar_accesibilidad(pagina)

    tarjeta = pagina.get_by_role("region", name="Planilla estadística anual (Excel)")
    tarjeta.get_by_label("Año").select_option(str(anio))
    tarjeta.get_by_role("button", name="Generar").click()
    expect(pagina.get_by_role("alert")).to_contain_text("Se pidió «Planilla estadística anual")

    fila = pagina.locator("#tabla-reportes tbody tr").first
    expect(fila).to_contain_text("Planilla estadística anual (Excel)")
    # The worker makes it; the page polls and reloads when it is done.
    expect(fila.get_by_text("Listo", exact=True)).to_be_visible(timeout=90_000)
    with pagina.expect_download() as descarga:
        fila.get_by_role("link", name="Descargar").click()
    archivo = tmp_path / descarga.value.suggested_filename
    descarga.value.save_as(archivo)
    assert re.fullmatch(rf"planilla_estadistica_{anio}_\d{{8}}-\d{{4}}\.xlsx", archivo.name)
    libro = load_workbook(archivo, read_only=True)
    assert libro.sheetnames == [
        "Servicios",
        "Formulación",
        "Compromisos",
        "Hitos",
        "Medios",
        "Observaciones",
        "Validaciones",
    ]


def test_el_servicio_pide_su_ficha(
    datos_demo, live_server, pagina, ingresar, revisar_accesibilidad
):
    ingresar(pagina, live_server, "servicio")
    pagina.goto(url(live_server, "reportes:lista"))
    tarjetas = pagina.locator("main section.card h3")
    expect(tarjetas).to_have_text(["Ficha del servicio (PDF)", "Expediente del servicio (ZIP)"])
    ficha = pagina.get_by_role("region", name="Ficha del servicio (PDF)")
    expect(ficha.get_by_label("Servicio").locator("option:checked")).to_have_text(
        "Gobernación Provincial de Osorno"
    )
    expect(ficha.get_by_label("Servicio").locator("option")).to_have_count(2)  # empty + own
    ficha.get_by_role("button", name="Generar").click()
    fila = pagina.locator("#tabla-reportes tbody tr").first
    # In-process (no broker): done by the time the page comes back.
    expect(fila.get_by_text("Listo", exact=True)).to_be_visible()
    expect(fila).to_contain_text("Gobernación Provincial de Osorno")
    revisar_accesibilidad(pagina)
