"""Excel copies of what the tablero shows, written by srm.excel as the reports are."""

import datetime
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils import timezone

from srm.excel import Columna, LibroExcel

TIPO_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Column types by the class of their values, in order: a datetime is a date too, a bool an int.
TIPOS = [
    (datetime.datetime, "fecha_hora"),
    (datetime.date, "fecha"),
    (bool, "texto"),
    (int, "entero"),
    (float | Decimal, "decimal"),
]


def _tipo(valores: list[Any]) -> str:
    """A number or date format where every value has it; text (never a formula) otherwise."""
    for clase, nombre in TIPOS:
        if valores and all(isinstance(valor, clase) for valor in valores):
            return nombre
    return "texto"


def _columnas(encabezados: Sequence[str], filas: list[Sequence[Any]]) -> list[Columna]:
    """Each column typed by its values and as wide as its longest (within reason)."""
    columnas = []
    for indice, encabezado in enumerate(encabezados):
        valores = [fila[indice] for fila in filas if fila[indice] not in (None, "")]
        tipo = _tipo(valores)
        ancho = max([len(encabezado), *(len(str(valor)) for valor in valores[:200])])
        columnas.append(Columna(encabezado, ancho=min(60, ancho + 2), tipo=tipo))
    return columnas


def libro(hojas: list[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]) -> LibroExcel:
    resultado = LibroExcel()
    for titulo, encabezados, filas in hojas:
        # The tablero's sheets hold at most one row per servicio or compromiso of a year.
        filas = [list(fila) for fila in filas]
        resultado.hoja(titulo, _columnas(encabezados, filas), filas)
    return resultado


def respuesta(resultado: LibroExcel, nombre: str) -> HttpResponse:
    contenido = io.BytesIO()
    resultado.guardar(contenido)
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
