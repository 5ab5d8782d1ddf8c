"""Where a formulación or an informe may go from each state: the one transition table."""

from compromisos.models import EstadoRevision as E

# (estado actual, acción) -> estado nuevo. Who may take each action is decided in srm.permisos.
TRANSICIONES: dict[tuple[str, str], str] = {
    (E.BORRADOR, "enviar"): E.ENVIADO,
    (E.OBSERVADO, "enviar"): E.ENVIADO,
    (E.ENVIADO, "tomar"): E.EN_REVISION,
    (E.EN_REVISION, "observar"): E.OBSERVADO,
    (E.EN_REVISION, "aprobar"): E.APROBADO,
    (E.APROBADO, "reabrir"): E.OBSERVADO,
}

ETIQUETAS = {
    "enviar": "Enviar a SUBDERE",
    "tomar": "Tomar en revisión",
    "observar": "Observar",
    "aprobar": "Aprobar",
    "reabrir": "Reabrir",
}


def destino(estado: str, accion: str) -> str | None:
    return TRANSICIONES.get((estado, accion))


def acciones_desde(estado: str) -> list[str]:
    return [accion for (desde, accion) in TRANSICIONES if desde == estado]
