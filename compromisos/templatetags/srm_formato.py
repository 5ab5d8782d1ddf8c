"""Presentation helpers shared by the SRM's templates."""

from django import template
from django.urls import get_script_prefix, get_urlconf, reverse

from bitacora import acciones
from compromisos.models import EstadoRevision

register = template.Library()

CLASES_ESTADO = {
    EstadoRevision.BORRADOR: "text-bg-secondary",
    EstadoRevision.ENVIADO: "text-bg-primary",
    EstadoRevision.EN_REVISION: "text-bg-info",
    EstadoRevision.OBSERVADO: "text-bg-warning",
    EstadoRevision.APROBADO: "text-bg-success",
}


@register.inclusion_tag("partials/estado.html")
def estado(objeto) -> dict:
    """A badge with the state of a formulación or informe, in words and colour."""
    return {
        "texto": objeto.get_estado_display(),
        "clase": CLASES_ESTADO.get(objeto.estado, "text-bg-light"),
    }


@register.filter
def romano(etapa: int | None) -> str:
    return {1: "I", 2: "II", 3: "III", 4: "IV"}.get(etapa, "—")


@register.filter
def get_item(diccionario: dict, clave):
    return diccionario.get(clave, clave)


@register.filter
def evento_legible(evento) -> str:
    """«descripción» of a logged action, e.g. 'envió el informe', for timelines."""
    return acciones.describir(evento.accion)


@register.filter
def evento_detalle(evento) -> str:
    """What the event's details add to its sentence (a file's name, a date), or ''."""
    return acciones.detallar(evento.accion, evento.detalle)


@register.filter
def nombre_persona(usuario) -> str:
    """A person's full name, or the username; "Sistema" for what no one did."""
    if usuario is None:
        return "Sistema"
    return usuario.get_full_name() or usuario.username


# A number no URL of the SRM holds, reversed in place of the id.
_MARCA = "918273645"
_MODELOS_URL: dict[tuple, str] = {}


@register.simple_tag
def url_id(nombre: str, pk: int) -> str:
    """{% url nombre pk %} for a URL whose only argument is an integer id, for rows of a list.

    reverse() matches the pattern on every call; a page with a hundred links to files spent
    milliseconds there. The pattern is reversed once per process (and script prefix) with a
    marker, and each row puts its id in place of the marker.
    """
    clave = (get_urlconf(), get_script_prefix(), nombre)
    modelo = _MODELOS_URL.get(clave)
    if modelo is None:
        modelo = _MODELOS_URL[clave] = reverse(nombre, args=[int(_MARCA)])
    return modelo.replace(_MARCA, str(int(pk)), 1)
