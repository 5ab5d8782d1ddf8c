"""Presentation of the quality system's scores and states."""

from django import template

from calidad import puntajes
from calidad.models import NivelAcreditacion

register = template.Library()

CLASES_ESTADO = {
    "borrador": "text-bg-secondary",
    "enviada": "text-bg-primary",
    "enviado": "text-bg-primary",
    "observada": "text-bg-warning",
    "observado": "text-bg-warning",
    "evaluada": "text-bg-info",
    "validada": "text-bg-success",
    "validado": "text-bg-success",
}


@register.filter
def puntos(valor) -> str:
    return puntajes.puntos(valor)


@register.inclusion_tag("partials/estado.html")
def estado_calidad(objeto) -> dict:
    return {
        "texto": objeto.get_estado_display(),
        "clase": CLASES_ESTADO.get(objeto.estado, "text-bg-light"),
    }


@register.filter
def nombre_nivel(nivel: str | None) -> str:
    return dict(NivelAcreditacion.choices).get(nivel, "Sin nivel") if nivel else "Sin nivel"
