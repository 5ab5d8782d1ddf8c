"""Writes of the review workflow: state transitions and the event log."""

from datetime import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Model
from django.utils import timezone

from compromisos.models import (
    CAMPOS_AVANCE,
    CAMPOS_RESUMEN,
    AvanceCompromiso,
    EstadoRevision,
    FormulacionPMG,
    InformeAvance,
    MedioVerificacion,
)
from compromisos.selectors import plazo_informe
from srm import permisos
from validacion import notificaciones, transiciones
from validacion.models import (
    Evento,
    Instantanea,
    Observacion,
    RespuestaObservacion,
    VeredictoMedio,
)


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
    # Lock only the document's own row (not its servicio or tipo), then decide on fresh data.
    actual = (
        modelo.objects.select_for_update(of=("self",))
        .select_related("formulacion__servicio__tipo" if modelo is InformeAvance else "servicio")
        .get(pk=objeto.pk)
    )
    permisos.exigir(usuario, f"{prefijo}.{accion}", actual)
    if actual.version != objeto.version:
        raise TransicionNoPermitida(
            "Otra persona modificó este documento mientras usted lo tenía abierto. "
            "Recargue la página para ver su estado actual."
        )
    nuevo = transiciones.destino(actual.estado, accion)
    if accion == "observar":
        _exigir_motivo_para_observar(actual, comentario)
    if accion == "reabrir" and not comentario.strip():
        raise TransicionNoPermitida("Indique por qué se reabre un documento ya aprobado.")
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
        # Lateness is decided by the first submission; resubmitting a correction does not change it.
        if modelo is InformeAvance and actual.estado == EstadoRevision.BORRADOR:
            plazo = plazo_informe(actual)
            cambios["es_atrasado"] = plazo is not None and timezone.localdate(momento) > plazo
            detalle["atrasado"] = cambios["es_atrasado"]
    filas = modelo.objects.filter(pk=actual.pk, version=actual.version).update(**cambios)
    if filas != 1:
        raise TransicionNoPermitida(
            "Otra persona modificó este documento al mismo tiempo. Recargue la página."
        )
    servicio_id = actual.formulacion.servicio_id if modelo is InformeAvance else actual.servicio_id
    evento = evento_registrar(
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
    # Mails go out only once this transaction commits (delay_on_commit inside).
    notificaciones.avisar_transicion(evento=evento, documento=actual)
    if modelo is InformeAvance and nuevo in (EstadoRevision.ENVIADO, EstadoRevision.APROBADO):
        motivo = (
            Instantanea.Motivo.ENVIO
            if nuevo == EstadoRevision.ENVIADO
            else Instantanea.Motivo.APROBACION
        )
        Instantanea.objects.create(
            informe=actual,
            ronda=ronda_actual(actual),
            motivo=motivo,
            contenido=instantanea_de(actual),
            usuario=usuario,
            momento=momento,
        )
    return actual


def _exigir_motivo_para_observar(
    documento: FormulacionPMG | InformeAvance, comentario: str
) -> None:
    """Returning a document to the servicio always says what to fix."""
    if isinstance(documento, InformeAvance):
        if not documento.observaciones.filter(estado=Observacion.Estado.ABIERTA).exists():
            raise TransicionNoPermitida(
                "Para devolver el informe escriba al menos una observación abierta."
            )
    elif not comentario.strip():
        raise TransicionNoPermitida("Para devolver la formulación escriba qué debe corregirse.")


def instantanea_de(informe: InformeAvance) -> dict:
    """The informe's content as submitted: texts, progress and the current files by SHA-256."""
    vigentes = MedioVerificacion.objects.filter(
        avance__informe=informe, eliminado_en__isnull=True, reemplazado_por__isnull=True
    ).select_related("reemplaza")
    medios: dict[int, dict] = {}
    for medio in vigentes:
        medios.setdefault(medio.avance_id, {})[medio.sha256] = {
            "nombre": medio.nombre_original,
            "reemplaza": medio.reemplaza.sha256 if medio.reemplaza else None,
        }
    avances = {
        avance.compromiso.codigo: {
            "compromiso": avance.compromiso.nombre,
            **{campo: getattr(avance, campo) for campo in CAMPOS_AVANCE},
            "medios": medios.get(avance.pk, {}),
        }
        for avance in informe.avances.select_related("compromiso")
    }
    return {
        "resumen": {campo: getattr(informe, campo) for campo in CAMPOS_RESUMEN},
        "avances": avances,
    }


def ronda_actual(informe: InformeAvance) -> int:
    """Review rounds are numbered by submissions: the n-th sending opens round n."""
    envios = Evento.objects.filter(
        tipo_objeto=ContentType.objects.get_for_model(InformeAvance),
        objeto_id=informe.pk,
        accion="informe.enviar",
    ).count()
    return max(envios, 1)


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
    if resultado not in VeredictoMedio.Resultado.values:
        raise ValidationError("Elija aceptado, observado o rechazado.")
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
