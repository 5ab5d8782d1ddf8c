"""Who hears about what: mails on transitions, assignments and deadlines, each sent once.

A Notificacion row is written inside the caller's transaction, keyed so that the same
event never produces two mails; immediate ones are queued for Celery after the commit,
daily-digest ones wait for the evening task.
"""

import contextlib
import contextvars
import datetime
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.urls import reverse

from compromisos.models import EstadoRevision, FormulacionPMG, InformeAvance
from servicios.models import Cartera
from validacion.models import Evento, Notificacion, PreferenciaAvisos

_SILENCIO: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "srm_avisos_en_silencio", default=False
)


@contextlib.contextmanager
def en_silencio() -> Iterator[None]:
    """No notifications inside: for building demo data, where nobody is to be told."""
    marca = _SILENCIO.set(True)
    try:
        yield
    finally:
        _SILENCIO.reset(marca)


def avisar(*, clave: str, destinatarios: list, asunto: str, plantilla: str, contexto: dict) -> int:
    """Record one notification per recipient with an e-mail; returns how many are new."""
    from validacion.tasks import enviar_notificacion

    if _SILENCIO.get():
        return 0

    con_correo = [usuario for usuario in destinatarios if usuario.email]
    resumen = set(
        PreferenciaAvisos.objects.filter(usuario__in=con_correo, resumen_diario=True).values_list(
            "usuario_id", flat=True
        )
    )
    nuevas = 0
    for usuario in con_correo:
        cuerpo = render_to_string(
            plantilla, {**contexto, "destinatario": usuario, "url_base": settings.SRM_URL_BASE}
        )
        notificacion, creada = Notificacion.objects.get_or_create(
            clave=f"{clave}:usuario:{usuario.pk}",
            defaults={
                "destinatario": usuario,
                "asunto": asunto[:200],
                "cuerpo": cuerpo,
                "para_resumen": usuario.pk in resumen,
            },
        )
        if creada:
            nuevas += 1
            if not notificacion.para_resumen:
                enviar_notificacion.delay_on_commit(notificacion_id=notificacion.pk)
    return nuevas


def encargados_de(servicio_id: int) -> list:
    return list(
        get_user_model().objects.filter(membresias__servicio_id=servicio_id, is_active=True)
    )


def analistas_de(servicio_id: int, anio: int) -> list:
    return list(
        get_user_model().objects.filter(
            carteras__servicio_id=servicio_id,
            carteras__anio=anio,
            carteras__rol=Cartera.Rol.ANALISTA,
            is_active=True,
        )
    )


def avisar_transicion(*, evento: Evento, documento: FormulacionPMG | InformeAvance) -> None:
    """Sent → the analista of the cartera; returned or approved → the servicio's encargados."""
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
    elif evento.hacia in (EstadoRevision.OBSERVADO, EstadoRevision.APROBADO):
        destinatarios, url = encargados_de(servicio.pk), url_servicio
        verbo = (
            "devolvió con observaciones" if evento.hacia == EstadoRevision.OBSERVADO else "aprobó"
        )
        asunto = f"[SRM] SUBDERE {verbo} {nombre} {anio}"
    else:
        return
    avisar(
        clave=f"evento:{evento.pk}",
        destinatarios=destinatarios,
        asunto=asunto,
        plantilla="validacion/correos/transicion.txt",
        contexto={
            "evento": evento,
            "servicio": servicio,
            "nombre": nombre,
            "anio": anio,
            "url": url,
        },
    )


def avisar_asignacion(*, cartera: Cartera) -> None:
    """The consultora hears of each servicio assigned to it."""
    if cartera.rol != Cartera.Rol.CONSULTORA:
        return
    avisar(
        clave=f"cartera:{cartera.pk}",
        destinatarios=[cartera.usuario],
        asunto=f"[SRM] Validación asignada: {cartera.servicio.nombre} ({cartera.anio})",
        plantilla="validacion/correos/asignacion.txt",
        contexto={"cartera": cartera},
    )


def avisar_plazos(*, hoy: datetime.date, dias_antes: int) -> int:
    """Remind the encargados of what is due in `dias_antes` days, or overdue since yesterday:
    the formulación (until sent) and each informe (until sent)."""
    from compromisos.models import Hito

    nuevas = 0
    avisos = [
        (hoy + datetime.timedelta(days=dias_antes), "proximo"),
        (hoy - datetime.timedelta(days=1), "vencido"),
    ]
    for fecha, motivo in avisos:
        hitos = Hito.objects.filter(
            fecha_limite=fecha, etapa__in=[Hito.Etapa.FORMULACION, *InformeAvance.Periodo.values]
        ).prefetch_related("tipos_servicio")
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
                    plantilla="validacion/correos/plazo.txt",
                    contexto={
                        "hito": hito,
                        "motivo": motivo,
                        "servicio": formulacion.servicio,
                        "dias": dias_antes,
                    },
                )
    return nuevas


def _pendientes(hito) -> Any:
    """Formulaciones of the hito's year and kinds of servicio that still owe what it asks."""
    tipos = [tipo.pk for tipo in hito.tipos_servicio.all()]
    formulaciones = FormulacionPMG.objects.filter(proceso_id=hito.proceso_id)
    if tipos:
        formulaciones = formulaciones.filter(servicio__tipo__in=tipos)
    if hito.etapa == "formulacion":
        return formulaciones.filter(estado=EstadoRevision.BORRADOR)
    return formulaciones.filter(estado=EstadoRevision.APROBADO).exclude(
        informes__periodo=hito.etapa, informes__enviado_en__isnull=False
    )
