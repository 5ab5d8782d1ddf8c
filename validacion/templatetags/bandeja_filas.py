"""The review queue's rows, drawn in Python.

The queue shows up to 50 informes and 50 formulaciones, seven cells each; through the template
engine (per-variable lookups, filters, escaping) their rows took about a third of the page's
server time. The markup is the one templates/validacion/bandeja.html had (a test renders both).
"""

from collections.abc import Iterable

from django import template
from django.utils import timezone
from django.utils.dateformat import format as formato_fecha
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timesince import timesince

from compromisos.models import EstadoRevision
from compromisos.templatetags.srm_formato import estado, url_id

register = template.Library()

ESPERANDO = (EstadoRevision.ENVIADO, EstadoRevision.EN_REVISION)


def _catalogos(servicio) -> str:
    texto = f"{escape(servicio.tipo)} · {escape(servicio.ministerio.sigla)}"
    if servicio.region:
        texto += f" · {escape(servicio.region.nombre)}"
    return texto


def _enviado(momento) -> str:
    return formato_fecha(timezone.localtime(momento), "d-m-Y H:i") if momento else "—"


def _esperando(documento, momento) -> str:
    return escape(timesince(momento)) if documento.estado in ESPERANDO else "—"


def _fila(
    *, marcar: str, servicio, enlace: str, momento, documento, abiertas: int, tras_enlace=""
) -> str:
    return (
        f"<tr>{marcar}"
        f'<td>{escape(servicio.nombre)}<div class="small text-body-secondary">'
        f"{_catalogos(servicio)}</div></td>"
        f"<td>{enlace}{tras_enlace}</td>"
        f"<td>{_enviado(momento)}</td>"
        f"<td>{_esperando(documento, momento)}</td>"
        f'<td class="text-end">{abiertas}</td>'
        f"<td>{estado(documento)}</td></tr>\n"
    )


@register.simple_tag
def filas_informes(informes: Iterable, puede_tomar: bool) -> SafeString:
    filas = []
    for informe in informes:
        servicio = informe.formulacion.servicio
        periodo = informe.get_periodo_display()
        marcar = ""
        if puede_tomar:
            casilla = (
                '<input class="form-check-input" type="checkbox" name="informes" '
                f'value="{informe.pk}" id="marcar-{informe.pk}" aria-label="Marcar '
                f'{escape(periodo.lower())} de {escape(servicio.nombre)}">'
                if informe.estado == EstadoRevision.ENVIADO
                else ""
            )
            marcar = f"<td>{casilla}</td>"
        enlace = (
            f'<a href="{escape(url_id("validacion:informe_revisar", informe.pk))}">'
            f"{escape(periodo)} {informe.formulacion.proceso.anio}</a>"
        )
        filas.append(
            _fila(
                marcar=marcar,
                servicio=servicio,
                enlace=enlace,
                tras_enlace=' <span class="badge text-bg-danger">Fuera de plazo</span>'
                if informe.es_atrasado
                else "",
                momento=informe.enviado_en,
                documento=informe,
                abiertas=len(informe.abiertas),
            )
        )
    return mark_safe("".join(filas))


@register.simple_tag
def filas_formulaciones(formulaciones: Iterable, puede_tomar: bool) -> SafeString:
    filas = []
    for formulacion in formulaciones:
        servicio = formulacion.servicio
        anio = formulacion.proceso.anio
        marcar = ""
        if puede_tomar:
            casilla = (
                '<input class="form-check-input" type="checkbox" name="formulaciones" '
                f'value="{formulacion.pk}" id="marcar-formulacion-{formulacion.pk}" '
                f'aria-label="Marcar formulación {anio} de {escape(servicio.nombre)}">'
                if formulacion.estado == EstadoRevision.ENVIADO
                else ""
            )
            marcar = f"<td>{casilla}</td>"
        enlace = (
            f'<a href="{escape(url_id("validacion:formulacion_revisar", formulacion.pk))}">'
            f"Formulación {anio}</a>"
        )
        filas.append(
            _fila(
                marcar=marcar,
                servicio=servicio,
                enlace=enlace,
                momento=formulacion.enviada_en,
                documento=formulacion,
                abiertas=len(formulacion.abiertas),
            )
        )
    return mark_safe("".join(filas))
