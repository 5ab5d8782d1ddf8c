"""Writes of the event log: one line appended per action."""

from datetime import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.utils import timezone

from bitacora.models import Evento


def evento_registrar(
    *,
    usuario: Any,
    accion: str,
    objeto: Model,
    servicio_id: int | None,
    desde: str = "",
    hacia: str = "",
    detalle: dict | None = None,
    momento: datetime | None = None,
) -> Evento:
    """Append one line to the event log."""
    return Evento.objects.create(
        usuario=usuario if getattr(usuario, "is_authenticated", False) else None,
        servicio_id=servicio_id,
        accion=accion,
        tipo_objeto=ContentType.objects.get_for_model(objeto),
        objeto_id=objeto.pk,
        descripcion_objeto=str(objeto)[:300],
        desde=desde,
        hacia=hacia,
        detalle=detalle or {},
        momento=momento or timezone.now(),
    )
