"""The tablero's repeated tables, drawn in Python.

A full year's tablero has about 150 table rows beside its charts and the tracker a cell per
servicio and hito (150 × 5). Through the template engine, with its per-variable lookups and
escaping, they took several times the server time of a whole ordinary page; `srm.marcado` escapes
the same way at a fraction of the cost. The markup is the one the templates had.
"""

import json
from collections.abc import Callable, Iterable

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst

from srm import formato, marcado
from tablero.selectors import Situacion
from tablero.templatetags.tablero_enlaces import Enlaces, estado_informe, porcentaje

register = template.Library()


def _tabla(titulo: str, encabezados: SafeString, filas: SafeString) -> SafeString:
    return marcado.html(
        '<table class="table table-sm bg-white mb-0">'
        '<caption class="caption-top small text-body-secondary">{}</caption>'
        "<thead><tr>{}</tr></thead><tbody>\n{}\n</tbody></table>",
        titulo,
        encabezados,
        filas,
    )


@register.filter
def datos_json(valor, id_elemento: str) -> SafeString:
    """Django's json_script, escaping with str.replace: its str.translate took milliseconds on
    the tablero's charts (tens of kilobytes of rows and links)."""
    datos = (
        json.dumps(valor, cls=DjangoJSONEncoder)
        .replace("&", "\\u0026")
        .replace("<", "\\u003C")
        .replace(">", "\\u003E")
    )
    return marcado.html(
        '<script id="{}" type="application/json">{}</script>', id_elemento, mark_safe(datos)
    )


# The unit of a chart's counts (views._graficos), in the singular for a count of one.
SINGULARES = {"servicios": "servicio", "compromisos": "compromiso", "iniciativas": "iniciativa"}


@register.simple_tag
def tabla_cifras(grafico: dict, titulo: str, encabezado: str) -> SafeString:
    """The numbers of one chart as a table, each linking to the list behind it."""
    unidad = grafico["unidad"]
    return _tabla(
        titulo,
        marcado.html(
            '<th scope="col">{}</th><th scope="col" class="text-end">{}</th>',
            encabezado,
            capfirst(unidad),
        ),
        marcado.html_join(
            "\n",
            '<tr><th scope="row" class="fw-normal">{}</th><td class="text-end"><a href="{}" '
            'aria-label="{}: {} (ver lista)">{}</a></td></tr>',
            (
                (
                    f["nombre"],
                    f["enlace"],
                    formato.plural(f["valor"], SINGULARES.get(unidad, unidad), unidad),
                    f["nombre"],
                    formato.numero(f["valor"]),
                )
                for f in grafico["filas"]
            ),
        ),
    )


@register.simple_tag
def tabla_avance(grafico: dict, titulo: str, encabezado: str) -> SafeString:
    """Servicios and mean progress of each group, the count linking to its servicios."""
    filas = marcado.html_join(
        "\n",
        '<tr><th scope="row" class="fw-normal">{}</th><td class="text-end"><a href="{}" '
        'aria-label="{}: {} (ver lista)">{}</a></td><td class="text-end">{}</td></tr>',
        (
            (
                f["nombre"],
                f["enlace"],
                formato.plural(f["servicios"], "servicio", "servicios"),
                f["nombre"],
                formato.numero(f["servicios"]),
                porcentaje(f["valor"]),
            )
            for f in grafico["filas"]
        ),
    ) or mark_safe('<tr><td colspan="3">Ningún servicio coincide con el filtro.</td></tr>')
    return _tabla(
        titulo,
        marcado.html(
            '<th scope="col">{}</th><th scope="col" class="text-end">Servicios</th>'
            '<th scope="col" class="text-end">Avance promedio</th>',
            encabezado,
        ),
        filas,
    )


