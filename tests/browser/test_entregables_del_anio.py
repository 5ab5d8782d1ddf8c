"""The Unidad defines next year's deliverables in the browser (issue 16).

It creates the year, copies the previous year's list of deliverables (kinds and the hitos that
are their deadlines), adds a new kind with its form, gives it a deadline in the calendar, and the
year's hitos tracker then shows it as a column.
"""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from bitacora.models import Evento
from compromisos.models import Hito, Proceso, TipoEntregable
from tests.browser.conftest import CARPETA_RESULTADOS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_la_unidad_define_un_anio_con_un_entregable_nuevo(
    datos_demo, live_server, pagina, ingresar, revisar_accesibilidad
):
    anio = timezone.localdate().year
    siguiente = anio + 1
    anteriores = list(
        TipoEntregable.objects.filter(proceso__anio=anio)
        .order_by("orden")
        .values_list("clave", flat=True)
    )
    assert anteriores, "the demo's current year has its deliverables"
    ingresar(pagina, live_server, "admin")

    # The new year.
    pagina.goto(live_server.url + "/admin/compromisos/proceso/add/")
    pagina.locator("input[name='anio']").fill(str(siguiente))
    pagina.locator("input[name='_save']").click()
    expect(pagina.locator(".messagelist")).to_contain_text("fue agregado correctamente")

    # Its deliverables: a copy of the previous year's, with the admin action.
    nuevo = Proceso.objects.get(anio=siguiente)
    pagina.locator(f"input[name='_selected_action'][value='{nuevo.pk}']").check()
    pagina.locator("select[name='action']").select_option("copiar_entregables_del_anio_anterior")
    pagina.locator("button[name='index']").click()
    expect(pagina.locator(".messagelist")).to_contain_text(f"Entregables copiados a {siguiente}")
    assert list(nuevo.entregables.order_by("orden").values_list("clave", flat=True)) == anteriores

    # A new kind on the year's page, with its form.
    pagina.goto(live_server.url + f"/admin/compromisos/proceso/{nuevo.pk}/change/")
    entregables = pagina.locator("#entregables-group")
    expect(entregables).to_contain_text("Informe de avance 1")
    entregables.locator(".add-row a").click()
    fila = entregables.locator("tr.dynamic-entregables").last
    fila.locator("input[name$='-orden']").fill("9")
    fila.locator("input[name$='-clave']").fill("factibilidad")
    fila.locator("input[name$='-nombre']").fill("Informe de factibilidad")
    fila.locator("select[name$='-formulario']").select_option(
        label="Informe de avance (informe-avance)"
    )
    pagina.locator("input[name='_continue']").click()
    expect(pagina.locator(".messagelist")).to_contain_text("se cambió correctamente")
    factibilidad = TipoEntregable.objects.get(proceso=nuevo, clave="factibilidad")
    assert Evento.objects.filter(accion="entregable.crear", anio=siguiente).count() == 1

    # Its deadline: a hito of the calendar that points at it.
    hitos = pagina.locator("#hitos-group")
    hitos.locator(".add-row a").click()
    fila = hitos.locator("tr.dynamic-hitos").last
    fila.locator("select[name$='-etapa']").select_option("formulacion")
    fila.locator("input[name$='-nombre']").fill("Entrega del informe de factibilidad")
    fila.locator("input[name$='-fecha_limite']").fill(f"31-03-{siguiente}")
    fila.locator("select[name$='-entregable']").select_option(label="Informe de factibilidad")
    pagina.locator("input[name='_continue']").click()
    expect(pagina.locator(".messagelist")).to_contain_text("se cambió correctamente")
    hito = Hito.objects.get(proceso=nuevo, nombre="Entrega del informe de factibilidad")
    assert hito.entregable == factibilidad
    expect(pagina.locator("#entregables-group")).to_contain_text(f"Todos: 31-03-{siguiente}")
    revisar_accesibilidad(pagina)
    pagina.screenshot(path=str(CARPETA_RESULTADOS / "entregables_admin.png"), full_page=True)

    # The year's hitos tracker has a column for it.
    pagina.goto(live_server.url + f"/tablero/hitos/?anio={siguiente}")
    tabla = pagina.locator("table.srm-seguimiento")
    expect(tabla.locator("thead")).to_contain_text("Informe de factibilidad")
    expect(tabla.locator("thead")).to_contain_text("Informe de avance 1")
    revisar_accesibilidad(pagina)
    pagina.screenshot(path=str(CARPETA_RESULTADOS / "entregables_seguimiento.png"), full_page=True)
