"""A filled form, read-only: its sections and questions in the paper form's order, with the
answers (issue 16). SUBDERE's review page shows it through templates/formularios/_respuestas.html.
"""

from dataclasses import dataclass, field
from typing import Any

from formularios.instantanea import valor_legible
from formularios.models import Pregunta, Respuesta, Seccion


@dataclass
class Fila:
    """One line of the form as it reads: a section heading or a question with its answer."""

    es_seccion: bool
    nivel: int
    seccion: Seccion | None = None
    pregunta: Pregunta | None = None
    respuesta: Respuesta | None = None
    valor: str = ""
    filas_tabla: list[Any] = field(default_factory=list)
    # The review's remarks on this question, set by the page that shows them.
    observaciones: list[Any] = field(default_factory=list)

    @property
    def nivel_titulo(self) -> int:
        """The heading level (h3 for the top sections of a page whose form is under an h2)."""
        return min(3 + self.nivel, 6)


def formulario_lleno(*, plantilla_id: int, llenado_id: int | None) -> list[Fila]:
    """The template's sections and questions, depth first, each question with its answer.

    Three queries whatever the size of the form: sections, questions, answers.
    """
    secciones = list(Seccion.objects.filter(plantilla_id=plantilla_id).order_by("orden", "pk"))
    if not secciones:
        return []
    preguntas: dict[int, list[Pregunta]] = {}
    for pregunta in Pregunta.objects.filter(seccion__plantilla_id=plantilla_id).order_by(
        "orden", "pk"
    ):
        preguntas.setdefault(pregunta.seccion_id, []).append(pregunta)
    respuestas = (
        {r.pregunta_id: r for r in Respuesta.objects.filter(llenado_id=llenado_id).order_by()}
        if llenado_id is not None
        else {}
    )
    hijas: dict[int | None, list[Seccion]] = {}
    for seccion in secciones:
        hijas.setdefault(seccion.padre_id, []).append(seccion)
    filas: list[Fila] = []

    def recorrer(padre_id: int | None, nivel: int) -> None:
        for seccion in hijas.get(padre_id, []):
            filas.append(Fila(es_seccion=True, nivel=nivel, seccion=seccion))
            for pregunta in preguntas.get(seccion.pk, []):
                respuesta = respuestas.get(pregunta.pk)
                valor = respuesta.valor if respuesta else None
                filas.append(
                    Fila(
                        es_seccion=False,
                        nivel=nivel + 1,
                        pregunta=pregunta,
                        respuesta=respuesta,
                        valor=valor_legible(pregunta.tipo, valor),
                        filas_tabla=valor
                        if pregunta.tipo == Pregunta.Tipo.TABLA and isinstance(valor, list)
                        else [],
                    )
                )
            recorrer(seccion.pk, nivel + 1)

    recorrer(None, 0)
    return filas


def observaciones_por_pregunta(rondas: list[tuple[int, list]]) -> dict[int, list]:
    """The review's remarks (already read, by round) on each question, by question id."""
    por_pregunta: dict[int, list] = {}
    for _, observaciones in rondas:
        for observacion in observaciones:
            if observacion.pregunta_id:
                por_pregunta.setdefault(observacion.pregunta_id, []).append(observacion)
    return por_pregunta


def poner_observaciones(filas: list[Fila], rondas: list[tuple[int, list]]) -> None:
    """Each question's remarks of the review (already read, by round), beside its answer."""
    por_pregunta = observaciones_por_pregunta(rondas)
    for fila in filas:
        if not fila.es_seccion:
            fila.observaciones = por_pregunta.get(fila.pregunta.pk, [])
