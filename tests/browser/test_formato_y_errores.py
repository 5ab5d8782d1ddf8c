"""Chilean figures in the browser and the focus on the error summary after a form error."""

import re

import pytest
from playwright.sync_api import expect

from compromisos.models import Proceso
from compromisos.selectors import proceso_vigente
from tests.browser.conftest import url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OSORNO = "Gobernación Provincial de Osorno"
# A figure with a decimal point before «%» («42.5 %»): English formatting.
PUNTO_DECIMAL = re.compile(r"\d\.\d+\s?%")


def foco(pagina) -> dict:
    return pagina.evaluate(
        "() => ({id: document.activeElement.id, rol: document.activeElement.getAttribute('role'),"
        " tag: document.activeElement.tagName})"
    )


def test_un_formulario_con_errores_lleva_el_foco_al_resumen(
    datos_demo, live_server, pagina, ingresar, revisar_accesibilidad
):
    Proceso.objects.create(anio=proceso_vigente().anio + 1)
    ingresar(pagina, live_server, "servicio")
    pagina.get_by_role("link", name="Mi servicio").click()
    pagina.get_by_role("link", name=OSORNO).click()
    pagina.get_by_role("button", name=re.compile(r"Iniciar formulación \d+ a partir")).click()
    pagina.get_by_role("link", name="Agregar compromiso").click()

    # Saved with the required fields empty: the page comes back with its errors.
    pagina.get_by_role("button", name="Guardar compromiso").click()
    resumen = pagina.locator("#resumen-errores")
    expect(resumen).to_be_visible()
    expect(resumen).to_have_attribute("role", "alert")
    expect(resumen).to_have_attribute("tabindex", "-1")
    expect(resumen).to_contain_text("por corregir")
    # The summary is drawn by the server; static/js/errores.js moves the focus to it once the
    # page has run its scripts: wait for that, do not read the focus before.
    expect(resumen).to_be_focused()
    assert foco(pagina) == {"id": "resumen-errores", "rol": "alert", "tag": "DIV"}
    revisar_accesibilidad(pagina)

    # Each error leads to its field.
    resumen.get_by_role("link", name=re.compile("^Código")).click()
    expect(pagina.locator("#id_compromiso-codigo")).to_be_focused()


def test_un_formulario_sin_errores_no_mueve_el_foco(datos_demo, live_server, pagina, ingresar):
    ingresar(pagina, live_server, "servicio")
    pagina.goto(url(live_server, "password_change"))
    expect(pagina.locator("#resumen-errores")).to_have_count(0)
    # The form's own autofocus stays: nothing to summarise.
    assert foco(pagina)["id"] == "id_old_password"

    pagina.locator("input[name='old_password']").fill("no es la clave")
    pagina.get_by_role("button", name="Cambiar contraseña").click()
    expect(pagina.locator("#resumen-errores")).to_be_focused()


def test_el_tablero_escribe_sus_cifras_con_coma_decimal(datos_demo, live_server, pagina, ingresar):
    ingresar(pagina, live_server, "jefatura")
    pagina.goto(url(live_server, "tablero:tablero"))
    expect(pagina.locator("#mapa-chile svg path.region")).to_have_count(16)
    texto = pagina.locator("main").inner_text()
    assert "%" in texto
    assert not PUNTO_DECIMAL.search(texto), PUNTO_DECIMAL.search(texto)
    # The map's titles are written by tablero.js: the same format as the tables.
    titulos = pagina.locator("#mapa-chile svg title").all_text_contents()
    con_avance = [t for t in titulos if "avance" in t]
    assert con_avance
    assert all(re.search(r"avance \d+,\d %$", t) for t in con_avance), con_avance
    assert not any(re.search(r": 1 servicios", t) for t in titulos), titulos
