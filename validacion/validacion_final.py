"""Year-end validation: the consultora judges each iniciativa, SUBDERE ratifies or returns it.

Rules in one place: who (srm.permisos), when (the informe final approved; the validation's
state) and the servicio's result, which follows from its iniciativas.
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone

from bitacora.avisos import avisar
from bitacora.models import Evento
from bitacora.services import evento_registrar
from compromisos.avisos import ronda_de_envio
from compromisos.models import (
    Compromiso,
    EstadoRevision,
    FormulacionPMG,
    InformeAvance,
    MedioVerificacion,
)
from compromisos.transiciones import TransicionNoPermitida
from programa.models import RequisitoTecnico
from servicios.selectors import analistas_de, consultoras_de, encargados_de
from srm import permisos
from validacion.models import ValidacionIniciativa, ValidacionServicio, VeredictoRequisito
from validacion.services import veredicto_requisito_guardar

Estado = ValidacionServicio.Estado
Resultado = ValidacionServicio.Resultado


def _finales_aprobados() -> QuerySet[InformeAvance]:
    """The rule: validation opens when SUBDERE has approved the servicio's informe final."""
    return InformeAvance.objects.filter(
        periodo=InformeAvance.Periodo.FINAL, estado=EstadoRevision.APROBADO
    ).order_by()


def informe_final_aprobado(formulacion: FormulacionPMG) -> bool:
    return _finales_aprobados().filter(formulacion=formulacion).exists()


def con_final_aprobado(formulaciones: QuerySet[FormulacionPMG]) -> QuerySet[FormulacionPMG]:
    """The same rule read in the formulaciones' query (`final_aprobado`): the validation page
    reads it with its formulación, one query fewer."""
    return formulaciones.annotate(
        final_aprobado=Exists(_finales_aprobados().filter(formulacion=OuterRef("pk")))
    )


def resultado_del_servicio(resultados: list[str]) -> str:
    """Every iniciativa cumple → cumple; none cumple at all → no cumple; otherwise parcial."""
    if resultados and all(r == Resultado.CUMPLE for r in resultados):
        return Resultado.CUMPLE
    if resultados and all(r == Resultado.NO_CUMPLE for r in resultados):
        return Resultado.NO_CUMPLE
    return Resultado.PARCIAL


def _validacion_bloqueada(formulacion: FormulacionPMG) -> ValidacionServicio:
    validacion, _ = ValidacionServicio.objects.get_or_create(formulacion=formulacion)
    return ValidacionServicio.objects.select_for_update().get(pk=validacion.pk)


@transaction.atomic
def iniciativa_validar(
    *,
    compromiso: Compromiso,
    resultado: str,
    fundamento: str,
    medios: list[MedioVerificacion],
    usuario: Any,
    momento: datetime.datetime | None = None,
) -> ValidacionIniciativa:
    """The assigned consultora records its verdict on one iniciativa, with reasons and evidence.
    `momento` dates a historical record (demo data); it defaults to now."""
    formulacion = compromiso.formulacion
    permisos.exigir(usuario, "iniciativa.validar", formulacion)
    if not informe_final_aprobado(formulacion):
        raise TransicionNoPermitida(
            "La validación se abre cuando SUBDERE aprueba el informe final del servicio."
        )
    validacion = _validacion_bloqueada(formulacion)
    if validacion.estado not in (Estado.EN_CURSO, Estado.DEVUELTA):
        raise TransicionNoPermitida("La validación de este servicio ya fue enviada a SUBDERE.")
    if resultado not in Resultado.values:
        raise ValidationError("Elija cumple, cumple parcialmente o no cumple.")
    if not fundamento.strip():
        raise ValidationError("Escriba el fundamento de la validación.")
    if any(m.avance.compromiso_id != compromiso.pk for m in medios):
        raise ValidationError("Solo se examinan medios de verificación de esta iniciativa.")
    iniciativa, _ = ValidacionIniciativa.objects.update_or_create(
        compromiso=compromiso,
        defaults={
            "validacion": validacion,
            "resultado": resultado,
            "fundamento": fundamento.strip(),
            "consultora": usuario,
        },
    )
    iniciativa.medios_examinados.set(medios)
    evento_registrar(
        usuario=usuario,
        accion="iniciativa.validar",
        objeto=iniciativa,
        servicio_id=formulacion.servicio_id,
        anio=formulacion.proceso.anio,
        hacia=resultado,
        momento=momento,
    )
    return iniciativa


