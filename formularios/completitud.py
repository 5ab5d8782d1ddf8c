"""Whether a filled form is complete enough to be sent (issue 16)."""

from formularios.models import Pregunta, Respuesta


def _vacia(pregunta: Pregunta, respuesta: Respuesta | None) -> bool:
    if respuesta is None:
        return True
    if pregunta.tipo == Pregunta.Tipo.SOLO_PARTES:
        return not (respuesta.desarrollo.strip() or respuesta.recomendaciones.strip())
    valor = respuesta.valor
    sin_valor = valor is None or (isinstance(valor, str | list) and not valor)
    if isinstance(valor, str):
        sin_valor = not valor.strip()
    return sin_valor or (pregunta.con_desarrollo and not respuesta.desarrollo.strip())


def preguntas_sin_responder(*, plantilla_id: int, llenado_id: int | None) -> list[Pregunta]:
    """The template's required questions with no answer (or a required part left empty),
    in the form's order. Two queries."""
    preguntas = list(
        Pregunta.objects.filter(seccion__plantilla_id=plantilla_id, obligatoria=True)
        .select_related("seccion")
        .order_by("seccion__orden", "seccion__pk", "orden", "pk")
    )
    if not preguntas:
        return []
    respuestas = (
        {r.pregunta_id: r for r in Respuesta.objects.filter(llenado_id=llenado_id).order_by()}
        if llenado_id is not None
        else {}
    )
    return [p for p in preguntas if _vacia(p, respuestas.get(p.pk))]