@register.simple_tag
def tabla_tendencia(grafico: dict, titulo: str) -> SafeString:
    """The trend year by year: servicios and each series' share, the year linking to its
    tablero."""
    return _tabla(
        titulo,
        SafeString(
            '<th scope="col">Año</th><th scope="col" class="text-end">Servicios</th>'
            + "".join(
                marcado.html('<th scope="col" class="text-end">{}</th>', serie)
                for serie in grafico["series"]
            )
        ),
        marcado.html_join(
            "\n",
            '<tr><th scope="row"><a href="{}" aria-label="Tablero {}">{}</a></th>'
            '<td class="text-end">{}</td>{}</tr>',
            (
                (
                    f["enlace"],
                    f["nombre"],
                    f["nombre"],
                    formato.numero(f["servicios"]),
                    SafeString("".join(_celda_de_tendencia(valor) for valor in f["valores"])),
                )
                for f in grafico["filas"]
            ),
        ),
    )


def _celda_de_tendencia(valor: float | None) -> SafeString:
    """A share of the trend, or «sin datos» for a year with nothing to divide (no informe of
    the periodo, no iniciativa): a 0 % there would read as a failure."""
    if valor is None:
        return SafeString('<td class="text-end text-body-secondary">sin datos</td>')
    return marcado.html('<td class="text-end">{}</td>', porcentaje(valor))


def _celdas(celdas: list[dict], dibujadas: dict[int, SafeString]) -> SafeString:
    """A row's cells. Most cells of a column are alike and shared by the rows that have them
    (selectors.seguimiento): each distinct one is escaped and formatted once per grid."""
    partes = []
    for celda in celdas:
        dibujo = dibujadas.get(id(celda))
        if dibujo is None:
            dibujo = dibujadas[id(celda)] = marcado.html(
                '<td class="srm-situacion srm-situacion-{}"><span class="fw-semibold">{}</span>'
                '<div class="small">{}</div></td>',
                celda["situacion"],
                celda["nombre"],
                celda["detalle"],
            )
        partes.append(dibujo)
    return SafeString("".join(partes))


@register.simple_tag
def filas_seguimiento(filas: list[dict]) -> SafeString:
    """One row per servicio (selectors.seguimiento): its name, linked to its formulación, and
    its cells."""
    formulacion_en = ruta_de("compromisos:formulacion_detalle")
    # By id: the cells are held by `filas` for the whole drawing.
    dibujadas: dict[int, SafeString] = {}
    sin_formulacion = mark_safe(' <span class="badge text-bg-danger">Falta formulación</span>')

    def servicio(fila: dict) -> SafeString:
        # A servicio of the universe that never formulated has nothing to link to.
        if fila.get("sin_formulacion"):
            return format_html("{}{}", fila["servicio"], sin_formulacion)
        return format_html(
            '<a href="{}">{}</a>', formulacion_en(fila["formulacion_id"]), fila["servicio"]
        )

    return marcado.html_join(
        "\n",
        '<tr><th scope="row" class="fw-normal">{}'
        '<div class="small text-body-secondary">{}</div></th>{}</tr>',
        (
            (
                servicio(fila),
                fila["tipo"],
                _celdas(fila["celdas"], dibujadas),
            )
            for fila in filas
        ),
    )


def ruta_de(nombre: str) -> Callable[[int], str]:
    """The path of a detail page for any pk, reversed once (a page links to fifty of them)."""
    plantilla = reverse(nombre, args=[_MARCA]).replace(str(_MARCA), "{}")
    return plantilla.format


# A pk no object has, to find where the pk goes in a reversed path.
_MARCA = 987654321


