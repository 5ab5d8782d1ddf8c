"""Administración builds a form template in the browser; a servicio fills a deliverable that
uses it: a bad percentage is refused with its message and nothing typed is lost (issue 16)."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from compromisos.models import FormulacionPMG, InformeAvance, Proceso, TipoEntregable
from formularios.models import Plantilla, Pregunta, Respuesta, Seccion
from servicios.models import Membresia, Servicio
from tests.browser.conftest import url
from tests.conftest import REFERENCIAS, crear_usuario

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CLAVE = "clave-segura-2026"


@pytest.fixture
def personas(transactional_db):
    call_command("loaddata", *REFERENCIAS, verbosity=0)
    admin = crear_usuario("admin_formularios", "admin")
    admin.is_staff = True
    admin.save(update_fields=["is_staff"])
    encargado = crear_usuario("encargado_formularios", "servicio")
    servicio = Servicio.objects.get(nombre="Gobernación Provincial de Osorno")
    Membresia.objects.create(usuario=encargado, servicio=servicio)
    return {"servicio": servicio}


def test_admin_arma_un_formulario_y_el_servicio_lo_llena(
    personas, live_server, pagina, ingresar, revisar_accesibilidad
):
    ingresar(pagina, live_server, "admin_formularios", CLAVE)
    pagina.goto(live_server.url + "/admin/formularios/plantilla/add/")
    pagina.locator("input[name='codigo']").fill("factibilidad-2027")
    pagina.locator("input[name='encabezado']").fill("PMG DESCENTRALIZACIÓN")
    pagina.locator("input[name='nombre']").fill("Informe de factibilidad")
    pagina.locator("input[name='secciones-0-numero']").fill("I.")
    pagina.locator("input[name='secciones-0-titulo']").fill("Diagnóstico del servicio")
    pagina.locator("input[name='_continue']").click()
    expect(pagina.locator(".messagelist")).to_contain_text("Informe de factibilidad")
    seccion = Seccion.objects.get(plantilla__codigo="factibilidad-2027")

    pagina.get_by_role("link", name="Editar preguntas").click()
    pagina.locator("input[name='preguntas-0-numero']").fill("1.")
    pagina.locator("input[name='preguntas-0-titulo']").fill("Avance del diagnóstico")
    pagina.locator("textarea[name='preguntas-0-ayuda']").fill("Porcentaje del diagnóstico hecho.")
    pagina.locator("select[name='preguntas-0-tipo']").select_option("porcentaje")
    pagina.locator("input[name='preguntas-0-con_desarrollo']").check()
    pagina.locator("input[name='_continue']").click()
    expect(pagina.locator(".messagelist")).to_contain_text("se cambió correctamente")
    pregunta = Pregunta.objects.get(seccion=seccion)
    assert pregunta.tipo == "porcentaje" and pregunta.con_desarrollo

    # The year's list of deliverables (part C's page) points a kind at the new form.
    proceso = Proceso.objects.create(anio=2027)
    tipo = TipoEntregable.objects.create(
        proceso=proceso,
        # Short: the tablero keeps an informe's periodo in 10 characters (see conftest).
        clave="factib",
        nombre="Informe de factibilidad",
        formulario=Plantilla.objects.get(codigo="factibilidad-2027"),
    )
    formulacion = FormulacionPMG.objects.create(servicio=personas["servicio"], proceso=proceso)
    informe = InformeAvance.objects.create(formulacion=formulacion, tipo=tipo)

    pagina.context.clear_cookies()
    ingresar(pagina, live_server, "encargado_formularios", CLAVE)
    pagina.goto(url(live_server, "compromisos:informe_editar", informe.pk))
    formulario = pagina.locator("#formulario")
    expect(formulario.get_by_role("heading", name="I. Diagnóstico del servicio")).to_be_visible()
    expect(formulario).to_contain_text("Porcentaje del diagnóstico hecho.")
    formulario.get_by_label("Porcentaje (0 a 100)").fill("120")
    formulario.get_by_label("Descripción del desarrollo alcanzado").fill("Catastro de 3 comunas.")
    pagina.get_by_role("button", name="Guardar borrador").click()
    expect(pagina.locator("#resumen-errores")).to_contain_text(
        "Escriba un porcentaje: un número entero entre 0 y 100."
    )
    expect(formulario.get_by_label("Descripción del desarrollo alcanzado")).to_have_value(
        "Catastro de 3 comunas."
    )
    revisar_accesibilidad(pagina)
    assert not Respuesta.objects.exists()
    formulario.get_by_label("Porcentaje (0 a 100)").fill("60")
    pagina.get_by_role("button", name="Guardar borrador").click()
    expect(pagina.get_by_text("Borrador guardado.")).to_be_visible()
    guardada = Respuesta.objects.get()
    assert guardada.valor == 60 and guardada.desarrollo == "Catastro de 3 comunas."


def test_cada_tipo_de_pregunta_se_llena_sin_perder_lo_escrito(
    personas, live_server, pagina, ingresar, revisar_accesibilidad
):
    import os

    from tests.formularios.conftest import plantilla_de_cada_tipo

    plantilla = plantilla_de_cada_tipo("todas-2027")
    proceso = Proceso.objects.create(anio=2027)
    tipo = TipoEntregable.objects.create(
        proceso=proceso, clave="propio", nombre="Entregable propio", formulario=plantilla
    )
    formulacion = FormulacionPMG.objects.create(servicio=personas["servicio"], proceso=proceso)
    informe = InformeAvance.objects.create(formulacion=formulacion, tipo=tipo)

    ingresar(pagina, live_server, "encargado_formularios", CLAVE)
    pagina.goto(url(live_server, "compromisos:informe_editar", informe.pk))
    formulario = pagina.locator("#formulario")
    formulario.get_by_label("Media").check()
    formulario.get_by_label("No", exact=True).check()
    formulario.get_by_label("Comuna, fila 1").fill("Osorno")
    formulario.get_by_label("Acción, fila 1").fill("Mesa técnica")
    formulario.get_by_label("Porcentaje (0 a 100)").fill("101")
    pagina.get_by_role("button", name="Guardar borrador").click()
    expect(pagina.locator("#resumen-errores")).to_contain_text("Escriba un porcentaje")
    expect(formulario.get_by_label("Media")).to_be_checked()
    expect(formulario.get_by_label("Comuna, fila 1")).to_have_value("Osorno")
    revisar_accesibilidad(pagina)
    formulario.get_by_label("Porcentaje (0 a 100)").fill("35")
    pagina.get_by_role("button", name="Guardar y agregar otra fila").click()
    expect(pagina.get_by_text("Borrador guardado.")).to_be_visible()
    expect(formulario.get_by_label("Comuna, fila 2")).to_have_value("")
    formulario.get_by_label("Comuna, fila 2").fill("Purranque")
    formulario.get_by_label("Quitar la fila 1").check()
    pagina.get_by_role("button", name="Guardar borrador").click()
    expect(pagina.get_by_text("Borrador guardado.")).to_be_visible()
    if os.environ.get("SRM_CAPTURAS"):
        pagina.locator("#formulario").screenshot(path=os.environ["SRM_CAPTURAS"])
    valores = {r.pregunta.tipo: r.valor for r in Respuesta.objects.select_related("pregunta")}
    assert valores == {
        "opcion": "Media",
        "si_no": False,
        "porcentaje": 35,
        "tabla": [["Purranque", ""]],
    }
