"""The year's set-up: the calendar (copying last year's hitos), the year's deliverable kinds
(tipos de entregable) and the programa marco's decree."""

import datetime
from typing import Any

from django.db import transaction

from bitacora.services import evento_registrar
from compromisos.models import Hito, Proceso, TipoEntregable
from compromisos.validators import revisar_archivo
from srm import permisos


class CalendarioNoCopiable(Exception):
    """The copy would overwrite or mix calendars; the message says why, in Spanish."""


class EntregableNoEliminable(Exception):
    """The kind has informes: removing it would lose what the servicios sent."""


def fecha_del_anio(fecha: datetime.date, anio: int) -> datetime.date:
    """The same day in `anio`, moved to the next working day when it falls on a weekend.

    29 February becomes 28 February in a common year. A deadline on a Saturday or Sunday
    moves to Monday, as plazos that end on a non-working day do (Ley 19.880, art. 25).
    Holidays are not known to the SRM: the admin adjusts those dates by hand.
    """
    dia = 28 if (fecha.month, fecha.day) == (2, 29) else fecha.day
    nueva = datetime.date(anio, fecha.month, dia)
    while nueva.weekday() >= 5:
        nueva += datetime.timedelta(days=1)
    return nueva


@transaction.atomic
def calendario_copiar(*, origen: Proceso, anio: int, usuario: Any) -> Proceso:
    """Copy `origen`'s hitos into the year `anio`, whose calendar must still be empty."""
    permisos.exigir(usuario, "configuracion.administrar")
    if anio == origen.anio:
        raise CalendarioNoCopiable("El calendario de destino debe ser de otro año.")
    hitos = list(origen.hitos.prefetch_related("tipos_servicio").order_by("fecha_limite", "pk"))
    if not hitos:
        raise CalendarioNoCopiable(f"El calendario {origen.anio} no tiene hitos que copiar.")
    destino, _ = Proceso.objects.get_or_create(
        anio=anio,
        defaults={"descripcion": f"Calendario copiado del proceso {origen.anio}."},
    )
    destino = Proceso.objects.select_for_update().get(pk=destino.pk)
    existentes = destino.hitos.count()
    if existentes:
        raise CalendarioNoCopiable(
            f"El calendario {anio} ya tiene {existentes} hito{'s' if existentes > 1 else ''}: "
            "no se copia encima. Edítelos en el proceso de ese año, o elimínelos antes de copiar."
        )
    # The year's deliverable kinds come along when the destination has none of its own yet;
    # the copied hitos then point at the copied kinds.
    copias = {} if destino.entregables.exists() else _copiar_tipos(origen, destino)
    for hito in hitos:
        _copiar_hito(hito, destino, copias)
    evento_registrar(
        usuario=usuario,
        accion="calendario.copiar",
        objeto=destino,
        servicio_id=None,
        detalle={
            "desde": origen.anio,
            "hitos": len(hitos),
            "entregables": len({tipo.pk for tipo in copias.values()}),
        },
    )
    return destino


def _copiar_tipos(origen: Proceso, destino: Proceso) -> dict[int | str, TipoEntregable]:
    """The kinds of `origen` created in `destino`, by the pk and by the clave of the kind they
    copy (a standard cycle's hito names its kind by its etapa: avance_1)."""
    copias: dict[int | str, TipoEntregable] = {}
    for tipo in origen.entregables.order_by("orden", "pk"):
        original = tipo.pk
        tipo.pk = None
        tipo.proceso = destino
        tipo.save()
        copias[original] = copias[tipo.clave] = tipo
    return copias


def _tipo_de(hito: Hito, copias: dict[int | str, TipoEntregable]) -> TipoEntregable | None:
    """The copied kind a hito is the deadline of (selectors.clave_de_hito's rule)."""
    if hito.entregable_id is not None:
        return copias.get(hito.entregable_id)
    return copias.get(hito.etapa)


def _copiar_hito(hito: Hito, destino: Proceso, copias: dict[int | str, TipoEntregable]) -> Hito:
    copia = Hito.objects.create(
        proceso=destino,
        etapa=hito.etapa,
        nombre=hito.nombre,
        fecha_inicio=fecha_del_anio(hito.fecha_inicio, destino.anio) if hito.fecha_inicio else None,
        fecha_limite=fecha_del_anio(hito.fecha_limite, destino.anio),
        entregable=_tipo_de(hito, copias),
    )
    copia.tipos_servicio.set(hito.tipos_servicio.all())
    return copia


def anio_anterior_con_entregables(destino: Proceso) -> Proceso | None:
    """The latest year before `destino` whose list of deliverables was built."""
    return (
        Proceso.objects.filter(anio__lt=destino.anio, entregables__isnull=False)
        .order_by("-anio")
        .distinct()
        .first()
    )


@transaction.atomic
def entregables_copiar(*, destino: Proceso, usuario: Any) -> Proceso:
    """Start `destino`'s list of deliverables from the previous year's: the kinds and the hitos
    that are their deadlines, dates moved to `destino`'s year (fecha_del_anio)."""
    permisos.exigir(usuario, "configuracion.administrar")
    destino = Proceso.objects.select_for_update().get(pk=destino.pk)
    origen = anio_anterior_con_entregables(destino)
    if origen is None:
        raise CalendarioNoCopiable(
            f"Ningún año anterior a {destino.anio} tiene su lista de entregables."
        )
    existentes = destino.entregables.count()
    if existentes:
        raise CalendarioNoCopiable(
            f"El año {destino.anio} ya tiene {existentes} "
            f"entregable{'s' if existentes > 1 else ''}: no se copia encima. Edítelos, o "
            "elimine los que no tengan informes antes de copiar."
        )
    copias = _copiar_tipos(origen, destino)
    tipos = {tipo.pk: tipo for tipo in copias.values()}
    hitos = [
        hito
        for hito in origen.hitos.prefetch_related("tipos_servicio").order_by("fecha_limite", "pk")
        if _tipo_de(hito, copias) is not None
    ]
    for hito in hitos:
        _copiar_hito(hito, destino, copias)
    evento_registrar(
        usuario=usuario,
        accion="entregables.copiar",
        objeto=destino,
        servicio_id=None,
        anio=destino.anio,
        detalle={
            "desde": origen.anio,
            "entregables": [tipo.clave for tipo in tipos.values()],
            "hitos": len(hitos),
        },
    )
    return destino