@transaction.atomic
def requisito_validar(
    *,
    formulacion: FormulacionPMG,
    requisito: RequisitoTecnico,
    cumple: bool,
    medios: list[MedioVerificacion],
    comentario: str,
    usuario: Any,
) -> VeredictoRequisito:
    """The assigned consultora marks a requisito of the committed etapa met or not met, with
    the files of the year that support it, while the validation is open."""
    permisos.exigir(usuario, "iniciativa.validar", formulacion)
    if not informe_final_aprobado(formulacion):
        raise TransicionNoPermitida(
            "La validación se abre cuando SUBDERE aprueba el informe final del servicio."
        )
    validacion = _validacion_bloqueada(formulacion)
    if validacion.estado not in (Estado.EN_CURSO, Estado.DEVUELTA):
        raise TransicionNoPermitida("La validación de este servicio ya fue enviada a SUBDERE.")
    return veredicto_requisito_guardar(
        formulacion=formulacion,
        informe=None,
        requisito=requisito,
        cumple=cumple,
        medios=medios,
        comentario=comentario,
        usuario=usuario,
    )


@transaction.atomic
def validacion_enviar(
    *, formulacion: FormulacionPMG, usuario: Any, momento: datetime.datetime | None = None
) -> ValidacionServicio:
    """The consultora sends the servicio's validation once every iniciativa has its verdict."""
    permisos.exigir(usuario, "iniciativa.validar", formulacion)
    validacion = _validacion_bloqueada(formulacion)
    if validacion.estado not in (Estado.EN_CURSO, Estado.DEVUELTA):
        raise TransicionNoPermitida("Esta validación ya fue enviada.")
    faltan = formulacion.compromisos.filter(validacion__isnull=True).values_list(
        "codigo", flat=True
    )
    if faltan:
        raise ValidationError(f"Faltan iniciativas por validar: {', '.join(faltan)}.")
    momento = momento or timezone.now()
    return _cambiar(validacion, Estado.ENVIADA, usuario, momento, enviada_en=momento)


@transaction.atomic
def validacion_ratificar(
    *, formulacion: FormulacionPMG, usuario: Any, momento: datetime.datetime | None = None
) -> ValidacionServicio:
    """SUBDERE ratifies the validation; the servicio's result follows from its iniciativas.

    `momento` dates a historical record (demo data); it defaults to now.
    """
    permisos.exigir(usuario, "validacion.ratificar", formulacion)
    validacion = _validacion_bloqueada(formulacion)
    if validacion.estado != Estado.ENVIADA:
        raise TransicionNoPermitida("Solo se ratifica una validación enviada por la consultora.")
    resultados = list(validacion.iniciativas.values_list("resultado", flat=True))
    momento = momento or timezone.now()
    return _cambiar(
        validacion,
        Estado.RATIFICADA,
        usuario,
        momento,
        resultado=resultado_del_servicio(resultados),
        ratificada_por=usuario,
        ratificada_en=momento,
    )


@transaction.atomic
def validacion_devolver(
    *, formulacion: FormulacionPMG, comentario: str, usuario: Any
) -> ValidacionServicio:
    """SUBDERE returns the validation to the consultora, saying what to review."""
    permisos.exigir(usuario, "validacion.ratificar", formulacion)
    validacion = _validacion_bloqueada(formulacion)
    if validacion.estado != Estado.ENVIADA:
        raise TransicionNoPermitida("Solo se devuelve una validación enviada por la consultora.")
    if not comentario.strip():
        raise ValidationError("Indique qué debe revisar la consultora.")
    return _cambiar(
        validacion, Estado.DEVUELTA, usuario, timezone.now(), comentario_subdere=comentario.strip()
    )


