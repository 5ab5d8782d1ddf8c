"""An analista reviews a deliverable of a kind the year defines (issue 16, part B): its form
reads as on paper, a question is observed, and the servicio sees the remark on that question."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from compromisos.models import InformeAvance, TipoEntregable
from formularios.models import Llenado, Plantilla, Pregunta, Respuesta, Seccion
from tests.browser.conftest import CARPETA_RESULTADOS, url
from validacion.services import revision_transicionar

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def entregable_de_servicio2() -> InformeAvance:
    """servicio2's deliverable of a certified kind, answered and sent (the test's own data)."""
    formulacion = InformeAvance.objects.get(
        formulacion__servicio__membresias__usuario__username="servicio2", periodo="avance_3"
    ).formulacion
    plantilla = Plantilla.objects.create(
        codigo="evaluacion-prueba", nombre="Formulario Etapa N°4", encabezado="Evaluación"
    )
    objetivo = Seccion.objects.create(
        plantilla=plantilla, numero="Objetivo N°1", titulo="Perspectiva territorial", orden=1
    )
    pregunta = Pregunta.objects.create(
        seccion=objetivo,
        numero="1.1",
        titulo="Perspectiva territorial del programa",
        texto="¿Cómo incorporó el programa la perspectiva territorial?",
        con_desarrollo=True,
    )
    tipo = TipoEntregable.objects.create(
        proceso=formulacion.proceso,
        clave="evaluacion",
        nombre="Informe de evaluación",
        formulario=plantilla,
        con_certificacion=True,
    )
    llenado = Llenado.objects.create(plantilla=plantilla)
    Respuesta.objects.create(
        llenado=llenado,
        pregunta=pregunta,
        valor="Con mesas provinciales.",
        desarrollo="Tres mesas en el año.",
    )
    informe = InformeAvance.objects.create(
        formulacion=formulacion, periodo=tipo.clave, tipo=tipo, llenado=llenado
    )
    encargado = get_user_model().objects.get(username="servicio2")
    return revision_transicionar(objeto=informe, accion="enviar", usuario=encargado)


def test_analista_observa_una_pregunta_y_el_servicio_la_ve(
    datos_demo, live_server, navegador, pagina, ingresar, revisar_accesibilidad
):
    informe = entregable_de_servicio2()
    ingresar(pagina, live_server, "analista")
    pagina.goto(url(live_server, "validacion:informe_revisar", informe.pk))
    pagina.get_by_role("button", name="Tomar en revisión").click()
    expect(pagina.get_by_text("Informe tomado en revisión.")).to_be_visible()
    expect(
        pagina.get_by_role("heading", name="Objetivo N°1 Perspectiva territorial")
    ).to_be_visible()
    expect(pagina.get_by_text("Con mesas provinciales.")).to_be_visible()
    expect(pagina.get_by_role("button", name="Certificar…", exact=True)).to_be_visible()
    revisar_accesibilidad(pagina)

    pagina.get_by_label("Observación sobre la pregunta 1.1").fill(
        "Indique qué provincias participaron."
    )
    pagina.get_by_role("button", name="Agregar observación sobre la pregunta 1.1").click()
    expect(pagina.get_by_text("Observación registrada.")).to_be_visible()
    CARPETA_RESULTADOS.mkdir(parents=True, exist_ok=True)
    pagina.screenshot(path=str(CARPETA_RESULTADOS / "revision_entregable.png"), full_page=True)
    pagina.get_by_role("button", name="Observar…").click()
    revisar_accesibilidad(pagina)
    pagina.get_by_role("button", name="Sí, observar").click()
    expect(
        pagina.get_by_text("Informe devuelto al servicio con sus observaciones.")
    ).to_be_visible()

    # The servicio, in its own session, reads the remark on its question.
    contexto = navegador.new_context(locale="es-CL", timezone_id="America/Santiago")
    servicio = contexto.new_page()
    try:
        ingresar(servicio, live_server, "servicio2")
        servicio.goto(url(live_server, "compromisos:informe_detalle", informe.pk))
        observacion = servicio.locator("li").filter(has_text="Indique qué provincias participaron.")
        expect(observacion).to_contain_text("Pregunta 1.1 Perspectiva territorial del programa")
        # Beside its answer too, in the form as it reads.
        pregunta = Pregunta.objects.get(seccion__plantilla__codigo="evaluacion-prueba")
        expect(servicio.locator(f"#pregunta-{pregunta.pk}")).to_contain_text(
            "Indique qué provincias participaron."
        )
        expect(servicio.locator(f"#pregunta-{pregunta.pk}")).to_contain_text(
            "Con mesas provinciales."
        )
        expect(servicio.get_by_text("Compromisos sin avance reportado")).to_have_count(0)
        revisar_accesibilidad(servicio)
        servicio.screenshot(
            path=str(CARPETA_RESULTADOS / "servicio_ve_observacion.png"), full_page=True
        )
    finally:
        contexto.close()
    informe.refresh_from_db()
    assert informe.estado == "observado"
