"""Writes of the review workflow: state transitions and the event log."""

from datetime import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F, Model
from django.utils import timezone

from compromisos.models import EstadoRevision, FormulacionPMG, InformeAvance
from compromisos.selectors import plazo_informe
from srm import permisos
from validacion import transiciones
from validacion.models import Evento


class TransicionNoPermitida(Exception):
    """A transition that cannot happen now; the message is for the user."""


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


@transaction.atomic
def revision_transicionar(
    *,
    objeto: FormulacionPMG | InformeAvance,
    accion: str,
    usuario: Any,
    comentario: str = "",
    momento: datetime | None = None,
) -> FormulacionPMG | InformeAvance:
    """Move a formulación or informe along the transition table, once, and log it.

    The row is locked (PostgreSQL) and updated only if its version is still the one read
    (every database), so two people acting at once cannot both succeed. `momento` dates a
    historical record (imports, demo data); it defaults to now.
    """
    momento = momento or timezone.now()
    modelo = type(objeto)
    prefijo = permisos.PREFIJO_ACCION[modelo]
    permisos.exigir(usuario, f"{prefijo}.{accion}", objeto)
    actual = (
        modelo.objects.select_for_update()
        .select_related("formulacion__servicio__tipo" if modelo is InformeAvance else "servicio")
        .get(pk=objeto.pk)
    )
    if actual.version != objeto.version:
        raise TransicionNoPermitida(
            "Otra persona modificó este documento mientras usted lo tenía abierto. "
            "Recargue la página para ver su estado actual."
        )
    nuevo = transiciones.destino(actual.estado, accion)
    if nuevo is None:
        raise TransicionNoPermitida(
            f"No se puede «{transiciones.ETIQUETAS[accion].lower()}» un documento en estado "
            f"«{actual.get_estado_display().lower()}»."
        )
    cambios: dict[str, Any] = {
        "estado": nuevo,
        "version": F("version") + 1,
        "actualizado": momento,
    }
    detalle: dict[str, Any] = {"comentario": comentario} if comentario else {}
    if nuevo == EstadoRevision.ENVIADO:
        campo_envio = "enviado_en" if modelo is InformeAvance else "enviada_en"
        cambios[campo_envio] = momento
        if modelo is InformeAvance:
            plazo = plazo_informe(actual)
            cambios["es_atrasado"] = plazo is not None and timezone.localdate(momento) > plazo
            detalle["atrasado"] = cambios["es_atrasado"]
    filas = modelo.objects.filter(pk=actual.pk, version=actual.version).update(**cambios)
    if filas != 1:
        raise TransicionNoPermitida(
            "Otra persona modificó este documento al mismo tiempo. Recargue la página."
        )
    servicio_id = actual.formulacion.servicio_id if modelo is InformeAvance else actual.servicio_id
    evento_registrar(
        usuario=usuario,
        accion=f"{prefijo}.{accion}",
        objeto=actual,
        servicio_id=servicio_id,
        desde=actual.estado,
        hacia=nuevo,
        detalle=detalle,
        momento=momento,
    )
    actual.refresh_from_db()
    return actual
