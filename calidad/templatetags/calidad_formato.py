"""Presentation of the quality system's scores and states."""

from django import template
from django.utils.html import format_html

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


@register.simple_tag
def estado_calidad(objeto) -> str:
    """A badge with the state, drawn like compromisos' `{% estado %}` (no template per row)."""
    return format_html(
        '<span class="badge {}">{}</span>',
        CLASES_ESTADO.get(objeto.estado, "text-bg-light"),
        objeto.get_estado_display(),
    )


@register.filter
def nombre_nivel(nivel: str | None) -> str:
    return dict(NivelAcreditacion.choices).get(nivel, "Sin nivel") if nivel else "Sin nivel"
