"""A filled form as PDF, laid out like the paper form: its header, then each section with its
numbering, each question with its text, the answer's parts side by side and the files attached
to it (WeasyPrint)."""

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from formularios.models import Llenado, Plantilla
from formularios.services import arbol_con_respuestas, preguntas_en_orden


def _sin_recursos_externos(url: str, *args: Any, **kwargs: Any) -> dict:
    # The form embeds no external resource: user text cannot make the renderer fetch anything.
    raise ValueError(f"Recurso externo no permitido en un formulario: {url[:60]}")


def formulario_html(
    *,
    plantilla: Plantilla,
    llenado: Llenado | None,
    servicio: str,
    titulo: str,
    medios: dict[int, list[Any]] | None = None,
) -> str:
    secciones = arbol_con_respuestas(plantilla, llenado)
    # The files attached to each question (by question id), kept by whoever holds the form.
    for pregunta in preguntas_en_orden(secciones):
        pregunta.medios_vigentes = (medios or {}).get(pregunta.pk, [])
    return render_to_string(
        "formularios/pdf.html",
        {
            "plantilla": plantilla,
            "secciones": secciones,
            "servicio": servicio,
            "titulo": titulo,
            "generado_en": timezone.localtime(),
        },
    )


def formulario_pdf(
    *,
    plantilla: Plantilla,
    llenado: Llenado | None,
    servicio: str,
    titulo: str,
    medios: dict[int, list[Any]] | None = None,
) -> bytes:
    """The PDF of a form as filled (an unfilled form prints with its answers empty), each
    question with the files attached to it (`medios`, by question id)."""
    from weasyprint import HTML

    html = formulario_html(
        plantilla=plantilla, llenado=llenado, servicio=servicio, titulo=titulo, medios=medios
    )
    return HTML(string=html, url_fetcher=_sin_recursos_externos).write_pdf()
