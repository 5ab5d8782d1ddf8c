"""Writes of SUBDERE's review: its transitions, observaciones and verdicts on files."""

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from bitacora.services import evento_registrar
from compromisos.models import (
    ACCIONES_DE_DECISION,
    AvanceCompromiso,
    Compromiso,
    EstadoRevision,
    FormulacionPMG,
    InformeAvance,
    LineaFormulacion,
    MedioVerificacion,
)
from compromisos.selectors import etapa_comprometida, preguntas_del_informe
from compromisos.services import documento_transicionar, ronda_actual
from compromisos.transiciones import TransicionNoPermitida
from formularios import instantanea as formularios_instantanea
from formularios.models import Pregunta
from programa.models import RequisitoTecnico
from srm import formato, permisos
from validacion.models import (
    Observacion,
    RespuestaObservacion,
    ResultadoSistema,
    VeredictoMedio,
    VeredictoRequisito,
)

# How the actions this app logs read in a timeline (registered with bitacora.acciones).
DESCRIPCION_ACCIONES = {
    "resultado_sistema.guardar": "registró el resultado DIPRES de un sistema",
    "observacion.crear": "escribió una observación",
    "observacion.responder": "respondió una observación",
    "observacion.resolver": "dio por resuelta una observación",
    "observacion.cerrar": "cerró una observación pendiente al decidir sobre el documento",
    "medio.calificar": "calificó un archivo",
    "requisito.calificar": "calificó un requisito técnico de la etapa comprometida",
    "requisito.validar": "validó un requisito técnico de la etapa comprometida",
    "iniciativa.validar": "validó una iniciativa",
    "validacion.enviada": "envió la validación a SUBDERE",
    "validacion.devuelta": "devolvió la validación a la consultora",
    "validacion.ratificada": "ratificó la validación",
    "validacion.registrar_dipres": "registró la validación en DIPRES",
    "validacion.corregir_dipres": "corrigió la fecha de registro en DIPRES",
}


def _fecha(iso: str) -> str:
    anio, mes, dia = iso[:10].split("-")
    return f"{dia}-{mes}-{anio}"


# What the details of each action add to its sentence in the log page.
def _requisito_en_palabras(d: dict) -> str:
    resultado = "cumplido" if d["cumple"] else "no cumplido"
    medios = ", ".join(f"«{m}»" for m in d["medios"])
    return f"«{d['requisito']}»: {resultado}" + (f" ({medios})" if medios else "")


DETALLE_ACCIONES = {
    "resultado_sistema.guardar": lambda d: f"{d['sistema']}: {d['resultado']} ({d['origen']})",
    "medio.calificar": lambda d: d["motivo"],
    "requisito.calificar": _requisito_en_palabras,
    "requisito.validar": _requisito_en_palabras,
    "validacion.registrar_dipres": lambda d: f"con fecha {_fecha(d['fecha'])}",
}


def revision_transicionar(
    *,
    objeto: FormulacionPMG | InformeAvance,
    accion: str,
    usuario: Any,
    comentario: str = "",
    momento: datetime | None = None,
    motivo_cierre: str = "",
) -> FormulacionPMG | InformeAvance:
    """A transition taken in SUBDERE's review: the table's move, where returning a document
    needs at least one open observación (so the servicio knows what to fix) and approving one
    whose observaciones are still pending needs a reason to close them (logged).

    A formulación returned with a comentario and no observación gets that comentario as an
    observación on the whole (the form of the formulación page before observaciones by round).
    """
    if accion == "observar":
        condicion = _exigir_observacion_abierta
        if isinstance(objeto, FormulacionPMG) and comentario.strip():
            _comentario_como_observacion(objeto, comentario, usuario, momento)
    elif accion in ACCIONES_DE_DECISION:

        def condicion(documento: FormulacionPMG | InformeAvance) -> None:
            _cerrar_pendientes(documento, motivo_cierre, usuario, momento, accion)

    else:
        condicion = None
    return documento_transicionar(
        objeto=objeto,
        accion=accion,
        usuario=usuario,
        comentario=comentario,
        momento=momento,
        condicion=condicion,
    )


def _comentario_como_observacion(
    formulacion: FormulacionPMG, comentario: str, usuario: Any, momento: datetime | None
) -> None:
    abiertas = formulacion.observaciones.filter(
        informe__isnull=True, estado=Observacion.Estado.ABIERTA
    )
    if formulacion.estado == EstadoRevision.EN_REVISION and not abiertas.exists():
        observacion_crear(
            formulacion=formulacion, texto=comentario, usuario=usuario, momento=momento
        )


