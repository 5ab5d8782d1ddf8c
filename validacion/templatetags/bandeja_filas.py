"""The review queue's rows, drawn in Python.

The queue shows up to 50 informes and 50 formulaciones, seven cells each; through the template
engine (per-variable lookups, filters, escaping) their rows took about a third of the page's
server time. The markup is the one templates/validacion/bandeja.html had (a test renders both).
"""

from collections.abc import Iterable

from django import template
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timesince import timesince

from compromisos.models import EstadoRevision
from compromisos.templatetags.srm_formato import estado, url_id

register = template.Library()

ESPERANDO = (EstadoRevision.ENVIADO, EstadoRevision.EN_REVISION)


def _catalogos(fila) -> str:
    texto = f"{escape(fila.tipo)} · {escape(fila.ministerio)}"
    if fila.region:
        texto += f" · {escape(fila.region)}"
    return texto


def _enviado(momento) -> str:
    # strftime gives what the «d-m-Y H:i» date format gives, without its per-character parser.
    return timezone.localtime(momento).strftime("%d-%m-%Y %H:%M") if momento else "—"


def _fila(fila, *, marcar: str, enlace: str, tras_enlace="") -> str:
    esperando = escape(timesince(fila.momento)) if fila.estado in ESPERANDO else "—"
    return (
        f"<tr>{marcar}"
        f'<td>{escape(fila.servicio)}<div class="small text-body-secondary">'
        f"{_catalogos(fila)}</div></td>"
        f"<td>{enlace}{tras_enlace}</td>"
        f"<td>{_enviado(fila.momento)}</td>"
        f"<td>{esperando}</td>"
        f'<td class="text-end">{fila.abiertas}</td>'
        f"<td>{estado(fila)}</td></tr>\n"
    )


@register.simple_tag
def filas_informes(informes: Iterable, puede_tomar: bool) -> SafeString:
    """The queue's informes (validacion.selectors.FilaBandeja)."""
    filas = []
    for informe in informes:
        marcar = ""
        if puede_tomar:
            casilla = (
                '<input class="form-check-input" type="checkbox" name="informes" '
                f'value="{informe.pk}" id="marcar-{informe.pk}" aria-label="Marcar '
                f'{escape(informe.periodo.lower())} de {escape(informe.servicio)}">'
                if informe.estado == EstadoRevision.ENVIADO
                else ""
            )
            marcar = f"<td>{casilla}</td>"
        enlace = (
            f'<a href="{escape(url_id("validacion:informe_revisar", informe.pk))}">'
            f"{escape(informe.periodo)} {informe.anio}</a>"
        )
        filas.append(
            _fila(
                informe,
                marcar=marcar,
                enlace=enlace,
                tras_enlace=' <span class="badge text-bg-danger">Fuera de plazo</span>'
                if informe.atrasado
                else "",
            )
        )
    return mark_safe("".join(filas))


@register.simple_tag
def filas_formulaciones(formulaciones: Iterable, puede_tomar: bool) -> SafeString:
    """The queue's formulaciones (validacion.selectors.FilaBandeja)."""
    filas = []
    for formulacion in formulaciones:
        marcar = ""
        if puede_tomar:
            casilla = (
                '<input class="form-check-input" type="checkbox" name="formulaciones" '
                f'value="{formulacion.pk}" id="marcar-formulacion-{formulacion.pk}" '
                f'aria-label="Marcar formulación {formulacion.anio} de '
                f'{escape(formulacion.servicio)}">'
                if formulacion.estado == EstadoRevision.ENVIADO
                else ""
            )
            marcar = f"<td>{casilla}</td>"
        enlace = (
            f'<a href="{escape(url_id("validacion:formulacion_revisar", formulacion.pk))}">'
            f"Formulación {formulacion.anio}</a>"
        )
        filas.append(_fila(formulacion, marcar=marcar, enlace=enlace))
    return mark_safe("".join(filas))
