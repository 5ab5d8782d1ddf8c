"""The GORE quality system in Chromium: the GORE team answers and sends its autoevaluación,
the evaluador scores it and closes the evaluation, the analista validates it and jefatura
reads the 15 GORE side by side and 2011 against 2012; axe on every page."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from calidad import services
from calidad.models import Autoevaluacion, EstadoAutoevaluacion
from calidad.puntajes import puntos
from tests.browser.conftest import url
from tests.reportes.conftest import texto_pdf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LOS_LAGOS = "Gobierno Regional de Los Lagos"


def salir(pagina):
    pagina.get_by_role("button", name=re.compile("Sesión de")).click()
    pagina.get_by_role("button", name="Cerrar sesión").click()
    pagina.wait_for_load_state("load")


def test_cada_rol_hace_su_parte(
    datos_demo, live_server, pagina, ingresar, revisar_accesibilidad, tmp_path
):
    autoevaluacion = Autoevaluacion.objects.get(servicio__nombre=LOS_LAGOS, anio=2012)
    ultima = list(autoevaluacion.respuestas.select_related("elemento__criterio"))[-1]
    assert ultima.texto == ""

    # The GORE team answers the element left and sends the autoevaluación.
    ingresar(pagina, live_server, "gore")
    pagina.get_by_role("navigation", name="Navegación principal").get_by_role(
        "link", name="Calidad"
    ).click()
    expect(pagina.get_by_role("heading", level=1)).to_have_text(
        "Calidad de los gobiernos regionales"
    )
    revisar_accesibilidad(pagina)
    # Only its own GORE: the Biobío is nowhere.
    expect(pagina.locator("main")).not_to_contain_text("Biobío")
    pagina.get_by_role("row", name=re.compile("2012")).get_by_role("link", name=LOS_LAGOS).click()
    expect(pagina.get_by_role("heading", level=1)).to_contain_text("Autoevaluación 2012")
    revisar_accesibilidad(pagina)
    seccion = pagina.locator(f"#elemento-{ultima.pk}")
    seccion.get_by_label("Descripción del GORE").fill("Medimos los resultados cada trimestre.")
    seccion.get_by_label("Nivel propuesto").select_option("4")
    seccion.get_by_role("button", name=f"Guardar elemento {ultima.elemento.codigo}").click()
    expect(pagina.get_by_role("alert").first).to_contain_text("guardado")
    pagina.get_by_role("button", name="Enviar", exact=True).click()
    expect(pagina.get_by_role("alert").first).to_contain_text("enviada al evaluador")
    salir(pagina)

    # The evaluador has scored all but one element (arranged); it scores the last and closes.
    evaluador = get_user_model().objects.get(username="evaluador")
    for respuesta in list(autoevaluacion.respuestas.all())[:-1]:
        services.respuesta_calificar(
            respuesta=respuesta, nivel_evaluado=3, observacion="", usuario=evaluador
        )
    ingresar(pagina, live_server, "evaluador")
    expect(pagina.get_by_role("heading", level=1)).to_have_text("Autoevaluaciones asignadas")
    revisar_accesibilidad(pagina)
    pagina.get_by_role("row", name=re.compile(f"2012 {LOS_LAGOS}")).get_by_role("link").click()
    seccion = pagina.locator(f"#elemento-{ultima.pk}")
    seccion.get_by_label("Nivel evaluado").select_option("4")
    seccion.get_by_label("Observación del evaluador").fill("Falta el informe del último trimestre.")
    seccion.get_by_role("button", name=f"Calificar elemento {ultima.elemento.codigo}").click()
    expect(pagina.get_by_role("alert").first).to_contain_text("calificado")
    revisar_accesibilidad(pagina)
    pagina.get_by_role("button", name="Cerrar la evaluación").click()
    expect(pagina.get_by_role("alert").first).to_contain_text("evaluada")
    salir(pagina)

    # The analista of the GORE's cartera validates the score.
    ingresar(pagina, live_server, "analista")
    pagina.goto(url(live_server, "calidad:autoevaluacion_detalle", autoevaluacion.pk))
    pagina.get_by_role("button", name="Validar").click()
    expect(pagina.get_by_role("alert").first).to_contain_text("validada por subdere")
    expect(pagina.locator("[data-puntaje-validado]")).not_to_contain_text("—")
    revisar_accesibilidad(pagina)
    autoevaluacion.refresh_from_db()
    assert autoevaluacion.estado == EstadoAutoevaluacion.VALIDADA

    # From the scorecard, the analista asks for the GORE's informe de resultados (PDF); the
    # reports page follows it to its file.
    pagina.get_by_role("button", name="Generar el informe de resultados (PDF)").click()
    expect(pagina.get_by_role("heading", level=1)).to_have_text("Reportes")
    expect(pagina.get_by_role("alert").first).to_contain_text(
        "Se pidió «Informe de resultados de la autoevaluación de calidad (PDF)»"
    )
    fila = pagina.locator("#tabla-reportes tbody tr").first
    expect(fila).to_contain_text(f"2012 · {LOS_LAGOS}")
    expect(fila.get_by_text("Listo", exact=True)).to_be_visible(timeout=90_000)
    revisar_accesibilidad(pagina)
    with pagina.expect_download() as descarga:
        fila.get_by_role("link", name="Descargar").click()
    archivo = tmp_path / descarga.value.suggested_filename
    descarga.value.save_as(archivo)
    assert archivo.name == "informe_calidad_gobierno_regional_de_los_lagos_2012.pdf"
    texto = texto_pdf(archivo.read_bytes())
    autoevaluacion.refresh_from_db()
    assert f"Puntaje validado por SUBDERE {puntos(autoevaluacion.puntaje_validado)} de 500" in texto
    assert "2011 frente a 2012" in texto
    salir(pagina)

    # Jefatura reads the 15 GORE side by side and 2011 against 2012.
    ingresar(pagina, live_server, "jefatura")
    pagina.goto(url(live_server, "calidad:panorama") + "?anio=2011")
    tabla = pagina.get_by_role("table")
    expect(tabla.locator("tbody tr")).to_have_count(15)
    expect(tabla.get_by_role("row", name=re.compile("Biobío"))).to_contain_text("Nivel Excelencia")
    expect(tabla.get_by_role("row", name=re.compile("Maule"))).to_contain_text(
        "Nivel Calidad Avanzado"
    )
    expect(tabla.get_by_role("row", name=re.compile("O'Higgins"))).to_contain_text("Nivel Calidad")
    expect(pagina.locator("main")).to_contain_text("Puntaje supuesto")
    revisar_accesibilidad(pagina)
    pagina.get_by_role("link", name="Comparar dos años").click()
    expect(pagina.get_by_role("heading", level=1)).to_have_text(
        "2011 frente a 2012 por gobierno regional y criterio"
    )
    expect(pagina.get_by_role("row", name=re.compile(LOS_LAGOS))).to_contain_text("→")
    revisar_accesibilidad(pagina)
