"""The words of the review loop: each transition's button label, and the log's sentences.

The table itself (TRANSICIONES) sits beside the states in compromisos.models;
compromisos.services.documento_transicionar applies it.
"""

from compromisos.models import ACCIONES_DE_MODALIDAD, TRANSICIONES, Modalidad
from srm import formato


class TransicionNoPermitida(Exception):
    """A transition that cannot happen now; the message is for the user."""


ETIQUETAS = {
    "enviar": "Enviar a SUBDERE",
    "tomar": "Tomar en revisión",
    "observar": "Observar",
    "aprobar": "Aprobar",
    "reabrir": "Reabrir",
    "certificar": "Certificar",
    "no_certificar": "No certificar",
    "entregar": "Entregar a SUBDERE",
}


def destino(estado: str, accion: str, modalidad: str = Modalidad.REVISION) -> str | None:
    """Where the action leads from this state, if the document's modalidad uses it."""
    if accion not in ACCIONES_DE_MODALIDAD[modalidad]:
        return None
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
    "informe.certificar": "certificó el informe",
    "informe.no_certificar": "resolvió no certificar el informe",
    "informe.entregar": "entregó el informe (no requiere revisión de SUBDERE)",
    "medio.subir": "adjuntó un archivo",
    "medio.reemplazar": "reemplazó un archivo por una versión nueva",
    "medio.eliminar": "quitó un archivo",
    "medio.rechazar": "intentó adjuntar un archivo que el SRM rechazó",
    "formulacion.iniciar": "inició la formulación",
    "linea.agregar": "agregó un sistema a la formulación",
    "linea.modificar": "modificó un sistema de la formulación",
    "linea.quitar": "quitó un sistema de la formulación",
    "exencion.agregar": "agregó un sistema eximido o con modificación de etapa",
    "exencion.modificar": "modificó un sistema eximido o con modificación de etapa",
    "exencion.quitar": "quitó un sistema eximido o con modificación de etapa",
    "compromiso.crear": "creó un compromiso",
    "compromiso.modificar": "modificó un compromiso",
    "compromiso.eliminar": "eliminó un compromiso",
    "informe.abrir": "abrió el informe",
    "requisito.vincular": "vinculó archivos a un requisito técnico de la etapa comprometida",
    "informe.prorrogar": "cambió la prórroga del informe",
    "instantanea.verificar": "verificó la integridad de los archivos de una instantánea",
    "calendario.copiar": "copió el calendario de hitos de otro año",
    "hito.crear": "agregó un hito al calendario",
    "hito.modificar": "modificó un hito del calendario",
    "hito.eliminar": "eliminó un hito del calendario",
    "proceso.decreto": "registró el decreto exento del programa marco",
    # The year's deliverable kinds (issue 16).
    "entregables.copiar": "copió los entregables del año anterior",
    "entregable.crear": "agregó un tipo de entregable al año",
    "entregable.modificar": "modificó un tipo de entregable del año",
    "entregable.eliminar": "eliminó un tipo de entregable del año",
}


def _fecha(iso: str | None) -> str:
    if not iso:
        return "sin prórroga"
    anio, mes, dia = iso.split("-")
    return f"{dia}-{mes}-{anio}"


def _cambios(detalle: dict) -> str:
    """The changed fields: labels, or [label, before, after] with their values."""
    return "; ".join(
        f"{cambio[0]}: {cambio[1] or '—'} → {cambio[2] or '—'}"
        if isinstance(cambio, list)
        else str(cambio)
        for cambio in detalle.get("cambios") or []
    )


def _con_cambios(principal: str, detalle: dict) -> str:
    cambios = _cambios(detalle)
    return f"{principal} ({cambios})" if cambios else principal


# What the details of each action add to its sentence in the log page.
DETALLE_ACCIONES = {
    "medio.subir": lambda d: f"«{d['nombre']}»",
    "medio.reemplazar": lambda d: f"«{d['nombre']}»",
    "medio.eliminar": lambda d: f"«{d['nombre']}»",
    "medio.rechazar": lambda d: f"«{d['nombre']}»: {d['motivo']}",
    "formulacion.iniciar": lambda d: f"a partir de la de {d['desde']}",
    "linea.agregar": lambda d: f"«{d['sistema']}»",
    "linea.modificar": lambda d: _con_cambios(f"«{d['sistema']}»", d),
    "linea.quitar": lambda d: f"«{d['sistema']}»",
    "exencion.agregar": lambda d: f"«{d['sistema']}»",
    "exencion.modificar": lambda d: _con_cambios(f"«{d['sistema']}»", d),
    "exencion.quitar": lambda d: f"«{d['sistema']}»",
    "compromiso.crear": lambda d: d["codigo"],
    "requisito.vincular": lambda d: (
        f"«{d['requisito']}»: " + (", ".join(f"«{m}»" for m in d["medios"]) or "ninguno")
    ),
    "compromiso.modificar": lambda d: _con_cambios(d["codigo"], d),
    "compromiso.eliminar": lambda d: f"{d['codigo']} «{d['nombre']}»",
    "informe.prorrogar": lambda d: (
        (f"hasta el {_fecha(d['hasta'])}" if d["hasta"] else "la quitó")
        + (f" (antes: {_fecha(d['antes'])})" if d["antes"] else "")
    ),
    "instantanea.verificar": lambda d: (
        f"{formato.plural(d['archivos'], 'archivo', 'archivos')}, "
        + formato.segun(d["archivos"], "coincide", "todos coinciden")
        if not d["alterados"]
        else f"no coinciden: {', '.join(d['alterados'])}"
    ),
    "calendario.copiar": lambda d: (
        f"desde {d['desde']} ({formato.plural(d['hitos'], 'hito', 'hitos')})"
    ),
    "hito.crear": lambda d: f"plazo {_fecha(d['fecha_limite'])}",
    "hito.modificar": lambda d: _con_cambios(f"plazo {_fecha(d['fecha_limite'])}", d),
    "hito.eliminar": lambda d: f"plazo {_fecha(d['fecha_limite'])}",
    "proceso.decreto": lambda d: "; ".join(
        [*d.get("cambios", []), *([f"documento «{d['documento']}»"] if d.get("documento") else [])]
    ),
    "entregables.copiar": lambda d: (
        f"desde {d['desde']}: {', '.join(d['entregables'])} "
        f"({formato.plural(d['hitos'], 'hito', 'hitos')})"
    ),
    "entregable.crear": lambda d: d["clave"],
    "entregable.modificar": lambda d: _con_cambios(d["clave"], d),
    "entregable.eliminar": lambda d: f"{d['clave']} «{d['nombre']}»",
}
