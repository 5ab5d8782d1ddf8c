"""Who hears about a transition of the quality system: whoever acts next."""

from django.contrib.auth import get_user_model
from django.urls import reverse

from bitacora.avisos import avisar
from bitacora.models import Evento
from calidad.models import Autoevaluacion, EstadoAutoevaluacion, EstadoPlan, PlanMejoras
from servicios.models import Cartera
from servicios.selectors import analistas_de, encargados_de


def evaluadores_de(servicio_id: int, anio: int) -> list:
    """The active evaluadores assigned to the GORE that year."""
    return list(
        get_user_model().objects.filter(
            carteras__servicio_id=servicio_id,
            carteras__anio=anio,
            carteras__rol=Cartera.Rol.EVALUADOR,
            is_active=True,
        )
    )


def avisar_transicion(*, evento: Evento, documento: Autoevaluacion | PlanMejoras) -> None:
    """Sent → the evaluador (autoevaluación) or the analista (plan); evaluated → the analista;
    returned by SUBDERE → the evaluador; observed or validated → the GORE team."""
    es_plan = isinstance(documento, PlanMejoras)
    autoevaluacion = documento.autoevaluacion if es_plan else documento
    servicio, anio = autoevaluacion.servicio, autoevaluacion.anio
    nombre = "el Plan de Mejoras" if es_plan else "la autoevaluación"
    url = (
        reverse("calidad:plan_detalle", args=[documento.pk])
        if es_plan
        else reverse("calidad:autoevaluacion_detalle", args=[documento.pk])
    )
    hacia = evento.hacia
    if hacia in (EstadoAutoevaluacion.ENVIADA, EstadoPlan.ENVIADO):
        destinatarios = (
            analistas_de(servicio.pk, anio) if es_plan else evaluadores_de(servicio.pk, anio)
        )
    elif hacia == EstadoAutoevaluacion.EVALUADA:
        destinatarios = analistas_de(servicio.pk, anio)
    else:
        destinatarios = encargados_de(servicio.pk)
    avisar(
        clave=f"evento:{evento.pk}",
        destinatarios=destinatarios,
        asunto=f"[SRM] Calidad GORE: {nombre} {anio} de {servicio.nombre} quedó "
        f"«{documento.get_estado_display().lower()}»",
        plantilla="calidad/correos/transicion.txt",
        contexto={
            "evento": evento,
            "servicio": servicio,
            "nombre": nombre,
            "anio": anio,
            "url": url,
            "estado": documento.get_estado_display(),
        },
    )
