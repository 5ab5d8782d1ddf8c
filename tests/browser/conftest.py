"""Browser tests: Debian's Chromium driven by Playwright's sync API against `live_server`.

Fixtures and helpers for every browser test of the SRM:

- `navegador` (session): one headless Chromium for the whole run.
- `pagina`: a fresh browser context and page per test; on failure a screenshot is saved
  to test-results/<test>.png.
- `datos_demo`: the reference fixtures plus the `demo` command (users with password «demo»).
- `ingresar(pagina, live_server, usuario, clave="demo")`: logs in through the real form.
- `revisar_accesibilidad(pagina)`: runs axe and fails on «serious» or «critical» violations.

Both helpers are plain functions (import them from `tests.browser.conftest`) and are also
available as fixtures of the same name.

Every browser test needs `@pytest.mark.browser` and `@pytest.mark.django_db(transaction=True)`.
"""

import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.conftest import REFERENCIAS

# The live server thread and Playwright's sync API (which runs an event loop) share the process.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
ARGUMENTOS_CHROMIUM = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
CLAVE_DEMO = "demo"
IMPACTOS_GRAVES = ("serious", "critical")
CARPETA_RESULTADOS = Path(__file__).resolve().parents[2] / "test-results"
TIEMPO_ESPERA_MS = 15_000


# --------------------------------------------------------------------------- helpers


def url(live_server, nombre: str, *args, **kwargs) -> str:
    """Absolute URL of a named route on the live server."""
    return live_server.url + reverse(nombre, args=args or None, kwargs=kwargs or None)


def ingresar(
    pagina, live_server, usuario: str, clave: str = CLAVE_DEMO, *, esperar_inicio: bool = True
):
    """Log in through the real login form; by default waits until the home page has loaded."""
    pagina.goto(url(live_server, "login"))
    pagina.locator("input[name='username']").fill(usuario)
    pagina.locator("input[name='password']").fill(clave)
    pagina.get_by_role("button", name="Ingresar").click()
    if esperar_inicio:
        pagina.wait_for_url(url(live_server, "inicio"))
    pagina.wait_for_load_state("load")
    return pagina


def describir_violaciones(violaciones: list[dict]) -> str:
    """Readable report of axe violations: id, impact, help, link and the offending nodes."""
    lineas = []
    for violacion in violaciones:
        lineas.append(
            f"- [{violacion.get('impact')}] {violacion.get('id')}: {violacion.get('help')}"
            f" ({violacion.get('helpUrl')})"
        )
        for nodo in violacion.get("nodes", []):
            lineas.append(f"    objetivo: {nodo.get('target')}")
            lineas.append(f"    html: {nodo.get('html')}")
            resumen = (nodo.get("failureSummary") or "").replace("\n", " ")
            if resumen:
                lineas.append(f"    detalle: {resumen}")
    return "\n".join(lineas)


def revisar_accesibilidad(
    pagina, impactos=IMPACTOS_GRAVES, opciones: dict | None = None
) -> list[dict]:
    """Run axe on the current page and fail if any violation has one of `impactos`.

    Returns every violation found (including minor/moderate ones) for tests that want more.
    """
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import Error as ErrorPlaywright

    opciones = opciones or {"resultTypes": ["violations"]}
    for intento in range(3):
        # A click that navigates returns before the new document exists: axe must not run on a
        # page between documents (it finds no documentElement), so wait and try again.
        pagina.wait_for_load_state("load")
        try:
            resultado = Axe().run(pagina, options=opciones)
            break
        except ErrorPlaywright as error:
            en_navegacion = "documentElement" in str(error) or "context was destroyed" in str(error)
            if not en_navegacion or intento == 2:
                raise
            pagina.wait_for_timeout(200)
    violaciones = resultado.response.get("violations", [])
    graves = [v for v in violaciones if v.get("impact") in impactos]
    if graves:
        informe = describir_violaciones(graves)
        pytest.fail(
            f"axe encontró {len(graves)} violación(es) de impacto {'/'.join(impactos)} "
            f"en {pagina.url}:\n{informe}",
            pytrace=False,
        )
    return violaciones


# --------------------------------------------------------------------------- fixtures


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item, so `pagina` knows whether the test failed."""
    reporte = yield
    setattr(item, f"reporte_{reporte.when}", reporte)
    return reporte


@pytest.fixture(scope="session")
def navegador():
    if not CHROMIUM.exists():
        pytest.fail(
            f"No se encontró Chromium en {CHROMIUM}. Las pruebas de navegador lo necesitan: "
            "instale el paquete `chromium` de Debian (apt-get install chromium). "
            "No ejecute `playwright install`.",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        navegador = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=ARGUMENTOS_CHROMIUM
        )
        try:
            yield navegador
        finally:
            navegador.close()


@pytest.fixture
def pagina(navegador, request):
    contexto = navegador.new_context(locale="es-CL", timezone_id="America/Santiago")
    contexto.set_default_timeout(TIEMPO_ESPERA_MS)
    pagina = contexto.new_page()
    try:
        yield pagina
    finally:
        reporte = getattr(request.node, "reporte_call", None)
        if reporte is not None and reporte.failed:
            try:
                CARPETA_RESULTADOS.mkdir(parents=True, exist_ok=True)
                nombre = re.sub(r"[^\w.-]+", "_", request.node.nodeid)[-150:]
                pagina.screenshot(path=str(CARPETA_RESULTADOS / f"{nombre}.png"), full_page=True)
            except Exception as error:  # a screenshot must never hide the real failure
                print(f"No se pudo guardar la captura de pantalla: {error}")
        contexto.close()


@pytest.fixture
def datos_demo(transactional_db):
    """The demo year (users admin, analista, servicio, servicio2, consultora, jefatura; clave «demo»).

    Function-scoped: transactional tests flush the database after each test.
    """
    call_command("loaddata", *REFERENCIAS, verbosity=0)
    call_command("demo", verbosity=0)


@pytest.fixture(name="ingresar")
def ingresar_fixture():
    return ingresar


@pytest.fixture(name="revisar_accesibilidad")
def revisar_accesibilidad_fixture():
    return revisar_accesibilidad
