"""Writes of SUBDERE's review: its transitions, observaciones and verdicts on files."""

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from bitacora.services import evento_registrar
from compromisos.models import (
    AvanceCompromiso,
    EstadoRevision,
    FormulacionPMG,
    InformeAvance,
    MedioVerificacion,
)
from compromisos.services import documento_transicionar, ronda_actual
from compromisos.transiciones import TransicionNoPermitida
from srm import permisos
from validacion.models import Observacion, RespuestaObservacion, VeredictoMedio

# How the actions this app logs read in a timeline (registered with bitacora.acciones).
DESCRIPCION_ACCIONES = {
    "observacion.crear": "escribió una observación",
    "observacion.responder": "respondió una observación",
    "observacion.resolver": "dio por resuelta una observación",
    "medio.calificar": "calificó un archivo",
    "iniciativa.validar": "validó una iniciativa",
    "validacion.enviada": "envió la validación a SUBDERE",
    "validacion.devuelta": "devolvió la validación a la consultora",
    "validacion.ratificada": "ratificó la validación",
    "validacion.registrar_dipres": "registró la validación en DIPRES",
}


def _fecha(iso: str) -> str:
    anio, mes, dia = iso[:10].split("-")
    return f"{dia}-{mes}-{anio}"


# What the details of each action add to its sentence in the log page.
DETALLE_ACCIONES = {
    "medio.calificar": lambda d: d["motivo"],
    "validacion.registrar_dipres": lambda d: f"con fecha {_fecha(d['fecha'])}",
}


def revision_transicionar(
    *,
    objeto: FormulacionPMG | InformeAvance,
    accion: str,
    usuario: Any,
    comentario: str = "",
    momento: datetime | None = None,
) -> FormulacionPMG | InformeAvance:
    """A transition taken in SUBDERE's review: the table's move, where returning an informe
    needs at least one open observación (so the servicio knows what to fix)."""
    observa_informe = accion == "observar" and isinstance(objeto, InformeAvance)
    return documento_transicionar(
        objeto=objeto,
        accion=accion,
        usuario=usuario,
        comentario=comentario,
        momento=momento,
        condicion=_exigir_observacion_abierta if observa_informe else None,
    )


def _exigir_observacion_abierta(informe: InformeAvance) -> None:
    if not informe.observaciones.filter(estado=Observacion.Estado.ABIERTA).exists():
        raise TransicionNoPermitida(
            "Para devolver el informe escriba al menos una observación abierta."
        )


@transaction.atomic
def observacion_crear(
    *,
    informe: InformeAvance,
    texto: str,
    usuario: Any,
    avance: AvanceCompromiso | None = None,
    medio: MedioVerificacion | None = None,
    momento: datetime | None = None,
) -> Observacion:
    """SUBDERE writes a remark on an informe under review (or on one compromiso or file of it).

    `momento` dates a historical record (demo data); it defaults to now.
    """
    momento = momento or timezone.now()
    permisos.exigir(usuario, "informe.observar", informe)
    informe = InformeAvance.objects.select_for_update().get(pk=informe.pk)
    if informe.estado != EstadoRevision.EN_REVISION:
        raise TransicionNoPermitida("Solo se observa un informe que está en revisión.")
    if avance is not None and avance.informe_id != informe.pk:
        raise ValidationError("El compromiso no pertenece a este informe.")
    if medio is not None and medio.avance.informe_id != informe.pk:
        raise ValidationError("El archivo no pertenece a este informe.")
    observacion = Observacion.objects.create(
        informe=informe,
        avance=avance,
        medio=medio,
        texto=texto.strip(),
        autor=usuario,
        ronda=ronda_actual(informe),
        creado=momento,
    )
    evento_registrar(
        usuario=usuario,
        accion="observacion.crear",
        objeto=observacion,
        servicio_id=informe.formulacion.servicio_id,
        hacia=observacion.estado,
        momento=momento,
    )
    return observacion


