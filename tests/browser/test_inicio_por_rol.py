"""Each demo user logs in through the real form and sees the home page of their role."""

import re

import pytest
from playwright.sync_api import expect

from compromisos.selectors import proceso_vigente
from servicios.models import Membresia

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OSORNO = "Gobernación Provincial de Osorno"

# usuario: (h1 before the year, role name in the navbar)
INICIO_POR_USUARIO = {
    "servicio": ("PMG Descentralización {anio}", "Servicio público"),
    "servicio2": ("PMG Descentralización {anio}", "Servicio público"),
    # Analista and consultora list their work across every open year (tests/browser/test_enero.py).
    "analista": ("Por revisar en su cartera", "Analista SUBDERE"),
    "consultora": ("Validaciones asignadas", "Consultora externa"),
    "jefatura": ("El año {anio} de un vistazo", "Jefatura"),
    "admin": ("Proceso {anio}", "Administración"),
}


def navegacion(pagina):
    return pagina.get_by_role("navigation", name="Navegación principal")


@pytest.mark.parametrize("usuario", list(INICIO_POR_USUARIO))
def test_inicio_por_rol(datos_demo, live_server, pagina, ingresar, revisar_accesibilidad, usuario):
    anio = proceso_vigente().anio
    titulo, nombre_rol = INICIO_POR_USUARIO[usuario]

    ingresar(pagina, live_server, usuario)

    h1 = pagina.locator("h1")
    expect(h1).to_have_count(1)
    if usuario.startswith("servicio"):
        expect(h1).to_have_text(re.compile(r"^\s*" + re.escape(titulo.format(anio=anio))))
    else:
        expect(h1).to_have_text(titulo.format(anio=anio))
    expect(navegacion(pagina)).to_contain_text(nombre_rol)

    if usuario.startswith("servicio"):
        expect(pagina.get_by_role("heading", name="Próximo plazo")).to_be_visible()
        # The year's table; the work pending across years has tables of its own above it.
        expect(
            pagina.get_by_role(
                "table", name=f"Estado de la formulación y de los informes de {anio}"
            )
        ).to_have_count(1)
    if usuario == "servicio":
        otro = (
            Membresia.objects.select_related("servicio").get(usuario__username="servicio2").servicio
        )
        assert otro.nombre != OSORNO
        expect(pagina.get_by_role("heading", level=2, name=OSORNO)).to_be_visible()
        expect(pagina.locator("main")).not_to_contain_text(otro.nombre)
    if usuario == "admin":
        expect(navegacion(pagina).get_by_role("link", name="Administración")).to_be_visible()
    else:
        expect(navegacion(pagina).get_by_role("link", name="Administración")).to_have_count(0)

    revisar_accesibilidad(pagina)


def test_clave_incorrecta_muestra_error(
    datos_demo, live_server, pagina, ingresar, revisar_accesibilidad
):
    ingresar(pagina, live_server, "servicio", "clave-equivocada", esperar_inicio=False)

    assert "/ingresar/" in pagina.url
    expect(pagina.get_by_role("heading", level=1)).to_have_text("Ingresar al SRM")
    expect(pagina.locator("main")).to_contain_text("correctos")
    expect(pagina.get_by_role("button", name="Cerrar sesión")).to_have_count(0)
    revisar_accesibilidad(pagina)


def test_pagina_de_ingreso_accesible(live_server, pagina, revisar_accesibilidad):
    pagina.goto(live_server.url + "/")

    assert "/ingresar/" in pagina.url
    expect(pagina.get_by_role("heading", level=1)).to_have_text("Ingresar al SRM")
    expect(pagina.get_by_label(re.compile("usuario", re.IGNORECASE))).to_be_visible()
    revisar_accesibilidad(pagina)


def test_cerrar_sesion_vuelve_al_ingreso(datos_demo, live_server, pagina, ingresar):
    ingresar(pagina, live_server, "analista")

    # The session's links are in the menu under the person's name.
    navegacion(pagina).get_by_role("button", name=re.compile("Sesión de")).click()
    navegacion(pagina).get_by_role("button", name="Cerrar sesión").click()

    pagina.wait_for_url(re.compile(r"/ingresar/"))
    expect(pagina.get_by_role("heading", level=1)).to_have_text("Ingresar al SRM")
    expect(pagina.get_by_role("button", name="Cerrar sesión")).to_have_count(0)
    # The session is really gone: the home page sends back to the login form.
    pagina.goto(live_server.url + "/")
    expect(pagina).to_have_url(re.compile(r"/ingresar/\?next=/"))