@transaction.atomic
def dipres_registrar(
    *,
    formulacion: FormulacionPMG,
    fecha: datetime.date,
    usuario: Any,
    momento: datetime.datetime | None = None,
) -> ValidacionServicio:
    """Record that the ratified result was entered in the DIPRES platform (when, by whom).

    The date is neither in the future nor before the ratification. A correction of an
    earlier date is logged as such, with the previous date and who had recorded it.
    """
    permisos.exigir(usuario, "validacion.registrar_dipres", formulacion)
    validacion = _validacion_bloqueada(formulacion)
    if validacion.estado != Estado.RATIFICADA:
        raise TransicionNoPermitida("Solo se registra en DIPRES una validación ratificada.")
    hoy = timezone.localdate()
    if fecha > hoy:
        raise ValidationError(
            f"La fecha de registro en DIPRES no puede ser futura (hoy es {hoy:%d-%m-%Y})."
        )
    ratificada = timezone.localdate(validacion.ratificada_en)
    if fecha < ratificada:
        raise ValidationError(
            f"La fecha de registro en DIPRES no puede ser anterior a la ratificación "
            f"({ratificada:%d-%m-%Y})."
        )
    anterior, anterior_por = validacion.registrada_dipres_en, validacion.registrada_dipres_por_id
    if anterior == fecha:
        return validacion
    validacion.registrada_dipres_en = fecha
    validacion.registrada_dipres_por = usuario
    validacion.save(update_fields=["registrada_dipres_en", "registrada_dipres_por"])
    detalle: dict[str, Any] = {"fecha": fecha.isoformat()}
    if anterior is not None:
        detalle.update(anterior=anterior.isoformat(), anterior_por=anterior_por)
    evento_registrar(
        usuario=usuario,
        accion="validacion.corregir_dipres" if anterior else "validacion.registrar_dipres",
        objeto=validacion,
        servicio_id=formulacion.servicio_id,
        desde=anterior.isoformat() if anterior else "",
        hacia=fecha.isoformat(),
        detalle=detalle,
        momento=momento,
        anio=formulacion.proceso.anio,
    )
    return validacion


def _cambiar(
    validacion: ValidacionServicio,
    estado: str,
    usuario: Any,
    momento: datetime.datetime,
    **campos: Any,
) -> ValidacionServicio:
    desde = validacion.estado
    validacion.estado = estado
    for campo, valor in campos.items():
        setattr(validacion, campo, valor)
    validacion.save(update_fields=["estado", *campos])
    evento = evento_registrar(
        usuario=usuario,
        accion=f"validacion.{estado}",
        objeto=validacion,
        servicio_id=validacion.formulacion.servicio_id,
        anio=validacion.formulacion.proceso.anio,
        desde=desde,
        hacia=estado,
        momento=momento,
    )
    _avisar_paso(validacion, evento)
    return validacion


def _avisar_paso(validacion: ValidacionServicio, evento: Evento) -> None:
    """Whoever the step hands work to hears of it, once (mailed after the commit): sent → the
    analista of the cartera; returned → the consultora; ratified → the servicio, with its result."""
    formulacion = validacion.formulacion
    servicio, anio = formulacion.servicio, formulacion.proceso.anio
    if evento.hacia == Estado.ENVIADA:
        destinatarios = analistas_de(servicio.pk, anio)
        asunto = f"[SRM] La consultora envió la validación final de {servicio.nombre} ({anio})"
        ronda = ronda_de_envio(evento)
        if ronda > 1:
            asunto += f" (reenvío, ronda {ronda})"
    elif evento.hacia == Estado.DEVUELTA:
        destinatarios = consultoras_de(servicio.pk, anio)
        asunto = f"[SRM] SUBDERE devolvió la validación final de {servicio.nombre} ({anio})"
    elif evento.hacia == Estado.RATIFICADA:
        destinatarios = encargados_de(servicio.pk)
        asunto = (
            f"[SRM] Validación final {anio} de {servicio.nombre} ratificada: "
            f"{validacion.get_resultado_display().lower()}"
        )
    else:
        return
    avisar(
        clave=f"evento:{evento.pk}",
        destinatarios=destinatarios,
        asunto=asunto,
        plantilla="validacion/correos/validacion.txt",
        contexto={
            "validacion": validacion,
            "evento": evento,
            "servicio": servicio,
            "anio": anio,
            "url": reverse("validacion:servicio_validar", args=[formulacion.pk]),
        },
    )
