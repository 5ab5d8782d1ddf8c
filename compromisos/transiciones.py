"""The words of the review loop: each transition's button label, and the log's sentences.

The table itself (TRANSICIONES) sits beside the states in compromisos.models;
compromisos.services.documento_transicionar applies it.
"""

from compromisos.models import TRANSICIONES


class TransicionNoPermitida(Exception):
    """A transition that cannot happen now; the message is for the user."""


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


# How the actions this app logs read in a timeline (registered with bitacora.acciones).
DESCRIPCION_ACCIONES = {
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
    "medio.subir": "adjuntó un archivo",
    "medio.reemplazar": "reemplazó un archivo por una versión nueva",
    "medio.eliminar": "quitó un archivo",
}