@transaction.atomic
def observacion_responder(
    *, observacion: Observacion, texto: str, usuario: Any
) -> RespuestaObservacion:
    """The servicio answers a remark while its informe is returned (observado)."""
    permisos.exigir(usuario, "observacion.responder", observacion)
    observacion = (
        Observacion.objects.select_for_update().select_related("informe").get(pk=observacion.pk)
    )
    if observacion.informe.estado != EstadoRevision.OBSERVADO:
        raise TransicionNoPermitida(
            "Las observaciones se responden cuando SUBDERE devuelve el informe."
        )
    if observacion.estado == Observacion.Estado.RESUELTA:
        raise TransicionNoPermitida("Esta observación ya fue resuelta por SUBDERE.")
    texto = texto.strip()
    if not texto:
        raise ValidationError("Escriba su respuesta.")
    respuesta = RespuestaObservacion.objects.create(
        observacion=observacion, autor=usuario, texto=texto
    )
    desde = observacion.estado
    observacion.estado = Observacion.Estado.RESPONDIDA
    observacion.save(update_fields=["estado", "actualizado"])
    evento_registrar(
        usuario=usuario,
        accion="observacion.responder",
        objeto=observacion,
        servicio_id=observacion.informe.formulacion.servicio_id,
        desde=desde,
        hacia=observacion.estado,
    )
    return respuesta


@transaction.atomic
def observacion_resolver(*, observacion: Observacion, usuario: Any) -> Observacion:
    """SUBDERE closes a remark once the servicio's answer or correction settles it."""
    permisos.exigir(usuario, "informe.observar", observacion.informe)
    observacion = (
        Observacion.objects.select_for_update().select_related("informe").get(pk=observacion.pk)
    )
    if observacion.estado == Observacion.Estado.RESUELTA:
        return observacion
    desde = observacion.estado
    observacion.estado = Observacion.Estado.RESUELTA
    observacion.save(update_fields=["estado", "actualizado"])
    evento_registrar(
        usuario=usuario,
        accion="observacion.resolver",
        objeto=observacion,
        servicio_id=observacion.informe.formulacion.servicio_id,
        desde=desde,
        hacia=observacion.estado,
    )
    return observacion


@transaction.atomic
def veredicto_registrar(
    *, medio: MedioVerificacion, resultado: str, motivo: str, usuario: Any
) -> VeredictoMedio:
    """The analyst's verdict on one file in the current round (one per file and round)."""
    informe = medio.avance.informe
    permisos.exigir(usuario, "informe.observar", informe)
    informe = InformeAvance.objects.select_for_update().get(pk=informe.pk)
    if informe.estado != EstadoRevision.EN_REVISION:
        raise TransicionNoPermitida(
            "Los archivos se califican mientras el informe está en revisión."
        )
    motivo = motivo.strip()
    if resultado != VeredictoMedio.Resultado.ACEPTADO and not motivo:
        raise ValidationError(
            "Indique el motivo: el servicio debe saber qué corregir en el archivo."
        )
    veredicto, _ = VeredictoMedio.objects.update_or_create(
        medio=medio,
        ronda=ronda_actual(informe),
        defaults={
            "resultado": resultado,
            "motivo": motivo,
            "analista": usuario,
            "momento": timezone.now(),
        },
    )
    evento_registrar(
        usuario=usuario,
        accion="medio.calificar",
        objeto=medio,
        servicio_id=informe.formulacion.servicio_id,
        hacia=resultado,
        detalle={"motivo": motivo},
    )
    return veredicto


@transaction.atomic
def informes_tomar(*, informes: list[InformeAvance], usuario: Any) -> tuple[int, list[str]]:
    """Take several informes into review, each through the one transition function."""
    tomados, problemas = 0, []
    for informe in informes:
        try:
            with transaction.atomic():
                revision_transicionar(objeto=informe, accion="tomar", usuario=usuario)
        except (TransicionNoPermitida, PermissionDenied) as error:
            problemas.append(f"{informe}: {error}")
        else:
            tomados += 1
    return tomados, problemas
