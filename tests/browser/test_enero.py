"""The January scenario in Chromium: last year's informe final under review while this year's
formulación was sent. Each home (servicio, analista, consultora) shows both; the analista
opens the formulación from its home and Aprobar asks for confirmation first."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from servicios.models import Servicio
from tests.browser.conftest import REFERENCIAS, url
from tests.conftest import crear_usuario
from tests.srm.test_inicio_anios import enero, procesos_de_enero

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CLAVE = "clave-segura-2026"  # tests.conftest.crear_usuario


@pytest.fixture
def en_enero(transactional_db):
    call_command("loaddata", *REFERENCIAS, verbosity=0)
    personas = (
        crear_usuario("encargada_enero", "servicio"),
        crear_usuario("analista_enero", "analista"),
        crear_usuario("consultora_enero", "consultora"),
    )
    osorno = Servicio.objects.get(nombre="Gobernación Provincial de Osorno")
    enero([osorno], *personas)
    return procesos_de_enero()


@pytest.mark.parametrize("usuario", ["encargada_enero", "analista_enero", "consultora_enero"])
def test_cada_inicio_muestra_el_final_anterior_y_la_formulacion_nueva(
    en_enero, live_server, pagina, ingresar, revisar_accesibilidad, usuario
):
    anterior, nuevo = en_enero
    ingresar(pagina, live_server, usuario, CLAVE)
    principal = pagina.locator("main")
    if usuario == "consultora_enero":
        # One row per assigned year: last year's informe final in review, this year's formulación sent.
        filas = principal.get_by_role("row")
        expect(filas.filter(has_text=str(anterior.anio))).to_contain_text("En revisión en SUBDERE")
        expect(filas.filter(has_text=str(nuevo.anio))).to_contain_text("Enviado")
    else:
        expect(principal.get_by_role("link", name=f"Informe final {anterior.anio}")).to_be_visible()
        expect(principal.get_by_role("link", name=f"Formulación {nuevo.anio}")).to_be_visible()
    revisar_accesibilidad(pagina)


def test_el_analista_abre_la_formulacion_y_aprobar_pide_confirmacion(
    en_enero, live_server, pagina, ingresar, revisar_accesibilidad
):
    _, nuevo = en_enero
    ingresar(pagina, live_server, "analista_enero", CLAVE)
    pagina.get_by_role("link", name=f"Formulación {nuevo.anio}").click()
    expect(pagina.get_by_role("heading", level=1)).to_have_text(f"Formulación {nuevo.anio}")
    pagina.get_by_role("button", name="Tomar en revisión").click()
    expect(pagina.get_by_role("button", name="Aprobar…")).to_be_visible()
    revisar_accesibilidad(pagina)

    pagina.get_by_role("button", name="Aprobar…").click()
    expect(pagina.get_by_role("heading", level=1)).to_have_text("¿Aprobar la formulación?")
    revisar_accesibilidad(pagina)
    pagina.get_by_role("button", name="Sí, aprobar").click()
    expect(pagina.locator("main")).to_contain_text("Formulación aprobada.")
    pagina.goto(url(live_server, "inicio"))
    expect(pagina.get_by_role("link", name=f"Formulación {nuevo.anio}")).to_have_count(0)
