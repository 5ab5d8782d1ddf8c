"""Presentation helpers shared by the SRM's templates."""

from django import template

from bitacora import acciones
from compromisos.models import EstadoRevision
from srm import formato

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


# Chilean figures and dates (srm/formato.py), the same in every template.


@register.filter
def numero(valor, decimales: int = 0) -> str:
    """«1.234» or, with decimals, «1.234,5»."""
    return formato.numero(valor, int(decimales))


@register.filter
def porcentaje(valor, decimales: int = formato.DECIMALES_PORCENTAJE) -> str:
    """A share or mean as «42,5 %» (`|porcentaje:0` for a whole percentage a person enters)."""
    return formato.porcentaje(valor, int(decimales))


@register.filter
def fraccion(valor) -> str:
    """A share of 1 (0.425) as «42,5 %»."""
    return formato.fraccion(valor)


@register.filter
def ponderador(valor) -> str:
    """A formulación's weight as «12,50 %»."""
    return formato.ponderador(valor)


@register.filter
def fecha(valor) -> str:
    """«31-03-2026», with the year."""
    return formato.fecha(valor)


@register.filter
def fecha_hora(valor) -> str:
    """«31-03-2026 14:05», in Chile's time."""
    return formato.fecha_hora(valor)


@register.filter
def plural(cantidad, formas: str) -> str:
    """`{{ n|plural:"observación abierta,observaciones abiertas" }}` → «1 observación abierta»."""
    singular, plural_ = formas.split(",")
    return formato.plural(cantidad, singular, plural_)


@register.filter
def segun(cantidad, formas: str) -> str:
    """Only the word that agrees with the count: `{{ n|segun:"queda,quedan" }}`."""
    singular, plural_ = formas.split(",")
    return formato.segun(cantidad, singular, plural_)
