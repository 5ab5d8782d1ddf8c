"""Links of the tablero (the current view's query string with some filters changed) and its
filter form."""

from urllib.parse import urlencode

from django import template
from django.http import QueryDict
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from compromisos.models import EstadoRevision
from srm import formato
from tablero import cache

register = template.Library()


class Enlaces:
    """Links of one page to the lists behind its figures.

    A page draws hundreds of them; each URL name is reversed once and the current view's
    filters are parsed and encoded once, so a link encodes only the values it changes (the
    same URL as urlencode of the whole dict).
    """

    def __init__(self, consulta: str):
        # The tablero's filters take one value each: each as its encoded «key=value».
        self.filtros = {
            clave: urlencode({clave: valor}) for clave, valor in QueryDict(consulta).items()
        }
        self.rutas: dict[str, str] = {}

    def __call__(self, nombre: str, **cambios) -> str:
        """URL of `nombre` with the current filters, each of `cambios` replacing its key.

        None stands for «none» (e.g. servicios of national scope, which have no región).
        """
        ruta = self.rutas.get(nombre)
        if ruta is None:
            ruta = self.rutas[nombre] = reverse(nombre)
        pares = self.filtros.copy()
        for clave, valor in cambios.items():
            pares[clave] = urlencode({clave: "null" if valor is None else str(valor)})
        return f"{ruta}?{'&'.join(pares.values())}"


def enlace_a(nombre: str, consulta: str, **cambios) -> str:
    """One link, for callers that draw few (see `Enlaces`)."""
    return Enlaces(consulta)(nombre, **cambios)


@register.simple_tag(takes_context=True)
def enlace(context, nombre: str, consulta: str, **cambios) -> str:
    # One `Enlaces` per rendering and query string: the itinerary draws dozens of links.
    enlaces = context.render_context.setdefault(("tablero:enlaces", consulta), Enlaces(consulta))
    return enlaces(nombre, **cambios)


@register.simple_tag(takes_context=True)
def filtros(context, accion: str, *, con_periodo: bool) -> SafeString:
    """The filter form of a page (tablero/_filtros.html), kept under the catalog version.

    It depends only on the page, the parameters and the catalogs it offers (years, ministerios,
    tipos, regiones), so a write to an informe leaves it cached.
    """
    parametros = context["parametros"]

    def dibujar() -> str:
        plantilla = context.template.engine.get_template("tablero/_filtros.html")
        with context.push(accion=accion, con_periodo=con_periodo):
            return str(plantilla.render(context))

    return mark_safe(
        cache.del_catalogo("filtros", dibujar, accion, str(con_periodo), parametros.urlencode())
    )


@register.filter
def porcentaje(valor) -> str:
    """A share as «42,5 %», or «—» when there is nothing to divide."""
    return formato.porcentaje(valor)


@register.filter
def estado_informe(valor: str | None) -> str:
    return EstadoRevision(valor).label if valor else "Sin informe"
