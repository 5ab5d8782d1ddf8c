"""How each logged action reads in a timeline: the sentence after the person's name.

Each app registers the sentences of the actions it logs (in its AppConfig.ready), so the
log reads them without knowing the apps.
"""

_DESCRIPCIONES: dict[str, str] = {}


def registrar(descripciones: dict[str, str]) -> None:
    """Add an app's sentences; an action is described by one app only."""
    repetidas = {
        accion
        for accion, texto in descripciones.items()
        if _DESCRIPCIONES.get(accion, texto) != texto
    }
    if repetidas:
        raise ValueError(f"Acciones ya descritas por otra aplicación: {sorted(repetidas)}")
    _DESCRIPCIONES.update(descripciones)


def describir(accion: str) -> str:
    """The sentence of an action; its code when no app describes it."""
    return _DESCRIPCIONES.get(accion, accion)
