"""A servicio fills a deliverable whose form is seed 003's Formulario Etapa N°4 - Evaluación and
downloads it as PDF, laid out like the paper form (issue 16)."""

import os
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from compromisos.models import FormulacionPMG, InformeAvance, Proceso, TipoEntregable
from formularios.models import Plantilla, Respuesta
from servicios.models import Membresia, Servicio
from tests.browser.conftest import url
from tests.conftest import REFERENCIAS, crear_usuario
from tests.formularios.conftest import CLAVE_EVALUACION

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CLAVE = "clave-segura-2026"


@pytest.fixture
def informe_dgop(transactional_db):
    call_command("loaddata", *REFERENCIAS, verbosity=0)
    dgop = Servicio.objects.get(nombre="Dirección General de Obras Públicas")
    usuario = crear_usuario("encargado_dgop", "servicio")
    Membresia.objects.create(usuario=usuario, servicio=dgop)
    proceso = Proceso.objects.create(anio=2007)
    tipo = TipoEntregable.objects.create(
        proceso=proceso,
        clave=CLAVE_EVALUACION,
        nombre="Certificación etapa 4 (evaluación)",
        formulario=Plantilla.objects.get(codigo="gestion-territorial-etapa-4"),
    )
    formulacion = FormulacionPMG.objects.create(servicio=dgop, proceso=proceso)
    return InformeAvance.objects.create(formulacion=formulacion, tipo=tipo)


def test_servicio_llena_el_formulario_003_y_descarga_su_pdf(
    informe_dgop, live_server, pagina, ingresar, revisar_accesibilidad
):
    ingresar(pagina, live_server, "encargado_dgop", CLAVE)
    pagina.goto(url(live_server, "compromisos:informe_editar", informe_dgop.pk))
    formulario = pagina.locator("#formulario")
    expect(
        formulario.get_by_role("heading", name="Formulario Etapa N°4 - EVALUACIÓN")
    ).to_be_visible()
    expect(formulario).to_contain_text("SISTEMA PMG DE GESTION TERRITORIAL")
    expect(formulario).to_contain_text("SERVICIO: DIRECCIÓN GENERAL DE OBRAS PÚBLICAS")
    expect(
        formulario.get_by_role("heading", name="1.1. Perspectiva territorial del programa")
    ).to_be_visible()
    expect(
        formulario.get_by_role(
            "heading", name="OBJETIVO Nº 3: “Informe Ejecutivo al Jefe de Servicio”"
        )
    ).to_be_visible()
    revisar_accesibilidad(pagina)

    p11 = formulario.locator("[id^='pregunta-']").first
    p11.get_by_label("Descripción del desarrollo alcanzado").fill(
        "La DGOP definió como territorio la Región."
    )
    p11.get_by_label("Recomendaciones para mejorar el diseño y la implementación en el 2008.").fill(
        "Articularse con CONAMA y MINVU."
    )
    formulario.get_by_label("Recomendaciones a SUBDERE").fill(
        "Mejorar la definición de requisitos."
    )
    pagina.get_by_role("button", name="Guardar borrador").click()
    expect(pagina.get_by_text("Borrador guardado.")).to_be_visible()
    expect(p11.get_by_label("Descripción del desarrollo alcanzado")).to_have_value(
        "La DGOP definió como territorio la Región."
    )
    assert Respuesta.objects.filter(llenado__informe=informe_dgop).count() == 2
    if os.environ.get("SRM_CAPTURAS"):
        pagina.screenshot(path=os.environ["SRM_CAPTURAS"], full_page=True)

    pagina.goto(url(live_server, "compromisos:informe_detalle", informe_dgop.pk))
    expect(pagina.locator("#formulario")).to_contain_text("Articularse con CONAMA y MINVU.")
    revisar_accesibilidad(pagina)
    with pagina.expect_download() as descarga:
        pagina.get_by_role("link", name="Descargar formulario (PDF)").click()
    contenido = Path(descarga.value.path()).read_bytes()
    assert contenido.startswith(b"%PDF")
    texto = " ".join(
        subprocess.run(["pdftotext", "-", "-"], input=contenido, capture_output=True, check=True)
        .stdout.decode("utf-8")
        .split()
    )
    for encabezado in [
        "SISTEMA PMG DE GESTION TERRITORIAL",
        "Formulario Etapa N°4 - EVALUACIÓN",
        "OBJETIVO N°1:",
        "1.1. Perspectiva territorial del programa",
        "2.1. Cumplimiento de las medidas",
        "3. RECOMENDACIONES PARA EL DESARROLLO DEL REQUISITO EN EL SISTEMA",
        "La DGOP definió como territorio la Región.",
        "Mejorar la definición de requisitos.",
    ]:
        assert encabezado in texto, encabezado
