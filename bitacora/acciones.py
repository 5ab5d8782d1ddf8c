"""How each logged action reads in a timeline: the sentence after the person's name.

Each app registers the sentences of the actions it logs (in its AppConfig.ready), so the
log reads them without knowing the apps. An app may also register how the details of an
action read (a function of the event's `detalle`), e.g. the date of a DIPRES registration.
"""

from collections.abc import Callable

_DESCRIPCIONES: dict[str, str] = {}
_DETALLES: dict[str, Callable[[dict], str]] = {}


def registrar(
    descripciones: dict[str, str], detalles: dict[str, Callable[[dict], str]] | None = None
) -> None:
    """Add an app's sentences; an action is described by one app only."""
    repetidas = {
        accion
        for accion, texto in descripciones.items()
        if _DESCRIPCIONES.get(accion, texto) != texto
    }
    if repetidas:
        raise ValueError(f"Acciones ya descritas por otra aplicación: {sorted(repetidas)}")
    _DESCRIPCIONES.update(descripciones)
    _DETALLES.update(detalles or {})


def describir(accion: str) -> str:
    """The sentence of an action; its code when no app describes it."""
    return _DESCRIPCIONES.get(accion, accion)


def detallar(accion: str, detalle: dict | None) -> str:
    """What the event's details add to its sentence, in words; empty when nothing."""
    formato = _DETALLES.get(accion)
    if formato is None or not detalle:
        return ""
    try:
        return formato(detalle)
    except (KeyError, TypeError, ValueError):
        # An old row with other details still reads by its sentence.
        return ""


def descritas() -> list[tuple[str, str]]:
    """Every registered action with its sentence, in the order of their sentences."""
    return sorted(_DESCRIPCIONES.items(), key=lambda par: par[1])