def observaciones_del_documento(documento: FormulacionPMG | InformeAvance):
    """The remarks written in this document's own review (a formulación's, not its informes')."""
    if isinstance(documento, InformeAvance):
        return Observacion.objects.filter(informe=documento)
    return Observacion.objects.filter(formulacion=documento, informe__isnull=True)


def _exigir_observacion_abierta(documento: FormulacionPMG | InformeAvance) -> None:
    if (
        not observaciones_del_documento(documento)
        .filter(estado=Observacion.Estado.ABIERTA)
        .exists()
    ):
        nombre = "el informe" if isinstance(documento, InformeAvance) else "la formulación"
        raise TransicionNoPermitida(
            f"Para devolver {nombre} escriba al menos una observación abierta."
        )


def _cerrar_pendientes(
    documento: FormulacionPMG | InformeAvance,
    motivo: str,
    usuario: Any,
    momento: datetime | None,
    accion: str = "aprobar",
) -> None:
    if documento.estado != EstadoRevision.EN_REVISION:
        return  # the transition table answers
    pendientes = list(
        observaciones_del_documento(documento)
        .filter(estado__in=PENDIENTES)
        .select_for_update()
        .order_by("pk")
    )
    if not pendientes:
        return
    motivo = motivo.strip()
    if not motivo:
        cantidad = len(pendientes)
        raise TransicionNoPermitida(
            f"{formato.segun(cantidad, 'Queda', 'Quedan')} "
            f"{formato.plural(cantidad, 'observación', 'observaciones')} sin resolver. "
            f"{formato.segun(cantidad, 'Márquela como resuelta', 'Márquelas como resueltas')} o "
            f"indique el motivo para {formato.segun(cantidad, 'cerrarla', 'cerrarlas')} "
            f"{AL_DECIDIR[accion]}."
        )
    for observacion in pendientes:
        _cerrar(observacion, motivo=motivo, usuario=usuario, momento=momento)


AL_DECIDIR = {
    "aprobar": "al aprobar",
    "certificar": "al certificar",
    "no_certificar": "al registrar que no se certifica",
}

# Remarks still waiting: not answered yet, or answered and not yet settled by SUBDERE.
PENDIENTES = [Observacion.Estado.ABIERTA, Observacion.Estado.RESPONDIDA]


def _cerrar(
    observacion: Observacion, *, motivo: str, usuario: Any, momento: datetime | None
) -> None:
    desde = observacion.estado
    observacion.estado = Observacion.Estado.RESUELTA
    observacion.motivo_cierre = motivo
    observacion.save(update_fields=["estado", "motivo_cierre", "actualizado"])
    evento_registrar(
        usuario=usuario,
        accion="observacion.cerrar",
        objeto=observacion,
        servicio_id=observacion.formulacion.servicio_id,
        desde=desde,
        hacia=observacion.estado,
        detalle={"motivo": motivo},
        momento=momento,
    )


def _documento_bloqueado(
    informe: InformeAvance | None, formulacion: FormulacionPMG | None
) -> FormulacionPMG | InformeAvance:
    if (informe is None) == (formulacion is None):
        raise ValueError("Indique el informe o la formulación observada.")
    if informe is not None:
        return InformeAvance.objects.select_for_update().get(pk=informe.pk)
    return FormulacionPMG.objects.select_for_update().get(pk=formulacion.pk)


