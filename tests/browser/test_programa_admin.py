"""The Unidad sets up next year's programa marco and universe in the browser (issue 15).

Copies the demo year's catalogue with the admin action, then fills the new year's universe on
its page: the figures the source declares, a participant chosen with the servicio search, and
an exempt servicio with its reason. The tablero of that year would then count against it.
"""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from bitacora.models import Evento
from programa.models import CifraUniverso, Participacion, ProgramaMarco, SistemaPMG

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def elegir_servicio(pagina, fila, texto: str) -> None:
    """Choose a servicio in the admin's autocomplete (select2) of one inline row."""
    fila.locator(".select2-selection").click()
    buscador = pagina.locator(".select2-container--open .select2-search__field")
    buscador.fill(texto)
    opcion = pagina.locator(".select2-results__option", has_text=texto).first
    expect(opcion).to_be_visible()
    opcion.click()


def test_la_unidad_arma_el_programa_marco_y_el_universo_del_anio(
    datos_demo, live_server, pagina, ingresar
):
    anio = timezone.localdate().year
    siguiente = anio + 1
    ingresar(pagina, live_server, "admin")

    # The catalogue: a copy of the demo year's, with the admin action.
    pagina.goto(live_server.url + "/admin/programa/programamarco/")
    origen = ProgramaMarco.objects.get(anio=anio)
    pagina.locator(f"input[name='_selected_action'][value='{origen.pk}']").check()
    pagina.locator("select[name='action']").select_option("copiar_al_anio_siguiente")
    pagina.locator("button[name='index']").click()
    expect(pagina.locator(".messagelist")).to_contain_text(
        f"Programa marco {anio} copiado a {siguiente}"
    )
    assert SistemaPMG.objects.filter(area__marco__programa__anio=siguiente).count() == (
        SistemaPMG.objects.filter(area__marco__programa__anio=anio).count()
    )

    # The universe of the new year, on its page.
    programa = ProgramaMarco.objects.get(anio=siguiente)
    pagina.goto(live_server.url + f"/admin/programa/programamarco/{programa.pk}/change/")
    pagina.locator("input[name='ministerios_declarados']").fill("1")
    pagina.locator("textarea[name='fuente_universo']").fill("Oficio de DIPRES (prueba)")

    cifras = pagina.locator("#cifras-group")
    cifras.locator(".add-row a").click()
    fila = cifras.locator("tr.dynamic-cifras").last
    fila.locator("input[name$='-descripcion']").fill("Gobernaciones provinciales")
    fila.locator("input[name$='-cantidad']").fill("2")

    universo = pagina.locator("#participaciones-group")
    for nombre, estado, motivo in (
        ("Gobernación Provincial de Osorno", "participa", ""),
        ("Gobernación Provincial de Chiloé", "eximido", "Eximida por decreto (prueba)."),
    ):
        universo.locator(".add-row a").click()
        fila = universo.locator("tr.dynamic-participaciones").last
        elegir_servicio(pagina, fila, nombre)
        fila.locator("select[name$='-estado']").select_option(estado)
        fila.locator("textarea[name$='-motivo'], input[name$='-motivo']").fill(motivo)
    pagina.locator("input[name='_continue']").click()
    expect(pagina.locator(".messagelist")).to_contain_text("se cambió correctamente")

    programa = ProgramaMarco.objects.get(anio=siguiente)
    assert programa.ministerios_declarados == 1
    assert list(
        CifraUniverso.objects.filter(programa=programa).values_list("cantidad", flat=True)
    ) == [2]
    participaciones = dict(
        Participacion.objects.filter(programa=programa).values_list("servicio__nombre", "estado")
    )
    assert participaciones["Gobernación Provincial de Osorno"] == "participa"
    assert participaciones["Gobernación Provincial de Chiloé"] == "eximido"
    assert Evento.objects.filter(accion="participacion.guardar", anio=siguiente).count() >= 2
    # The page shows what was saved.
    expect(universo).to_contain_text("Eximida por decreto (prueba).")


def test_la_unidad_sube_el_decreto_y_cualquiera_lo_descarga(
    datos_demo, live_server, pagina, ingresar
):
    from compromisos.models import Proceso
    from demo.archivos import pdf_minimo

    proceso = Proceso.objects.get(anio=timezone.localdate().year)
    contenido = pdf_minimo("Decreto exento 321")
    ingresar(pagina, live_server, "admin")
    pagina.goto(live_server.url + f"/admin/compromisos/proceso/{proceso.pk}/change/")
    pagina.locator("input[name='decreto_numero']").fill("321")
    pagina.locator("select[name='decreto_estado']").select_option("tramitado")
    pagina.locator("input[name='documento']").set_input_files(
        {"name": "decreto 321.pdf", "mimeType": "application/pdf", "buffer": contenido}
    )
    pagina.locator("input[name='_continue']").click()
    expect(pagina.locator(".messagelist")).to_contain_text("se cambió correctamente")
    # The admin page links to the download, which goes through the permission door.
    with pagina.expect_download() as descarga:
        pagina.get_by_role("link", name="decreto 321.pdf").click()
    assert descarga.value.suggested_filename == "decreto 321.pdf"
    with open(descarga.value.path(), "rb") as archivo:
        assert archivo.read() == contenido
