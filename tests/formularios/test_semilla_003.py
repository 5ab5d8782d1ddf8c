"""Seed 003's Formulario Etapa N°4 - Evaluación: loaded exactly, rendered with its headings,
numbering and question texts on the fill page, the read-only page and the PDF."""

import re
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from demo.formularios import formulario_dgop_cargar, respuestas_dgop
from formularios.models import Plantilla, Pregunta, Seccion
from formularios.services import preguntas_sin_responder
from tests.conftest import cliente

pytestmark = pytest.mark.django_db

SEMILLA = (
    next(Path("/work/shared/seeds").glob("003_*.txt"))
    if Path("/work/shared/seeds").exists()
    else None
)
# The texts as the paper form prints them (copied from seed 003, trailing spaces dropped).
ENCABEZADOS = [
    "SISTEMA PMG DE GESTION TERRITORIAL",
    "Formulario Etapa N°4 - EVALUACIÓN",
    "Presentación Información Servicios Concentrados",
    "OBJETIVO N°1:",
    "Descripción del desarrollo alcanzado en la incorporación del requisito de complementariedad "
    "al Programa de Trabajo que incorpora perspectiva territorial a los productos estratégicos.",
    "1.1. Perspectiva territorial del programa",
    "¿El programa de trabajo se ha definido sobre la base de un territorio en el que se "
    "identifique un problema común -con uno o más servicios- que puedan contribuir a  solucionar "
    "mediante la complementariedad de sus productos, facultades y recursos?",
    "Recomendaciones para mejorar el diseño y la implementación en el 2008.",
    "1.2. Articulación territorial",
    "¿Constituye el programa de trabajo una iniciativa que promueva la articulación con "
    "municipios, gobernaciones, gobiernos regionales, gabinete regional y/o agencia de desarrollo "
    "regional o provincial.",
    "1.3. Grado de complementariedad alcanzado",
    "¿El programa de trabajo es parte de un acuerdo formal entre dos o más instituciones en que "
    "se explicita  y programa el cumplimiento de los compromisos de las instituciones "
    "participantes a la solución del problema territorial detectado?",
    "OBJETIVO N°2:",
    "Descripción del desarrollo alcanzado en la provisión de información de interés regional a "
    "los gobiernos regionales",
    "2.1. Cumplimiento de las medidas para proveer de información de interés regional a los "
    "Gobiernos Regionales :",
    "OBJETIVO Nº 3: “Informe Ejecutivo al Jefe de Servicio”",
    "1. PRINCIPALES LOGROS OBTENIDOS:",
    "En perspectiva territorial",
    "En articulación territorial",
    "Grado de complementariedad alcanzado",
    "2. RECOMENDACIONES Y COMPROMISOS FUTUROS PARA MEJORAR GESTION",
    "Recomendaciones y/o compromisos necesarios para acortar las brechas:",
    "3. RECOMENDACIONES PARA EL DESARROLLO DEL REQUISITO EN EL SISTEMA",
    "Recomendaciones a SUBDERE",
]


def _plano(texto: str) -> str:
    return " ".join(texto.split())


def texto_html(html: str) -> str:
    return _plano(re.sub(r"<[^>]+>", " ", html))


def texto_pdf(contenido: bytes, titulo: str = "Evaluación etapa 4 2026") -> str:
    """The PDF's text without each page's header and footer (a page may break inside a line)."""
    resultado = subprocess.run(
        ["pdftotext", "-", "-"], input=contenido, capture_output=True, check=True
    )
    texto = _plano(resultado.stdout.decode("utf-8"))
    texto = re.sub(r" ?SRM · generado el [\d-]+ [\d:]+ Página \d+ de \d+ ?", " ", texto)
    return _plano(texto.replace(titulo, " "))


@pytest.mark.skipif(SEMILLA is None, reason="the seeds are not on this machine")
def test_cada_texto_esta_en_la_semilla_tal_cual():
    semilla = _plano(SEMILLA.read_text(encoding="utf-8"))
    for texto in ENCABEZADOS:
        assert _plano(texto) in semilla, texto
    # Every text of the template is the seed's, character for character (double spaces too).
    crudo = SEMILLA.read_text(encoding="utf-8")
    preguntas = Pregunta.objects.filter(seccion__plantilla__codigo="gestion-territorial-etapa-4")
    for pregunta in preguntas:
        textos = [pregunta.numero, pregunta.titulo, pregunta.texto]
        if pregunta.con_desarrollo:
            textos += [pregunta.etiqueta_desarrollo, pregunta.etiqueta_recomendaciones]
        for texto in textos:
            assert texto in crudo, texto
    for seccion in Seccion.objects.filter(plantilla__codigo="gestion-territorial-etapa-4"):
        for texto in (seccion.numero, seccion.titulo, seccion.descripcion):
            assert texto in crudo, texto


def test_la_plantilla_tiene_la_forma_del_papel(plantilla_003):
    raices = Seccion.objects.filter(plantilla=plantilla_003, padre=None).order_by("orden")
    assert [s.numero for s in raices] == ["OBJETIVO N°1:", "OBJETIVO N°2:", "OBJETIVO Nº 3:"]
    objetivo_3 = raices[2]
    assert [(s.numero, s.titulo) for s in objetivo_3.subsecciones.order_by("orden")] == [
        ("1.", "PRINCIPALES LOGROS OBTENIDOS:"),
        ("2.", "RECOMENDACIONES Y COMPROMISOS FUTUROS PARA MEJORAR GESTION"),
        ("3.", "RECOMENDACIONES PARA EL DESARROLLO DEL REQUISITO EN EL SISTEMA"),
    ]
    preguntas = Pregunta.objects.filter(seccion__plantilla=plantilla_003)
    con_partes = preguntas.filter(con_desarrollo=True, con_recomendaciones=True)
    assert sorted(con_partes.values_list("numero", flat=True)) == ["1.1.", "1.2.", "1.3.", "2.1."]
    assert preguntas.count() == 9