@register.simple_tag
def filas_servicios(formulaciones: Iterable[dict]) -> SafeString:
    """The servicios list: each servicio with its informe of the periodo (rows of
    situacion_del_periodo, views.COLUMNAS_SERVICIOS)."""
    formulacion_en = ruta_de("compromisos:formulacion_detalle")
    informe_en = ruta_de("compromisos:informe_detalle")
    atrasado = mark_safe(' <span class="badge text-bg-danger">Fuera de plazo</span>')

    def fila(f: dict) -> SafeString:
        informe = (
            marcado.html(
                '<a href="{}">{}</a>',
                informe_en(f["informe_id"]),
                estado_informe(f["informe_estado"]),
            )
            if f["informe_id"]
            else "Sin informe"
        )
        return marcado.html(
            '<tr><td><a href="{}">{}</a><div class="small text-body-secondary">{} · {} · {}</div>'
            '</td><td>{}</td><td>{}{}</td><td class="text-end">{}</td>'
            '<td class="text-end">{}</td></tr>',
            formulacion_en(f["pk"]),
            f["servicio__nombre"],
            f["servicio__tipo__nombre"],
            f["servicio__ministerio__sigla"],
            f["servicio__region__nombre"] or "Alcance nacional",
            informe,
            formato.fecha(f["informe_enviado_en"]),
            atrasado if f["informe_es_atrasado"] else "",
            porcentaje(f["avance_promedio"]),
            formato.numero(f["observaciones_pendientes"]),
        )

    return _filas(map(fila, formulaciones), 5, "Ningún servicio coincide con el filtro.")


@register.simple_tag
def filas_compromisos(compromisos: Iterable) -> SafeString:
    """The compromisos list: servicio, code and name, classification and verdict."""
    formulacion_en = ruta_de("compromisos:formulacion_detalle")

    def fila(c) -> SafeString:
        validacion = getattr(c, "validacion", None)
        return marcado.html(
            '<tr><td>{}</td><td><a href="{}">{}</a> {}</td><td>{}</td><td>{}</td><td>{}</td>'
            "<td>{}</td></tr>",
            c.formulacion.servicio.nombre,
            formulacion_en(c.formulacion_id),
            c.codigo,
            c.nombre,
            c.get_tipo_medida_display(),
            c.get_complejidad_display(),
            c.get_ambito_display(),
            validacion.get_resultado_display() if validacion else "Sin validar",
        )

    return _filas(map(fila, compromisos), 6, "Ningún compromiso coincide con el filtro.")


def _filas(filas: Iterable[SafeString], columnas: int, vacio: str) -> SafeString:
    filas_html = mark_safe("\n".join(filas))
    return filas_html or marcado.html('<tr><td colspan="{}">{}</td></tr>', columnas, vacio)


@register.simple_tag
def filas_itinerario(hitos: list, consulta: str, anio: int) -> SafeString:
    """The year's calendar (selectors.calendario_con_cumplimiento): each hito with its dates,
    the kinds it applies to and, if the SRM follows it, its servicios by situation, each
    count linking to them."""
    enlace = Enlaces(consulta)
    situaciones = [(v, n) for v, n in Situacion.choices if v != Situacion.NO_APLICA]

    def conteos(hito) -> SafeString:
        if not hito.es_seguido:
            return mark_safe('<td class="text-end">—</td>' * len(situaciones))
        return marcado.html_join(
            "",
            '<td class="text-end"><a href="{}" aria-label="{} {}: {}">{}</a></td>',
            (
                (
                    enlace("tablero:seguimiento", etapa=hito.clave, situacion=valor, hito=hito.pk),
                    formato.plural(hito.conteos[valor], "servicio", "servicios"),
                    nombre.lower(),
                    hito.nombre,
                    formato.numero(hito.conteos[valor]),
                )
                for valor, nombre in situaciones
            ),
        )

    def fila(hito) -> SafeString:
        tipos = ", ".join(tipo.nombre for tipo in hito.tipos_servicio.all()) or "Todos"
        return marcado.html(
            '<tr{}><th scope="row" class="fw-normal">{}<div class="small text-body-secondary">'
            '{}</div></th><td>{}</td><td>{}</td><td class="small">{}</td>{}</tr>',
            mark_safe(' class="table-warning"') if hito.vence_pronto else "",
            hito.nombre,
            # The deliverable it is the deadline of (issue 16), else its etapa.
            f"Plazo de: {hito.entregable.nombre}"
            if hito.entregable_id
            else hito.get_etapa_display(),
            formato.fecha(hito.fecha_inicio),
            formato.fecha(hito.fecha_limite),
            tipos,
            conteos(hito),
        )

    return _filas(
        map(fila, hitos),
        8,
        f"El calendario {anio} aún no tiene hitos. La administración los crea o copia los del "
        "año anterior.",
    )
