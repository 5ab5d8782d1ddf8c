"""A filled form frozen as JSON, and what changed between two frozen copies (issue 16).

compromisos freezes an informe's content at each submission and decision (Instantanea); the
answers to its kind's questions go in there as `serializar(llenado)`, and SUBDERE's review
shows `comparar(anterior, actual)` as the changes since the last round.
"""

from typing import Any

from formularios.models import Llenado, Pregunta, Respuesta


def valor_legible(tipo: str, valor: Any) -> str:
    """An answer's value in words, by its question's tipo ("" when unanswered)."""
    if valor is None or valor == "" or valor == []:
        return ""
    if tipo == Pregunta.Tipo.SI_NO:
        return "Sí" if valor else "No"
    if tipo == Pregunta.Tipo.PORCENTAJE:
        return f"{valor} %"
    if tipo == Pregunta.Tipo.TABLA and isinstance(valor, list):
        return "; ".join(
            " | ".join(str(celda) for celda in fila) if isinstance(fila, list) else str(fila)
            for fila in valor
        )
    return str(valor)


def rotulo(pregunta: Pregunta) -> str:
    """How a question is named in a list of changes: its number and title (or text)."""
    nombre = pregunta.titulo or pregunta.texto[:80]
    return f"{pregunta.numero} {nombre}".strip()


def serializar(llenado: Llenado | None) -> dict[str, dict]:
    """The answers of a filled form by question id (JSON keys): number, title, tipo, value
    and parts. Questions never answered are left out; one query."""
    if llenado is None:
        return {}
    respuestas = Respuesta.objects.filter(llenado=llenado).select_related("pregunta").order_by()
    return {
        str(respuesta.pregunta_id): {
            "pregunta": rotulo(respuesta.pregunta),
            "tipo": respuesta.pregunta.tipo,
            "valor": respuesta.valor,
            "desarrollo": respuesta.desarrollo,
            "recomendaciones": respuesta.recomendaciones,
        }
        for respuesta in respuestas
    }


PARTES = {
    "valor": "Respuesta",
    "desarrollo": "Desarrollo alcanzado",
    "recomendaciones": "Recomendaciones",
}


def comparar(anterior: dict[str, dict], actual: dict[str, dict]) -> list[dict]:
    """What changed, question by question: each part with its text before and now."""
    cambios = []
    for clave in sorted(set(anterior) | set(actual), key=_orden_de_clave):
        viejo, nuevo = anterior.get(clave, {}), actual.get(clave, {})
        tipo = nuevo.get("tipo") or viejo.get("tipo") or ""
        partes = [
            {
                "campo": etiqueta,
                "antes": _texto(tipo, campo, viejo.get(campo)),
                "ahora": _texto(tipo, campo, nuevo.get(campo)),
            }
            for campo, etiqueta in PARTES.items()
            if (viejo.get(campo) or None) != (nuevo.get(campo) or None)
        ]
        if partes:
            cambios.append(
                {
                    "pregunta_id": int(clave),
                    "pregunta": nuevo.get("pregunta") or viejo.get("pregunta"),
                    "textos": partes,
                }
            )
    return cambios


def _texto(tipo: str, campo: str, valor: Any) -> str:
    return valor_legible(tipo, valor) if campo == "valor" else (valor or "")


def _orden_de_clave(clave: str) -> int:
    return int(clave) if clave.isdigit() else 0
