"""The tracker's grid, drawn in Python.

It has a cell per servicio and followed hito (150 × 5 in a full year); through the template
engine the grid alone took several times the server time of a whole ordinary page.
"""

from django import template
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

register = template.Library()


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
                reverse("compromisos:formulacion_detalle", args=[fila["formulacion"].pk]),
                fila["servicio"].nombre,
                fila["servicio"].tipo,
                _celdas(fila["celdas"]),
            )
            for fila in filas
        ),
    )
