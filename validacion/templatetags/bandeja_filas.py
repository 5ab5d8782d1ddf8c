"""The review queue's rows, drawn in Python.

The queue shows up to 50 informes and 50 formulaciones, seven cells each; through the template
engine (per-variable lookups, filters, escaping) their rows took about a third of the page's
server time. The markup is the one templates/validacion/bandeja.html had (a test renders both).
What is the same for every row of a list (the link's pattern, the time zone, each state's
badge, the current time) is looked up once per list, and values are escaped with
srm.marcado (html.escape, as Django's escape, without its wrapper for lazy strings).
"""

from collections.abc import Callable, Iterable

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.timesince import timesince

from compromisos.models import EstadoRevision
from compromisos.templatetags.srm_formato import estado, urls_de_id
from srm.marcado import escapar

register = template.Library()

ESPERANDO = (EstadoRevision.ENVIADO, EstadoRevision.EN_REVISION)


class _Celdas:
    """What one list's rows share: «now», the time zone and each state's badge."""

    def __init__(self) -> None:
        self.ahora = timezone.now()
        self.zona = timezone.get_current_timezone()
        self.insignias: dict[str, str] = {}

    def fila(self, fila, *, marcar: str, enlace: str, tras_enlace: str = "") -> str:
        momento = fila.momento
        esperando = escapar(timesince(momento, self.ahora)) if fila.estado in ESPERANDO else "—"
        # strftime gives what the «d-m-Y H:i» date format gives, without its per-character
        # parser; astimezone to the current zone is timezone.localtime.
        enviado = momento.astimezone(self.zona).strftime("%d-%m-%Y %H:%M") if momento else "—"
        insignia = self.insignias.get(fila.estado)
        if insignia is None:
            insignia = self.insignias[fila.estado] = estado(fila)
        catalogos = f"{escapar(fila.tipo)} · {escapar(fila.ministerio)}"
        if fila.region:
            catalogos += f" · {escapar(fila.region)}"
        return (
            f"<tr>{marcar}"
            f'<td>{escapar(fila.servicio)}<div class="small text-body-secondary">'
            f"{catalogos}</div></td>"
            f"<td>{enlace}{tras_enlace}</td>"
            f"<td>{enviado}</td>"
            f"<td>{esperando}</td>"
            f'<td class="text-end">{fila.abiertas}</td>'
            f"<td>{insignia}</td></tr>\n"
        )


def _enlace(url: Callable[[int], str], pk: int, texto: str) -> str:
    return f'<a href="{escapar(url(pk))}">{texto}</a>'


@register.simple_tag
def filas_informes(informes: Iterable, puede_tomar: bool) -> SafeString:
    """The queue's informes (validacion.selectors.FilaBandeja)."""
    celdas, url = _Celdas(), urls_de_id("validacion:informe_revisar")
    filas = []
    for informe in informes:
        marcar = ""
        if puede_tomar:
            casilla = (
                '<input class="form-check-input" type="checkbox" name="informes" '
                f'value="{informe.pk}" id="marcar-{informe.pk}" aria-label="Marcar '
                f'{escapar(informe.periodo.lower())} de {escapar(informe.servicio)}">'
                if informe.estado == EstadoRevision.ENVIADO
                else ""
            )
            marcar = f"<td>{casilla}</td>"
        filas.append(
            celdas.fila(
                informe,
                marcar=marcar,
                enlace=_enlace(url, informe.pk, f"{escapar(informe.periodo)} {informe.anio}"),
                tras_enlace=' <span class="badge text-bg-danger">Fuera de plazo</span>'
                if informe.atrasado
                else "",
            )
        )
    return mark_safe("".join(filas))


@register.simple_tag
def filas_formulaciones(formulaciones: Iterable, puede_tomar: bool) -> SafeString:
    """The queue's formulaciones (validacion.selectors.FilaBandeja)."""
    celdas, url = _Celdas(), urls_de_id("validacion:formulacion_revisar")
    filas = []
    for formulacion in formulaciones:
        marcar = ""
        if puede_tomar:
            casilla = (
                '<input class="form-check-input" type="checkbox" name="formulaciones" '
                f'value="{formulacion.pk}" id="marcar-formulacion-{formulacion.pk}" '
                f'aria-label="Marcar formulación {formulacion.anio} de '
                f'{escapar(formulacion.servicio)}">'
                if formulacion.estado == EstadoRevision.ENVIADO
                else ""
            )
            marcar = f"<td>{casilla}</td>"
        filas.append(
            celdas.fila(
                formulacion,
                marcar=marcar,
                enlace=_enlace(url, formulacion.pk, f"Formulación {formulacion.anio}"),
            )
        )
    return mark_safe("".join(filas))