def test_cargar_la_fixture_dos_veces_no_duplica(plantilla_003):
    call_command("loaddata", "formulario_gestion_territorial_etapa4", verbosity=0)
    assert Plantilla.objects.filter(codigo="gestion-territorial-etapa-4").count() == 1
    assert Seccion.objects.filter(plantilla=plantilla_003).count() == 6
    assert Pregunta.objects.filter(seccion__plantilla=plantilla_003).count() == 9


def test_la_pagina_para_llenar_muestra_encabezados_y_preguntas_exactos(informe_003, encargado):
    pagina = cliente(encargado).get(reverse("compromisos:informe_editar", args=[informe_003.pk]))
    assert pagina.status_code == 200
    html = pagina.content.decode()
    texto = texto_html(html)
    for encabezado in ENCABEZADOS:
        assert _plano(encabezado) in texto, encabezado
    # Character-exact in the HTML too (double spaces of the seed kept).
    assert "contribuir a  solucionar" in html
    assert "SERVICIO: GOBERNACIÓN PROVINCIAL DE OSORNO" in texto
    # Seed 003's form has no per-compromiso block.
    assert "C01 · Compromiso 1" not in html
    # In reading order.
    posiciones = [
        texto.index(_plano(e))
        for e in ENCABEZADOS
        if e
        not in (
            "En perspectiva territorial",
            "Grado de complementariedad alcanzado",
            "En articulación territorial",
            "Recomendaciones a SUBDERE",
            "Recomendaciones para mejorar el diseño y la implementación en el 2008.",
        )
    ]
    assert posiciones == sorted(posiciones)


def test_respuestas_dgop_en_la_pagina_y_en_el_pdf(informe_003, encargado, analista):
    assert formulario_dgop_cargar(informe_003) == 9
    assert formulario_dgop_cargar(informe_003) == 0
    assert preguntas_sin_responder(informe_003.llenado.plantilla, informe_003.llenado) == []
    datos = respuestas_dgop()["respuestas"]
    pagina = cliente(analista).get(reverse("compromisos:informe_detalle", args=[informe_003.pk]))
    texto = texto_html(pagina.content.decode())
    for encabezado in ENCABEZADOS:
        assert _plano(encabezado) in texto, encabezado
    assert _plano(datos["1-1"]["desarrollo"]) in texto
    assert _plano(datos["recomendaciones-subdere"]["valor"]) in texto
    assert "Descargar formulario (PDF)" in texto

    respuesta = cliente(analista).get(
        reverse("compromisos:informe_formulario_pdf", args=[informe_003.pk])
    )
    assert respuesta.status_code == 200
    assert respuesta["Content-Type"] == "application/pdf"
    pdf = texto_pdf(respuesta.content)
    for encabezado in ENCABEZADOS:
        assert _plano(encabezado) in pdf, encabezado
    assert "SERVICIO: GOBERNACIÓN PROVINCIAL DE OSORNO" in pdf
    # The answers (a page may break inside one: its paragraphs are checked one by one).
    for parrafo in datos["recomendaciones-brechas"]["valor"].splitlines():
        assert _plano(parrafo) in pdf
    # Headings in the paper's order.
    orden = [
        "OBJETIVO N°1:",
        "1.1. Perspectiva",
        "1.2. Articulación",
        "1.3. Grado",
        "OBJETIVO N°2:",
        "2.1. Cumplimiento",
        "OBJETIVO Nº 3:",
        "1. PRINCIPALES",
        "2. RECOMENDACIONES Y",
        "3. RECOMENDACIONES PARA",
    ]
    posiciones = [pdf.index(t) for t in orden]
    assert posiciones == sorted(posiciones)


def test_la_demo_deja_el_formulario_de_la_dgop_2007_enviado_una_sola_vez(referencias):
    """With the 2007 cycle loaded, the demo fills the DGOP's Formulario Etapa N°4 with seed 003's
    answers and leaves it sent on its deadline, once however often it runs."""
    from django.core.management import call_command

    from compromisos.models import InformeAvance
    from demo.formularios import formulario_dgop_demo

    assert formulario_dgop_demo() is None  # no 2007 cycle yet: nothing made up
    call_command("loaddata", "entregables_2007", verbosity=0)
    informe = formulario_dgop_demo()
    assert informe.formulacion.servicio.nombre == "Dirección General de Obras Públicas"
    assert (informe.tipo.clave, informe.formulacion.proceso.programa) == (
        "evaluacion_etapa_4",
        "PMG Gestión Territorial",
    )
    assert informe.estado == "enviado" and f"{informe.enviado_en:%Y-%m-%d}" == "2007-09-07"
    assert informe.llenado.respuestas.count() == 9
    assert formulario_dgop_demo().pk == informe.pk
    assert InformeAvance.objects.filter(formulacion__proceso__anio=2007).count() == 1
