"""Presentation helpers shared by the SRM's templates."""

from collections.abc import Callable

from django import template
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.safestring import SafeString
from django.utils.timezone import template_localtime

from bitacora import acciones
from compromisos.models import EstadoRevision
from srm import formato, marcado
from srm.marcado import escapar

register = template.Library()

CLASES_ESTADO = {
    EstadoRevision.BORRADOR: "text-bg-secondary",
    EstadoRevision.ENVIADO: "text-bg-primary",
    EstadoRevision.EN_REVISION: "text-bg-info",
    EstadoRevision.OBSERVADO: "text-bg-warning",
    EstadoRevision.APROBADO: "text-bg-success",
    EstadoRevision.CERTIFICADO: "text-bg-success",
    EstadoRevision.NO_CERTIFICADO: "text-bg-danger",
    EstadoRevision.RECIBIDO: "text-bg-success",
}


@register.simple_tag
def estado(objeto) -> str:
    """A badge with the state of a formulación or informe, in words and colour. Drawn in
    Python: an inclusion tag renders a template per row (the queue has a hundred)."""
    return marcado.html(
        '<span class="badge {}">{}</span>',
        CLASES_ESTADO.get(objeto.estado, "text-bg-light"),
        objeto.get_estado_display(),
    )


@register.simple_tag
def opciones_de_anio(procesos, elegido) -> SafeString:
    """The homes' year selector: an <option> per year (a number: nothing to escape), the
    chosen one selected. Drawn in Python: the template's loop cost ~20 µs an option, and the
    homes offer every year (twelve in the demo)."""
    return SafeString(
        "".join(
            f'<option value="{proceso.anio}"'
            f"{' selected' if elegido is not None and proceso.pk == elegido.pk else ''}>"
            f"{proceso.anio}</option>"
            for proceso in procesos
        )
    )


def _fecha(valor) -> str:
    """`|date:"d-m-Y"`: a date, or a moment in the current time zone (as the filter takes it)."""
    return template_localtime(valor).strftime("%d-%m-%Y")


@register.simple_tag
def filas_pendientes(lista) -> SafeString:
    """The rows of inicio/_pendientes.html's table, one per Pendiente (compromisos.selectors),
    as its loop drew them, byte for byte. In Python: a row of the template cost ~0.09 ms of
    CPU, and an analista's home lists a dozen or more."""
    filas = []
    for pendiente in lista:
        if pendiente.plazo:
            plazo = _fecha(pendiente.plazo)
            if pendiente.vencido:
                plazo += ' <span class="badge text-bg-danger">Vencido</span>'
            elif not pendiente.plazo_propio:
                enviado = f"; enviado el {_fecha(pendiente.desde)}" if pendiente.desde else ""
                plazo += (
                    f' <span class="small text-body-secondary">(plazo del servicio{enviado})</span>'
                )
        else:
            plazo = "—"
        filas.append(
            "\n    <tr>\n"
            f"      <td>{escapar(pendiente.anio)}</td>\n"
            f"      <td>{escapar(pendiente.servicio.nombre)}</td>\n"
            f'      <td><a href="{escapar(pendiente.url)}">{escapar(pendiente.documento)}</a></td>\n'
            f"      <td>{escapar(pendiente.que_hacer)}</td>\n"
            f"      <td>{plazo}</td>\n"
            f"      <td>{estado(pendiente.objeto) if pendiente.objeto else '—'}</td>\n"
            "    </tr>\n    "
        )
    return SafeString("".join(filas))


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


@register.inclusion_tag("partials/resumen_errores.html")
def resumen_errores(*formularios) -> dict:
    """The errors of a page's forms and formsets, listed at the top of the page and linked to
    their fields; static/js/errores.js moves the focus to it. Nothing when all are valid."""
    errores: list[tuple[str, str]] = []

    def del_formulario(formulario, fila: str = "") -> None:
        for error in formulario.non_field_errors():
            errores.append((f"{fila}{error}", ""))
        for campo in formulario:
            for error in campo.errors:
                errores.append((f"{fila}{campo.label}: {error}", campo.id_for_label or ""))

    def agregar(formulario, sobre: str = "") -> None:
        fila = f"{sobre} · " if sobre else ""
        if formulario is None or formulario == "":
            return
        if isinstance(formulario, list):
            # Several forms of a page, each as (what it is about, form) or with its `titulo`.
            for elemento in formulario:
                if isinstance(elemento, tuple):
                    agregar(elemento[1], elemento[0])
                else:
                    agregar(elemento, getattr(elemento, "titulo", ""))
        elif hasattr(formulario, "non_form_errors"):
            for error in formulario.non_form_errors():
                errores.append((f"{fila}{error}", ""))
            for numero, una in enumerate(formulario.forms, start=1):
                del_formulario(una, f"{fila}Fila {numero} · ")
        elif formulario.is_bound:
            del_formulario(formulario, fila)

    for formulario in formularios:
        agregar(formulario)
    return {
        "errores": errores,
        "titulo": f"Hay {formato.plural(len(errores), 'dato', 'datos')} por corregir.",
    }


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


def urls_de_id(nombre: str) -> Callable[[int], str]:
    """url_id for the rows of one list: the pattern (and the request's urlconf and script
    prefix, each a context-local lookup) read once, each row's id put in its place."""
    antes, _, despues = url_id(nombre, int(_MARCA)).partition(_MARCA)
    return lambda pk: f"{antes}{int(pk)}{despues}"
