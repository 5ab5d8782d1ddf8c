"""Jefatura opens the tablero, applies a filter and follows a figure to the list behind it."""

import re

import pytest
from playwright.sync_api import expect

from compromisos.selectors import proceso_vigente
from servicios.models import TipoServicio

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_jefatura_filtra_el_tablero_y_baja_a_la_lista(
    datos_demo, live_server, pagina, ingresar, revisar_accesibilidad
):
    anio = proceso_vigente().anio
    gore = TipoServicio.objects.get(codigo="gobierno-regional")
    ingresar(pagina, live_server, "jefatura")

    pagina.get_by_role("navigation", name="Navegación principal").get_by_role(
        "link", name="Tablero"
    ).click()
    expect(pagina.locator("h1")).to_contain_text(f"Tablero {anio}")
    # Chart.js drew the charts and the map arrived from static/, colored by region.
    expect(pagina.locator("canvas[data-grafico='informes']")).to_have_attribute(
        "height", re.compile(r"\d+")
    )
    expect(pagina.locator("#mapa-chile svg path.region")).to_have_count(16)
    revisar_accesibilidad(pagina)

    pagina.get_by_label("Tipo de servicio", exact=True).select_option(str(gore.pk))
    pagina.get_by_role("button", name="Aplicar filtros").click()
    pagina.wait_for_url(re.compile(rf"tipo={gore.pk}"))
    resumen = pagina.get_by_role("region", name="Informes por estado")
    fila = resumen.get_by_role("row").filter(has_text="Aprobado")
    cantidad = fila.get_by_role("link").inner_text()

    fila.get_by_role("link").click()
    pagina.wait_for_url(re.compile(r"/tablero/servicios/\?.*estado=aprobado"))
    assert f"tipo={gore.pk}" in pagina.url
    expect(pagina.locator("#total-servicios")).to_have_text(
        f"{cantidad} servicio{'' if cantidad == '1' else 's'}."
    )
    filas = pagina.locator("main table tbody tr")
    expect(filas).to_have_count(int(cantidad) if int(cantidad) else 1)
    if int(cantidad):
        expect(filas.first).to_contain_text("Gobierno regional")
    revisar_accesibilidad(pagina)


def test_jefatura_ve_el_seguimiento_de_hitos(
    datos_demo, live_server, pagina, ingresar, revisar_accesibilidad
):
    ingresar(pagina, live_server, "jefatura")
    pagina.goto(live_server.url + "/tablero/hitos/")
    expect(pagina.get_by_role("heading", name=re.compile("Itinerario"))).to_be_visible()
    expect(pagina.locator("table.srm-seguimiento tbody tr")).to_have_count(12)
    revisar_accesibilidad(pagina)
