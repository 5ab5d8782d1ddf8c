"""The tablero's repeated tables, drawn in Python.

A full year's tablero has about 150 table rows beside its charts and the tracker a cell per
servicio and hito (150 × 5). Through the template engine, with its per-variable lookups and
escaping, they took several times the server time of a whole ordinary page; format_html
escapes the same way at a fraction of the cost. The markup is the one the templates had.
"""

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import capfirst

from tablero.templatetags.tablero_enlaces import porcentaje

register = template.Library()


def _tabla(titulo: str, encabezados: SafeString, filas: SafeString) -> SafeString:
    return format_html(
        '<table class="table table-sm bg-white mb-0">'
        '<caption class="caption-top small text-body-secondary">{}</caption>'
        "<thead><tr>{}</tr></thead><tbody>\n{}\n</tbody></table>",
        titulo,
        encabezados,
        filas,
    )


@register.simple_tag
def tabla_cifras(grafico: dict, titulo: str, encabezado: str) -> SafeString:
    """The numbers of one chart as a table, each linking to the list behind it."""
    unidad = grafico["unidad"]
    return _tabla(
        titulo,
        format_html(
            '<th scope="col">{}</th><th scope="col" class="text-end">{}</th>',
            encabezado,
            capfirst(unidad),
        ),
        format_html_join(
            "\n",
            '<tr><th scope="row" class="fw-normal">{}</th><td class="text-end"><a href="{}" '
            'aria-label="{} {}: {} (ver lista)">{}</a></td></tr>',
            (
                (f["nombre"], f["enlace"], f["valor"], unidad, f["nombre"], f["valor"])
                for f in grafico["filas"]
            ),
        ),
    )


@register.simple_tag
def tabla_avance(grafico: dict, titulo: str, encabezado: str) -> SafeString:
    """Servicios and mean progress of each group, the count linking to its servicios."""
    filas = format_html_join(
        "\n",
        '<tr><th scope="row" class="fw-normal">{}</th><td class="text-end"><a href="{}" '
        'aria-label="{} servicios: {} (ver lista)">{}</a></td><td class="text-end">{}</td></tr>',
        (
            (
                f["nombre"],
                f["enlace"],
                f["servicios"],
                f["nombre"],
                f["servicios"],
                porcentaje(f["valor"]),
            )
            for f in grafico["filas"]
        ),
    ) or format_html('<tr><td colspan="3">Ningún servicio coincide con el filtro.</td></tr>')
    return _tabla(
        titulo,
        format_html(
            '<th scope="col">{}</th><th scope="col" class="text-end">Servicios</th>'
            '<th scope="col" class="text-end">Avance promedio</th>',
            encabezado,
        ),
        filas,
    )


def _celdas(celdas: list[dict]) -> SafeString:
    return format_html_join(
        "",
        '<td class="srm-situacion srm-situacion-{}"><span class="fw-semibold">{}</span>'
        '<div class="small">{}</div></td>',
        ((celda["situacion"], celda["nombre"], celda["detalle"]) for celda in celdas),
    )


@register.simple_tag
def filas_seguimiento(filas: list[dict]) -> SafeString:
    """One row per servicio (selectors.seguimiento): its name, linked to its formulación, and
    its cells."""
    return format_html_join(
        "\n",
        '<tr><th scope="row" class="fw-normal"><a href="{}">{}</a>'
        '<div class="small text-body-secondary">{}</div></th>{}</tr>',
        (
            (
                reverse("compromisos:formulacion_detalle", args=[fila["formulacion_id"]]),
                fila["servicio"],
                fila["tipo"],
                _celdas(fila["celdas"]),
            )
            for fila in filas
        ),
    )
