"""Writes of the event log: one line appended per action."""

from datetime import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.utils import timezone

from bitacora.models import Evento


def _anio_de(objeto: Model | None) -> int | None:
    """The PMG year of a logged object, through the path its model declares for srm.permisos
    (`ruta_anio`); the log reads the attribute without knowing the apps."""
    ruta = getattr(type(objeto), "ruta_anio", None) if objeto is not None else None
    if not ruta:
        return None
    valor: Any = objeto
    for parte in ruta.split("__"):
        valor = getattr(valor, parte, None)
        if valor is None:
            return None
    return valor


def evento_registrar(
    *,
    usuario: Any,
    accion: str,
    objeto: Model | None,
    servicio_id: int | None,
    desde: str = "",
    hacia: str = "",
    detalle: dict | None = None,
    momento: datetime | None = None,
    anio: int | None = None,
    descripcion: str = "",
) -> Evento:
    """Append one line to the event log.

    The year is the object's (or `anio`); `descripcion` names what the event is about when
    there is no object (a denied access) or the object is about to disappear.
    """
    return Evento.objects.create(
        usuario=usuario if getattr(usuario, "is_authenticated", False) else None,
        servicio_id=servicio_id,
        anio=anio if anio is not None else _anio_de(objeto),
        accion=accion,
        tipo_objeto=ContentType.objects.get_for_model(objeto) if objeto is not None else None,
        objeto_id=objeto.pk if objeto is not None else None,
        descripcion_objeto=(descripcion or (str(objeto) if objeto is not None else ""))[:300],
        desde=desde,
        hacia=hacia,
        detalle=detalle or {},
        momento=momento or timezone.now(),
    )


# The security log: refusals the permission door answers, appended after the request failed.
DESCRIPCION_ACCIONES = {
    "seguridad.acceso_denegado": "intentó una acción que su rol o su cartera no permiten",
    "seguridad.fuera_de_alcance": "pidió datos fuera de su alcance o inexistentes",
}


def acceso_denegado_registrar(
    *,
    usuario: Any,
    accion: str,
    ruta: str,
    motivo: str,
    servicio_id: int | None = None,
    anio: int | None = None,
    descripcion: str = "",
) -> Evento:
    """Log a refused request (403 or out of scope 404) of a signed-in person."""
    return evento_registrar(
        usuario=usuario,
        accion=accion,
        objeto=None,
        servicio_id=servicio_id,
        anio=anio,
        descripcion=descripcion or ruta,
        detalle={"ruta": ruta[:300], "motivo": motivo[:300]},
    )
