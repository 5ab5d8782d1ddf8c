"""Charts for the PDF reports, drawn on the server as inline SVG (a PDF runs no JavaScript).

Each function returns SVG markup with a <title> and the figures written beside the bars, so the
numbers can be read without the colours.
"""

from collections.abc import Sequence

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from srm import formato

# Colour-blind-safe palette (Okabe–Ito), in the order states and results are listed.
PALETA = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#999999"]

# Presentation attributes, not CSS: WeasyPrint reads these on SVG text.
_TEXTO = mark_safe('font-family="DejaVu Sans, sans-serif" font-size="9" fill="#1b1b1b"')


def barras_horizontales(
    datos: Sequence[tuple[str, float | None]],
    *,
    titulo: str,
    maximo: float = 100.0,
    unidad: str = "%",
    ancho: int = 480,
) -> SafeString:
    """One bar per label, e.g. mean progress by ministerio (None: no data)."""
    alto_fila, margen_etiqueta, margen_valor = 16, 190, 40
    alto = alto_fila * len(datos) + 8
    largo_util = ancho - margen_etiqueta - margen_valor
    partes = [_abrir_svg(ancho, alto, titulo)]
    for indice, (etiqueta, valor) in enumerate(datos):
        y = 4 + indice * alto_fila
        largo = 0 if not valor or not maximo else max(1.0, largo_util * min(valor, maximo) / maximo)
        if valor is None:
            texto_valor = "s/d"
        elif unidad == "%":
            texto_valor = formato.porcentaje(valor)
        else:
            texto_valor = f"{formato.numero(valor)} {unidad}".rstrip()
        partes.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" {}>{}</text>'
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>'
                '<text x="{}" y="{}" {}>{}</text>',
                margen_etiqueta - 6,
                y + 11,
                _TEXTO,
                _recortar(etiqueta, 34),
                margen_etiqueta,
                y + 2,
                _n(largo),
                alto_fila - 5,
                PALETA[0],
                _n(margen_etiqueta + largo + 4),
                y + 11,
                _TEXTO,
                texto_valor,
            )
        )
    partes.append(mark_safe("</svg>"))
    return mark_safe("".join(partes))


def barras_apiladas(
    filas: Sequence[tuple[str, Sequence[int]]],
    *,
    series: Sequence[str],
    titulo: str,
    ancho: int = 480,
) -> SafeString:
    """One 100 % bar per row split by series, e.g. informes by state for each periodo."""
    alto_fila, margen_etiqueta = 22, 130
    alto_leyenda = 16 * ((len(series) + 2) // 3)
    alto = alto_fila * len(filas) + alto_leyenda + 12
    largo_util = ancho - margen_etiqueta - 10
    partes = [_abrir_svg(ancho, alto, titulo)]
    for indice, (etiqueta, valores) in enumerate(filas):
        y = 4 + indice * alto_fila
        partes.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" {}>{}</text>',
                margen_etiqueta - 6,
                y + 13,
                _TEXTO,
                _recortar(etiqueta, 24),
            )
        )
        total = sum(valores)
        x = float(margen_etiqueta)
        for serie, valor in enumerate(valores):
            if not total or not valor:
                continue
            largo = largo_util * valor / total
            partes.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>',
                    _n(x),
                    y + 2,
                    _n(largo),
                    alto_fila - 6,
                    PALETA[serie % len(PALETA)],
                )
            )
            if largo > 16:
                partes.append(
                    format_html(
                        '<text x="{}" y="{}" text-anchor="middle" '
                        'font-family="DejaVu Sans, sans-serif" font-size="8" fill="#fff">'
                        "{}</text>",
                        _n(x + largo / 2),
                        y + 13,
                        formato.numero(valor),
                    )
                )
            x += largo
        if not total:
            partes.append(
                format_html(
                    '<text x="{}" y="{}" {}>sin informes</text>',
                    margen_etiqueta,
                    y + 13,
                    _TEXTO,
                )
            )
    partes.append(_leyenda(series, y=alto_fila * len(filas) + 10, ancho=ancho))
    partes.append(mark_safe("</svg>"))
    return mark_safe("".join(partes))


def _abrir_svg(ancho: int, alto: int, titulo: str) -> SafeString:
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" width="{}" height="{}" viewBox="0 0 {} {}" '
        'role="img" aria-label="{}"><title>{}</title>',
        ancho,
        alto,
        ancho,
        alto,
        titulo,
        titulo,
    )


def _leyenda(series: Sequence[str], *, y: int, ancho: int) -> SafeString:
    columna = ancho // 3
    partes = []
    for indice, serie in enumerate(series):
        x, fila = 10 + (indice % 3) * columna, y + 16 * (indice // 3)
        partes.append(
            format_html(
                '<rect x="{}" y="{}" width="10" height="10" fill="{}"/>'
                '<text x="{}" y="{}" {}>{}</text>',
                x,
                fila,
                PALETA[indice % len(PALETA)],
                x + 14,
                fila + 9,
                _TEXTO,
                serie,
            )
        )
    return mark_safe("".join(partes))


def _n(valor: float) -> str:
    return f"{valor:.1f}"


def _recortar(texto: str, largo: int) -> str:
    texto = str(texto)
    return texto if len(texto) <= largo else texto[: largo - 1] + "…"


def sin_datos(titulo: str) -> SafeString:
    return format_html('<p class="sin-datos">{}: sin datos.</p>', escape(titulo))
