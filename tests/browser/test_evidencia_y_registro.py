"""The event log page and an approval snapshot, in Chromium with the demo data, checked by axe."""

import re

import pytest
from playwright.sync_api import expect

from compromisos.models import Instantanea

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_jefatura_lee_el_registro_en_frases_y_lo_filtra(
    datos_demo, live_server, pagina, ingresar, revisar_accesibilidad
):
    ingresar(pagina, live_server, "jefatura")
    pagina.get_by_role("navigation", name="Navegación principal").get_by_role(
        "link", name="Registro"
    ).click()
    expect(pagina.locator("h1")).to_have_text("Registro de eventos")
    expect(pagina.locator("main table tbody")).to_contain_text("envió el informe")
    expect(pagina.locator("main table tbody")).not_to_contain_text("informe.enviar")
    revisar_accesibilidad(pagina)
    pagina.get_by_label("Acción", exact=True).select_option("informe.aprobar")
    pagina.get_by_role("button", name="Aplicar filtros").click()
    pagina.wait_for_url(re.compile(r"accion=informe.aprobar"))
    expect(pagina.locator("main table tbody tr").first).to_contain_text("aprobó el informe")


def test_servicio_verifica_la_integridad_de_su_instantanea(
    datos_demo, live_server, pagina, ingresar, revisar_accesibilidad
):
    instantanea = (
        Instantanea.objects.filter(
            motivo="aprobacion",
            informe__formulacion__servicio__membresias__usuario__username="servicio",
        )
        .order_by("-momento")
        .first()
    )
    ingresar(pagina, live_server, "servicio")
    pagina.goto(live_server.url + f"/compromisos/informes/{instantanea.informe_id}/")
    pagina.get_by_role("link", name=re.compile(r"Aprobación · ronda")).first.click()
    expect(pagina.locator("h1")).to_contain_text("Instantánea de aprobación")
    revisar_accesibilidad(pagina)
    pagina.get_by_role("button", name="Verificar integridad").click()
    expect(pagina.get_by_text(re.compile("coincide"))).not_to_have_count(0)
    revisar_accesibilidad(pagina)