@transaction.atomic
def observacion_crear(
    *,
    texto: str,
    usuario: Any,
    informe: InformeAvance | None = None,
    formulacion: FormulacionPMG | None = None,
    avance: AvanceCompromiso | None = None,
    medio: MedioVerificacion | None = None,
    linea: LineaFormulacion | None = None,
    compromiso: Compromiso | None = None,
    pregunta: Pregunta | None = None,
    momento: datetime | None = None,
) -> Observacion:
    """SUBDERE writes a remark on a document under review: an informe (or one compromiso or
    file of it) or a formulación (or one of its líneas or compromisos).

    `momento` dates a historical record (demo data); it defaults to now.
    """
    momento = momento or timezone.now()
    documento = _documento_bloqueado(informe, formulacion)
    permisos.exigir(usuario, f"{documento.prefijo_accion}.observar", documento)
    es_informe = isinstance(documento, InformeAvance)
    if documento.estado != EstadoRevision.EN_REVISION:
        raise TransicionNoPermitida(
            "Solo se observa un informe que está en revisión."
            if es_informe
            else "Solo se observa una formulación que está en revisión."
        )
    if es_informe and (linea is not None or compromiso is not None):
        raise ValidationError("En un informe se observa un compromiso a través de su avance.")
    if not es_informe and (avance is not None or medio is not None or pregunta is not None):
        raise ValidationError(
            "Una formulación no tiene avances, archivos ni preguntas que observar."
        )
    if pregunta is not None and (
        avance is not None
        or medio is not None
        or not preguntas_del_informe(documento).filter(pk=pregunta.pk).exists()
    ):
        raise ValidationError("La pregunta no pertenece al formulario de este informe.")
    if avance is not None and avance.informe_id != documento.pk:
        raise ValidationError("El compromiso no pertenece a este informe.")
    if medio is not None and medio.informe_id != documento.pk:
        raise ValidationError("El archivo no pertenece a este informe.")
    if linea is not None and linea.formulacion_id != documento.pk:
        raise ValidationError("La línea no pertenece a esta formulación.")
    if compromiso is not None and compromiso.formulacion_id != documento.pk:
        raise ValidationError("El compromiso no pertenece a esta formulación.")
    texto = texto.strip()
    if not texto:
        raise ValidationError("Escriba el texto de la observación.")
    sobre = ""
    if linea is not None:
        sobre = f"Sistema {linea.sistema}"
    elif compromiso is not None:
        sobre = f"{compromiso.codigo} · {compromiso.nombre}"[:300]
    elif pregunta is not None:
        sobre = f"Pregunta {formularios_instantanea.rotulo(pregunta)}"[:300]
    observacion = Observacion.objects.create(
        formulacion_id=documento.formulacion_id if es_informe else documento.pk,
        informe=documento if es_informe else None,
        avance=avance,
        medio=medio,
        linea=linea,
        compromiso=compromiso,
        pregunta=pregunta,
        sobre=sobre,
        texto=texto,
        autor=usuario,
        ronda=ronda_actual(documento),
        creado=momento,
    )
    evento_registrar(
        usuario=usuario,
        accion="observacion.crear",
        objeto=observacion,
        servicio_id=documento.formulacion.servicio_id if es_informe else documento.servicio_id,
        hacia=observacion.estado,
        momento=momento,
    )
    return observacion


@transaction.atomic
def observacion_responder(
    *, observacion: Observacion, texto: str, usuario: Any
) -> RespuestaObservacion:
    """The servicio answers a remark while its informe or formulación is returned (observado)."""
    permisos.exigir(usuario, "observacion.responder", observacion)
    observacion = (
        Observacion.objects.select_for_update(of=("self",))
        .select_related("informe", "formulacion")
        .get(pk=observacion.pk)
    )
    if observacion.documento.estado != EstadoRevision.OBSERVADO:
        raise TransicionNoPermitida(
            "Las observaciones se responden cuando SUBDERE devuelve el documento."
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
        servicio_id=observacion.formulacion.servicio_id,
        desde=desde,
        hacia=observacion.estado,
    )
    return respuesta


@transaction.atomic
def observacion_resolver(*, observacion: Observacion, usuario: Any) -> Observacion:
    """SUBDERE closes a remark once the servicio's answer or correction settles it."""
    documento = observacion.documento
    permisos.exigir(usuario, f"{documento.prefijo_accion}.observar", documento)
    observacion = (
        Observacion.objects.select_for_update(of=("self",))
        .select_related("informe", "formulacion")
        .get(pk=observacion.pk)
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
        servicio_id=observacion.formulacion.servicio_id,
        desde=desde,
        hacia=observacion.estado,
    )
    return observacion


@transaction.atomic
def veredicto_registrar(
    *, medio: MedioVerificacion, resultado: str, motivo: str, usuario: Any
) -> VeredictoMedio:
    """The analyst's verdict on one file in the current round (one per file and round)."""
    informe = medio.informe
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


