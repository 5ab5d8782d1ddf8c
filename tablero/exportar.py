"""Excel copies of what the tablero shows: typed cells, a frozen header and an autofilter."""

import datetime
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

# A spreadsheet runs a cell that starts with one of these as a formula (CSV/formula injection).
INICIOS_DE_FORMULA = ("=", "+", "-", "@", "\t", "\r")
TIPO_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def celda(valor: Any) -> Any:
    """A value as a typed cell: numbers and dates stay so; text never becomes a formula."""
    if isinstance(valor, str):
        return "'" + valor if valor.startswith(INICIOS_DE_FORMULA) else valor
    if isinstance(valor, datetime.datetime):
        # Excel has no time zones: write the local wall-clock time.
        return timezone.localtime(valor).replace(tzinfo=None) if timezone.is_aware(valor) else valor
    return valor


FORMATOS = {datetime.datetime: "DD-MM-YYYY HH:MM", datetime.date: "DD-MM-YYYY", float: "0.0"}


def agregar_hoja(
    libro: Workbook, titulo: str, encabezados: Sequence[str], filas: Iterable[Sequence[Any]]
) -> None:
    hoja = libro.create_sheet(titulo[:31])
    hoja.append(list(encabezados))
    for columna in range(1, len(encabezados) + 1):
        hoja.cell(row=1, column=columna).font = Font(bold=True)
    for fila in filas:
        hoja.append([celda(valor) for valor in fila])
        for columna, valor in enumerate(fila, start=1):
            formato = next((f for t, f in FORMATOS.items() if isinstance(valor, t)), None)
            if formato:
                hoja.cell(row=hoja.max_row, column=columna).number_format = formato
    hoja.freeze_panes = "A2"
    hoja.auto_filter.ref = f"A1:{get_column_letter(len(encabezados))}{max(hoja.max_row, 1)}"
    for columna, encabezado in enumerate(encabezados, start=1):
        ancho = max(
            [len(str(encabezado))]
            + [len(str(c.value)) for c in hoja[get_column_letter(columna)][1:200] if c.value]
        )
        hoja.column_dimensions[get_column_letter(columna)].width = min(60, ancho + 2)


def libro(hojas: list[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]) -> Workbook:
    resultado = Workbook()
    resultado.remove(resultado.active)
    for titulo, encabezados, filas in hojas:
        agregar_hoja(resultado, titulo, encabezados, filas)
    return resultado


def respuesta(resultado: Workbook, nombre: str) -> HttpResponse:
    contenido = io.BytesIO()
    resultado.save(contenido)
    http = HttpResponse(contenido.getvalue(), content_type=TIPO_XLSX)
    http["Content-Disposition"] = f'attachment; filename="{nombre}.xlsx"'
    return http


def hoja_filtros(filtro, alcance) -> tuple[str, list[str], list[list[Any]]]:
    """The filters of the view, so a printed or sent copy says what it counts."""
    datos = filtro.form.cleaned_data if filtro.is_valid() else {}
    return (
        "Filtros",
        ["Filtro", "Valor"],
        [
            ["Año", alcance.proceso.anio],
            ["Periodo", dict(filtro.filters["periodo"].extra["choices"])[alcance.periodo]],
            ["Ministerio", str(datos.get("ministerio") or "Todos")],
            ["Tipo de servicio", str(datos.get("tipo") or "Todos")],
            ["Región", _region(datos.get("region"))],
            ["Generado", timezone.now()],
        ],
    )


def _region(valor) -> str:
    if valor is None:
        return "Todas"
    return "Alcance nacional" if valor == "null" else str(valor)
