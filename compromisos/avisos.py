"""Who hears about a formulación or an informe: its transitions and its deadlines.

Each mail is recorded once through bitacora.avisos (after the commit, never twice).
"""

import datetime
from typing import Any

from django.db.models import Q
from django.urls import reverse

from bitacora.avisos import avisar
from bitacora.models import Evento
from compromisos.models import EstadoRevision, FormulacionPMG, Hito, InformeAvance
from compromisos.selectors import clave_de_hito
from servicios.selectors import analistas_de, consultoras_de, encargados_de


def ronda_de_envio(evento: Evento) -> int:
    """Which sending of its object this event is: the n-th sending opens review round n."""
    return Evento.objects.filter(
        tipo_objeto_id=evento.tipo_objeto_id,
        objeto_id=evento.objeto_id,
        accion=evento.accion,
        pk__lte=evento.pk,
    ).count()


# SUBDERE's decisions the servicio is told about, as the mail's subject says them.
VERBOS_AL_SERVICIO = {
    EstadoRevision.OBSERVADO: "devolvió con observaciones",
    EstadoRevision.APROBADO: "aprobó",
    EstadoRevision.CERTIFICADO: "certificó",
    EstadoRevision.NO_CERTIFICADO: "no certificó",
}


def avisar_transicion(*, evento: Evento, documento: FormulacionPMG | InformeAvance) -> None:
    """Sent → the analista of the cartera; returned or approved → the servicio's encargados;
    the informe final approved → also the consultora, whose validation opens."""
    formulacion = documento if isinstance(documento, FormulacionPMG) else documento.formulacion
    servicio, anio = formulacion.servicio, formulacion.proceso.anio
    nombre = (
        "la formulación"
        if isinstance(documento, FormulacionPMG)
        else f"el {documento.get_periodo_display().lower()}"
    )
    if isinstance(documento, InformeAvance):
        url_servicio = reverse("compromisos:informe_detalle", args=[documento.pk])
        url_analista = reverse("validacion:informe_revisar", args=[documento.pk])
    else:
        url_servicio = url_analista = reverse(
            "compromisos:formulacion_detalle", args=[documento.pk]
        )
    if evento.hacia == EstadoRevision.ENVIADO:
        destinatarios, url = analistas_de(servicio.pk, anio), url_analista
        asunto = f"[SRM] {servicio.nombre} envió {nombre} {anio}"
        ronda = ronda_de_envio(evento)
        if ronda > 1:
            asunto += f" (reenvío, ronda {ronda})"
    elif evento.hacia in VERBOS_AL_SERVICIO:
        destinatarios, url = encargados_de(servicio.pk), url_servicio
        verbo = VERBOS_AL_SERVICIO[evento.hacia]
        asunto = f"[SRM] SUBDERE {verbo} {nombre} {anio}"
    else:
        return
    avisar(
        clave=f"evento:{evento.pk}",
        destinatarios=destinatarios,
        asunto=asunto,
        plantilla="compromisos/correos/transicion.txt",
        contexto={
            "evento": evento,
            "servicio": servicio,
            "nombre": nombre,
            "anio": anio,
            "url": url,
        },
    )
    if (
        evento.hacia == EstadoRevision.APROBADO
        and isinstance(documento, InformeAvance)
        and documento.periodo == InformeAvance.Periodo.FINAL
    ):
        avisar(
            clave=f"evento:{evento.pk}:validacion",
            destinatarios=consultoras_de(servicio.pk, anio),
            asunto=f"[SRM] Validación final abierta: {servicio.nombre} ({anio})",
            plantilla="compromisos/correos/validacion_abierta.txt",
            contexto={
                "servicio": servicio,
                "anio": anio,
                "url": reverse("validacion:servicio_validar", args=[formulacion.pk]),
            },
        )


def avisar_plazos(*, hoy: datetime.date, dias_antes: int) -> int:
    """Remind the encargados of what is due in `dias_antes` days, or overdue since yesterday:
    the formulación (until sent) and each informe (until sent)."""
    nuevas = 0
    avisos = [
        (hoy + datetime.timedelta(days=dias_antes), "proximo"),
        (hoy - datetime.timedelta(days=1), "vencido"),
    ]
    for fecha, motivo in avisos:
        # The formulación's hitos and each deliverable's (its kind's, or in the standard
        # cycle the hito of its etapa).
        hitos = (
            Hito.objects.filter(fecha_limite=fecha)
            .filter(
                Q(entregable__isnull=False)
                | Q(etapa__in=[Hito.Etapa.FORMULACION, *InformeAvance.Periodo.values])
            )
            .select_related("entregable")
            .prefetch_related("tipos_servicio")
        )
        for hito in hitos:
            for formulacion in _pendientes(hito).select_related("servicio"):
                nuevas += avisar(
                    clave=f"plazo:{hito.pk}:{motivo}:{formulacion.servicio_id}",
                    destinatarios=encargados_de(formulacion.servicio_id),
                    asunto=(
                        f"[SRM] {hito.nombre}: vence el {hito.fecha_limite:%d-%m-%Y}"
                        if motivo == "proximo"
                        else f"[SRM] {hito.nombre}: el plazo venció el {hito.fecha_limite:%d-%m-%Y}"
                    ),
                    plantilla="compromisos/correos/plazo.txt",
                    contexto={
                        "hito": hito,
                        "motivo": motivo,
                        "servicio": formulacion.servicio,
                        "dias": dias_antes,
                    },
                )
    return nuevas


def _pendientes(hito: Hito) -> Any:
    """Formulaciones of the hito's year and kinds of servicio that still owe what it asks."""
    tipos = [tipo.pk for tipo in hito.tipos_servicio.all()]
    formulaciones = FormulacionPMG.objects.filter(proceso_id=hito.proceso_id)
    if tipos:
        formulaciones = formulaciones.filter(servicio__tipo__in=tipos)
    clave = clave_de_hito(hito)
    if clave == "formulacion":
        return formulaciones.filter(estado=EstadoRevision.BORRADOR)
    return formulaciones.filter(estado=EstadoRevision.APROBADO).exclude(
        informes__periodo=clave, informes__enviado_en__isnull=False
    )