@transaction.atomic
def resultado_sistema_guardar(*, resultado: ResultadoSistema, usuario: Any) -> ResultadoSistema:
    """The Unidad records (or corrects) DIPRES's result for a sistema other than
    Descentralización, whose result follows from the consultora's validation."""
    permisos.exigir(usuario, "configuracion.administrar")
    linea = resultado.linea
    if resultado.es_de_descentralizacion():
        raise ValidationError(ResultadoSistema.MENSAJE_DESCENTRALIZACION)
    resultado.registrado_por = usuario
    resultado.save()
    formulacion = linea.formulacion
    evento_registrar(
        usuario=usuario,
        accion="resultado_sistema.guardar",
        objeto=resultado,
        servicio_id=formulacion.servicio_id,
        anio=formulacion.proceso.anio,
        detalle={
            "sistema": linea.sistema,
            "resultado": "cumple" if resultado.cumple else "no cumple",
            "origen": resultado.get_origen_display(),
        },
    )
    return resultado


def veredicto_requisito_guardar(
    *,
    formulacion: FormulacionPMG,
    informe: InformeAvance | None,
    requisito: RequisitoTecnico,
    cumple: bool,
    medios: list[MedioVerificacion],
    comentario: str,
    usuario: Any,
) -> VeredictoRequisito:
    """Record the analyst's (with the informe) or the consultora's (without) verdict on a
    requisito of the committed etapa. The caller checks who and when; this checks what."""
    tipo = informe.tipo if informe is not None else None
    etapa = etapa_comprometida(formulacion_id=formulacion.pk, tipo=tipo)
    if not etapa.aplica:
        raise ValidationError(
            f"El {tipo.nombre.lower()} no informa sobre la etapa comprometida: sus requisitos "
            "técnicos se califican en los informes que sí lo hacen."
        )
    if requisito.pk not in {r.pk for r in etapa.requisitos}:
        raise ValidationError("El requisito no es de la etapa comprometida de esta formulación.")
    comentario = comentario.strip()
    if cumple and not medios:
        raise ValidationError(
            "Para darlo por cumplido, marque al menos un archivo que lo respalde."
        )
    if not cumple and not comentario:
        raise ValidationError("Diga por qué no se cumple: el servicio debe saber qué falta.")
    ajenos = [
        m
        for m in medios
        if m.informe.formulacion_id != formulacion.pk
        or (informe is not None and m.informe_id != informe.pk)
    ]
    if ajenos:
        raise ValidationError("Solo respaldan el requisito archivos de este servicio y año.")
    instancia = (
        VeredictoRequisito.Instancia.REVISION
        if informe is not None
        else VeredictoRequisito.Instancia.VALIDACION
    )
    veredicto, _ = VeredictoRequisito.objects.update_or_create(
        formulacion=formulacion,
        informe=informe,
        instancia=instancia,
        requisito=requisito,
        defaults={
            "cumple": cumple,
            "comentario": comentario,
            "usuario": usuario,
            "momento": timezone.now(),
        },
    )
    veredicto.medios.set(medios)
    evento_registrar(
        usuario=usuario,
        accion="requisito.calificar" if informe is not None else "requisito.validar",
        objeto=informe if informe is not None else formulacion,
        servicio_id=formulacion.servicio_id,
        anio=formulacion.proceso.anio,
        hacia="cumple" if cumple else "no_cumple",
        detalle={
            "requisito": requisito.texto[:120],
            "cumple": cumple,
            "medios": sorted(m.nombre_original for m in medios),
            "comentario": comentario,
        },
    )
    return veredicto


@transaction.atomic
def requisito_calificar(
    *,
    informe: InformeAvance,
    requisito: RequisitoTecnico,
    cumple: bool,
    medios: list[MedioVerificacion],
    comentario: str,
    usuario: Any,
) -> VeredictoRequisito:
    """The analyst marks a requisito of the committed etapa met or not met in an informe's
    review, with the informe's files that support it."""
    permisos.exigir(usuario, "informe.observar", informe)
    informe = (
        InformeAvance.objects.select_for_update(of=("self",))
        .select_related("formulacion__proceso", "tipo__formulario")
        .get(pk=informe.pk)
    )
    if informe.estado != EstadoRevision.EN_REVISION:
        raise TransicionNoPermitida(
            "Los requisitos se califican mientras el informe está en revisión."
        )
    return veredicto_requisito_guardar(
        formulacion=informe.formulacion,
        informe=informe,
        requisito=requisito,
        cumple=cumple,
        medios=medios,
        comentario=comentario,
        usuario=usuario,
    )
