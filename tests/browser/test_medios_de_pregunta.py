"""A question of a deliverable's form asks for a medio de verificación (issue 16): the servicio
attaches files under the questions, is told which question still lacks its file when it tries
to send, sends, and the analista reads the file under the question and gives its verdict."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from compromisos.models import InformeAvance, MedioVerificacion, TipoEntregable
from demo.archivos import pdf_minimo
from formularios.models import Llenado, Plantilla, Pregunta, Respuesta, Seccion
from servicios.models import Cartera
from tests.browser.conftest import CARPETA_RESULTADOS, url
from validacion.models import VeredictoMedio

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def borrador_de_servicio2() -> tuple[InformeAvance, Pregunta, Pregunta]:
    """servicio2's deliverable of a kind whose second question asks for one medio, answered and
    still a draft (the test's own data)."""
    formulacion = InformeAvance.objects.get(
        formulacion__servicio__membresias__usuario__username="servicio2", periodo="avance_3"
    ).formulacion
    plantilla = Plantilla.objects.create(
        codigo="evaluacion-medios", nombre="Formulario Etapa N°4", encabezado="Evaluación"
    )
    objetivo = Seccion.objects.create(
        plantilla=plantilla, numero="Objetivo N°1", titulo="Perspectiva territorial", orden=1
    )
    primera = Pregunta.objects.create(
        seccion=objetivo,
        numero="1.1",
        titulo="Perspectiva territorial del programa",
        texto="¿Cómo incorporó el programa la perspectiva territorial?",
        orden=1,
    )
    segunda = Pregunta.objects.create(
        seccion=objetivo,
        numero="1.2",
        titulo="Articulación territorial",
        texto="¿Con qué instancias regionales se articuló?",
        medios_requeridos=1,
        descripcion_medios="Acta de la mesa regional",
        orden=2,
    )
    tipo = TipoEntregable.objects.create(
        proceso=formulacion.proceso,
        clave="evaluacion",
        nombre="Informe de evaluación",
        formulario=plantilla,
    )
    llenado = Llenado.objects.create(plantilla=plantilla)
    for pregunta, valor in ((primera, "Con mesas provinciales."), (segunda, "Con el GORE.")):
        Respuesta.objects.create(llenado=llenado, pregunta=pregunta, valor=valor)
    informe = InformeAvance.objects.create(
        formulacion=formulacion, periodo=tipo.clave, tipo=tipo, llenado=llenado
    )
    return informe, primera, segunda


def test_servicio_adjunta_medios_a_preguntas_y_la_analista_los_califica(
    datos_demo, live_server, navegador, pagina, ingresar, revisar_accesibilidad, tmp_path
):
    informe, primera, segunda = borrador_de_servicio2()
    foto = tmp_path / "Mesa provincial.pdf"
    foto.write_bytes(pdf_minimo("Mesa provincial de Llanquihue"))
    acta = tmp_path / "Acta mesa regional.pdf"
    acta.write_bytes(pdf_minimo("Acta de la mesa regional con el GORE"))
    CARPETA_RESULTADOS.mkdir(parents=True, exist_ok=True)

    ingresar(pagina, live_server, "servicio2")
    pagina.goto(url(live_server, "compromisos:informe_editar", informe.pk))
    bloque = pagina.locator(f"#pregunta-{primera.pk}")
    bloque.locator("input[type=file][name='archivos']").set_input_files(str(foto))
    bloque.get_by_role("button", name="Subir").click()
    expect(
        pagina.get_by_text("1 archivo adjunto a la pregunta 1.1 Perspectiva territorial")
    ).to_be_visible()
    expect(pagina.locator(f"#pregunta-{primera.pk}")).to_contain_text("Mesa provincial.pdf")
    expect(pagina.locator(f"#pregunta-{segunda.pk}")).to_contain_text("0 de 1 requerido")
    revisar_accesibilidad(pagina)
    pagina.locator("#formulario").screenshot(
        path=str(CARPETA_RESULTADOS / "medios_pregunta_llenar.png")
    )

    # Sending without the second question's file: refused, the question named, nothing lost.
    pagina.get_by_role("button", name="Guardar y revisar envío…").click()
    pagina.get_by_role("button", name="Sí, enviar a SUBDERE").click()
    expect(
        pagina.get_by_text("Faltan medios de verificación en preguntas del formulario")
    ).to_be_visible()
    expect(pagina.get_by_text("1.2 Articulación territorial (pide 1, tiene 0)")).to_be_visible()
    pagina.screenshot(path=str(CARPETA_RESULTADOS / "medios_pregunta_envio.png"), full_page=True)
    informe.refresh_from_db()
    assert informe.estado == "borrador"
    assert MedioVerificacion.objects.filter(informe=informe).count() == 1

    pagina.goto(url(live_server, "compromisos:informe_editar", informe.pk))
    expect(pagina.get_by_label("1.2 Articulación territorial")).to_have_value("Con el GORE.")
    bloque = pagina.locator(f"#pregunta-{segunda.pk}")
    bloque.locator("input[type=file][name='archivos']").set_input_files(str(acta))
    bloque.get_by_role("button", name="Subir").click()
    expect(pagina.get_by_text("1 archivo adjunto a la pregunta 1.2")).to_be_visible()
    pagina.get_by_role("button", name="Guardar y revisar envío…").click()
    # The compromisos' promised medios are not this kind's to collect: nothing to justify.
    expect(
        pagina.get_by_label("Justificación de los medios comprometidos que no se adjuntan")
    ).to_have_count(0)
    pagina.get_by_role("button", name="Sí, enviar a SUBDERE").click()
    expect(pagina.get_by_text("Informe de evaluación enviado a SUBDERE")).to_be_visible()
    informe.refresh_from_db()
    assert informe.estado == "enviado"

    # The analista of servicio2's cartera reads each file under its question and judges it.
    usuario = get_user_model().objects.get(username="analista")
    Cartera.objects.get_or_create(
        anio=informe.formulacion.proceso.anio,
        rol=Cartera.Rol.ANALISTA,
        usuario=usuario,
        servicio=informe.formulacion.servicio,
    )
    contexto = navegador.new_context(locale="es-CL", timezone_id="America/Santiago")
    analista = contexto.new_page()
    try:
        ingresar(analista, live_server, "analista")
        analista.goto(url(live_server, "validacion:informe_revisar", informe.pk))
        analista.get_by_role("button", name="Tomar en revisión").click()
        expect(analista.get_by_text("Informe tomado en revisión.")).to_be_visible()
        bajo = analista.locator(f"#pregunta-{segunda.pk}")
        expect(bajo).to_contain_text("Con el GORE.")
        expect(bajo.get_by_role("link", name="Acta mesa regional.pdf")).to_be_visible()
        revisar_accesibilidad(analista)
        medio = MedioVerificacion.objects.get(pregunta=segunda)
        bajo.locator(f"#resultado-{medio.pk}").select_option("observado")
        bajo.locator(f"#motivo-{medio.pk}").fill("Falta la firma del gobernador.")
        bajo.get_by_role("button", name="Calificar Acta mesa regional.pdf").click()
        expect(
            analista.get_by_text("Veredicto registrado para «Acta mesa regional.pdf».")
        ).to_be_visible()
        expect(analista.locator(f"#medio-{medio.pk}")).to_contain_text("Observado")
        analista.screenshot(
            path=str(CARPETA_RESULTADOS / "medios_pregunta_revision.png"), full_page=True
        )
    finally:
        contexto.close()
    # The servicio reads the verdict under its question.
    pagina.goto(url(live_server, "compromisos:informe_detalle", informe.pk))
    expect(pagina.locator(f"#pregunta-{segunda.pk}")).to_contain_text(
        "Falta la firma del gobernador."
    )
    revisar_accesibilidad(pagina)
    pagina.locator("#formulario").screenshot(
        path=str(CARPETA_RESULTADOS / "medios_pregunta_servicio.png")
    )
    veredicto = VeredictoMedio.objects.get(medio__pregunta=segunda)
    assert (veredicto.resultado, veredicto.motivo) == (
        "observado",
        "Falta la firma del gobernador.",
    )
