"""Links of the tablero: the current view's query string with some filters changed."""

from django import template
from django.http import QueryDict
from django.urls import reverse

from compromisos.models import EstadoRevision

register = template.Library()


def enlace_a(nombre: str, consulta: str, **cambios) -> str:
    """URL of `nombre` with the current query string, each of `cambios` replacing its key.

    None stands for «none» (e.g. servicios of national scope, which have no región).
    """
    datos = QueryDict(consulta, mutable=True)
    for clave, valor in cambios.items():
        datos[clave] = "null" if valor is None else str(valor)
    return f"{reverse(nombre)}?{datos.urlencode()}"


@register.simple_tag
def enlace(nombre: str, consulta: str, **cambios) -> str:
    return enlace_a(nombre, consulta, **cambios)


@register.filter
def porcentaje(valor) -> str:
    """A share as «42,5 %», or «—» when there is nothing to divide."""
    if valor is None:
        return "—"
    return f"{valor:.1f}".replace(".", ",") + " %"


@register.filter
def estado_informe(valor: str | None) -> str:
    return EstadoRevision(valor).label if valor else "Sin informe"
