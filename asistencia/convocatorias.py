"""The invitation to an activity: an iCalendar (RFC 5545) file and the mail that carries it."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from asistencia.models import Actividad, Convocado
from compromisos.selectors import programa_del_anio
from servicios.selectors import encargados_de

DOMINIO_UID = "srm.subdere.gob.cl"


def ics(actividad: Actividad, *, asistentes: list | None = None) -> bytes:
    """The activity as a calendar invitation (METHOD:REQUEST); its UID and SEQUENCE make a
    re-sent invitation update the same entry in the recipient's calendar. A cancelled
    activity is a METHOD:CANCEL of that entry (RFC 5546), which removes it."""
    cancelada = actividad.estado == Actividad.Estado.CANCELADA
    calendario = Calendar()
    calendario.add("prodid", "-//SUBDERE//SRM Asistencia técnica//ES")
    calendario.add("version", "2.0")
    calendario.add("method", metodo(actividad))
    evento = Event()
    evento.add("uid", f"{actividad.uid}@{DOMINIO_UID}")
    evento.add("dtstamp", timezone.now())
    evento.add("dtstart", actividad.inicio)
    evento.add("dtend", actividad.fin)
    evento.add("sequence", actividad.secuencia)
    if cancelada:
        evento.add("status", "CANCELLED")
    evento.add("summary", f"{actividad.get_tipo_display()}: {actividad.tema}")
    lugar = actividad.lugar or actividad.enlace
    if lugar:
        evento.add("location", lugar)
    if actividad.enlace:
        evento.add("url", actividad.enlace)
    descripcion = [f"{programa_del_anio(actividad.anio)} {actividad.anio} · SUBDERE"]
    if actividad.materiales:
        descripcion.append(f"Materiales: {actividad.materiales}")
    descripcion.append(
        f"Inscripciones: {settings.SRM_URL_BASE}"
        + reverse("asistencia:actividad_detalle", args=[actividad.pk])
    )
    evento.add("description", "\n".join(descripcion))
    responsable = actividad.responsable
    organizador = vCalAddress(f"mailto:{responsable.email or settings.DEFAULT_FROM_EMAIL}")
    organizador.params["cn"] = vText(responsable.get_full_name() or responsable.username)
    evento["organizer"] = organizador
    for persona in asistentes or []:
        if persona.email:
            asistente = vCalAddress(f"mailto:{persona.email}")
            asistente.params["cn"] = vText(persona.get_full_name() or persona.username)
            asistente.params["role"] = vText("REQ-PARTICIPANT")
            asistente.params["rsvp"] = vText("TRUE")
            evento.add("attendee", asistente, encode=0)
    calendario.add_component(evento)
    return calendario.to_ical()


def metodo(actividad: Actividad) -> str:
    return "CANCEL" if actividad.estado == Actividad.Estado.CANCELADA else "REQUEST"


def invitacion_enviar(*, convocado_id: int, secuencia: int) -> int:
    """Mail the invitation to the convened servicio's encargados; once per sequence."""
    with transaction.atomic():
        convocado = (
            Convocado.objects.select_for_update(of=("self",))
            .select_related("actividad__responsable", "servicio")
            .get(pk=convocado_id)
        )
        if (
            convocado.invitacion_secuencia is not None
            and convocado.invitacion_secuencia >= secuencia
        ):
            return 0
        actividad = convocado.actividad
        destinatarios = [u for u in encargados_de(convocado.servicio_id) if u.email]
        if destinatarios:
            cuerpo = render_to_string(
                "asistencia/correos/convocatoria.txt",
                {
                    "actividad": actividad,
                    "servicio": convocado.servicio,
                    "url_base": settings.SRM_URL_BASE,
                    "url": reverse("asistencia:actividad_detalle", args=[actividad.pk]),
                    "actualizada": secuencia > 0,
                    "cancelada": actividad.estado == Actividad.Estado.CANCELADA,
                },
            )
            if actividad.estado == Actividad.Estado.CANCELADA:
                prefijo = "Cancelada: "
            else:
                prefijo = "Actualización: " if secuencia else ""
            mensaje = EmailMessage(
                subject=(
                    f"[SRM] {prefijo}Convocatoria: "
                    f"{actividad.get_tipo_display()} «{actividad.tema}» "
                    f"({timezone.localtime(actividad.inicio):%d-%m-%Y})"
                )[:200],
                body=cuerpo,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[u.email for u in destinatarios],
            )
            mensaje.attach(
                "invitacion.ics",
                ics(actividad, asistentes=destinatarios),
                f"text/calendar; method={metodo(actividad)}; charset=utf-8",
            )
            mensaje.send()
        convocado.invitacion_enviada_en = timezone.now()
        convocado.invitacion_secuencia = secuencia
        convocado.save(update_fields=["invitacion_enviada_en", "invitacion_secuencia"])
    return len(destinatarios)