def motivo_no_eliminable(tipo: TipoEntregable) -> str | None:
    """Why the kind cannot be removed (its informes), in Spanish; None when it can."""
    informes = tipo.informes.count() if tipo.pk else 0
    if not informes:
        return None
    return (
        f"No se puede eliminar «{tipo.nombre}»: los servicios ya tienen {informes} "
        f"informe{'s' if informes > 1 else ''} de ese tipo, que se perderían. Cambie su nombre, "
        "fechas o formulario en vez de eliminarlo."
    )


@transaction.atomic
def entregable_guardar(*, tipo: TipoEntregable, usuario: Any, cambios: list[str]) -> TipoEntregable:
    """Save a kind of the year's list (Administración) and log what changed in it."""
    permisos.exigir(usuario, "configuracion.administrar")
    es_nuevo = tipo.pk is None
    if not es_nuevo and not cambios:
        return tipo
    tipo.save()
    evento_registrar(
        usuario=usuario,
        accion="entregable.crear" if es_nuevo else "entregable.modificar",
        objeto=tipo,
        servicio_id=None,
        anio=tipo.proceso.anio,
        detalle={"clave": tipo.clave, "cambios": cambios},
    )
    return tipo


@transaction.atomic
def entregable_eliminar(*, tipo: TipoEntregable, usuario: Any) -> None:
    """Remove a kind without informes; its hitos stay in the calendar, pointing at nothing."""
    permisos.exigir(usuario, "configuracion.administrar")
    motivo = motivo_no_eliminable(tipo)
    if motivo:
        raise EntregableNoEliminable(motivo)
    evento_registrar(
        usuario=usuario,
        accion="entregable.eliminar",
        objeto=tipo,
        servicio_id=None,
        anio=tipo.proceso.anio,
        detalle={"clave": tipo.clave, "nombre": tipo.nombre},
    )
    tipo.delete()


@transaction.atomic
def hito_guardar(*, hito: Hito, usuario: Any, cambios: list[str]) -> Hito:
    """Save a hito of the calendar (Administración) and log what changed in it."""
    permisos.exigir(usuario, "configuracion.administrar")
    es_nuevo = hito.pk is None
    if not es_nuevo and not cambios:
        return hito
    hito.clean()
    hito.save()
    evento_registrar(
        usuario=usuario,
        accion="hito.crear" if es_nuevo else "hito.modificar",
        objeto=hito,
        servicio_id=None,
        anio=hito.proceso.anio,
        detalle={"fecha_limite": hito.fecha_limite.isoformat(), "cambios": cambios},
    )
    return hito


@transaction.atomic
def hito_eliminar(*, hito: Hito, usuario: Any) -> None:
    """Remove a hito from the calendar (Administración); the log keeps its name and date."""
    permisos.exigir(usuario, "configuracion.administrar")
    evento_registrar(
        usuario=usuario,
        accion="hito.eliminar",
        objeto=hito,
        servicio_id=None,
        anio=hito.proceso.anio,
        detalle={"fecha_limite": hito.fecha_limite.isoformat()},
    )
    hito.delete()


@transaction.atomic
def decreto_guardar(
    *,
    proceso: Proceso,
    numero: str,
    fecha: datetime.date | None,
    estado: str,
    archivo: Any | None,
    usuario: Any,
) -> Proceso:
    """Record the Decreto Exento that approves the year's programa marco, and its document.

    The document passes the same checks as evidence (compromisos.validators) and is stored
    under a generated name; a new document never deletes the one it follows (the log keeps
    the former name and SHA-256).
    """
    permisos.exigir(usuario, "configuracion.administrar")
    proceso = Proceso.objects.select_for_update().get(pk=proceso.pk)
    detalle: dict[str, Any] = {"cambios": []}
    for campo, valor in (
        ("decreto_numero", numero),
        ("decreto_fecha", fecha),
        ("decreto_estado", estado),
    ):
        if getattr(proceso, campo) != valor:
            detalle["cambios"].append(str(Proceso._meta.get_field(campo).verbose_name))
            setattr(proceso, campo, valor)
    campos = ["decreto_numero", "decreto_fecha", "decreto_estado", "actualizado"]
    if archivo is not None:
        revisado = revisar_archivo(archivo)
        if proceso.decreto_sha256:
            detalle["anterior"] = [proceso.decreto_nombre_original, proceso.decreto_sha256]
        proceso.decreto_documento.save(revisado.nombre, archivo, save=False)
        proceso.decreto_nombre_original = revisado.nombre
        proceso.decreto_sha256 = revisado.sha256
        detalle["documento"] = revisado.nombre
        campos += ["decreto_documento", "decreto_nombre_original", "decreto_sha256"]
    if not detalle["cambios"] and archivo is None:
        return proceso
    proceso.save(update_fields=campos)
    evento_registrar(
        usuario=usuario,
        accion="proceso.decreto",
        objeto=proceso,
        servicio_id=None,
        anio=proceso.anio,
        detalle=detalle,
    )
    return proceso
