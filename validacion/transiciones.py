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


# How each logged action reads in a timeline.
DESCRIPCION_EVENTOS = {
    "formulacion.enviar": "envió la formulación",
    "formulacion.tomar": "tomó en revisión la formulación",
    "formulacion.observar": "devolvió la formulación con observaciones",
    "formulacion.aprobar": "aprobó la formulación",
    "formulacion.reabrir": "reabrió la formulación",
    "informe.enviar": "envió el informe",
    "informe.tomar": "tomó en revisión el informe",
    "informe.observar": "devolvió el informe con observaciones",
    "informe.aprobar": "aprobó el informe",
    "informe.reabrir": "reabrió el informe",
    "observacion.crear": "escribió una observación",
    "observacion.responder": "respondió una observación",
    "observacion.resolver": "dio por resuelta una observación",
    "medio.subir": "adjuntó un archivo",
    "medio.reemplazar": "reemplazó un archivo por una versión nueva",
    "medio.eliminar": "quitó un archivo",
    "medio.calificar": "calificó un archivo",
    "iniciativa.validar": "validó una iniciativa",
    "validacion.enviada": "envió la validación a SUBDERE",
    "validacion.devuelta": "devolvió la validación a la consultora",
    "validacion.ratificada": "ratificó la validación",
    "validacion.registrar_dipres": "registró la validación en DIPRES",
}
