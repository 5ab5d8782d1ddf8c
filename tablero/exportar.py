"""Excel copies of what the tablero shows, written by srm.excel as the reports are."""

import datetime
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.db.models import Model
from django.http import HttpResponse
from django.utils import timezone

from srm.excel import Columna, LibroExcel, Membrete

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
        if tipo == "decimal" and ("%" in encabezado or encabezado == "Porcentaje"):
            # Shares and means of 100, with the one decimal the tablero shows (srm/formato.py).
            tipo = "un_decimal"
        ancho = max([len(encabezado), *(len(str(valor)) for valor in valores[:200])])
        columnas.append(Columna(encabezado, ancho=min(60, ancho + 2), tipo=tipo))
    return columnas


def membrete(titulo: str, filtro, alcance, *otros) -> Membrete:
    """The year, periodo and every filter chosen (the tablero's and a list's own), in words."""
    periodos = dict(filtro.filters["periodo"].extra["choices"])
    return Membrete(
        titulo=titulo,
        anio=alcance.proceso.anio,
        periodo=periodos.get(alcance.periodo, ""),
        filtros=tuple(texto for f in (filtro, *otros) for texto in _elegidos(f)),
        generado_en=timezone.now(),
    )


def _elegidos(filtro) -> list[str]:
    """'Campo: valor' for each filter with a value (año and periodo go in their own line)."""
    if not filtro.is_valid():
        return []
    elegidos = []
    for nombre, valor in filtro.form.cleaned_data.items():
        if nombre in ("anio", "periodo") or valor in (None, "", []):
            continue
        campo = filtro.form.fields[nombre]
        if isinstance(valor, Model):
            texto = str(valor)
        elif valor == "null" and getattr(campo, "null_label", None):
            texto = campo.null_label
        else:
            texto = str(dict(getattr(campo, "choices", [])).get(valor, valor))
        elegidos.append(f"{campo.label}: {texto}")
    return elegidos


def libro(
    hojas: list[tuple[str, Sequence[str], Iterable[Sequence[Any]]]], membrete: Membrete
) -> LibroExcel:
    resultado = LibroExcel(membrete)
    for titulo, encabezados, filas in hojas:
        # The tablero's sheets hold at most one row per servicio or compromiso of a year.
        filas = [list(fila) for fila in filas]
        resultado.hoja(titulo, _columnas(encabezados, filas), filas)
    return resultado


def respuesta(resultado: LibroExcel, base: str) -> HttpResponse:
    """The file, named after what it holds: base_año_periodo[_filtros]_momento.xlsx."""
    contenido = io.BytesIO()
    resultado.guardar(contenido)
    http = HttpResponse(contenido.getvalue(), content_type=TIPO_XLSX)
    nombre = resultado.membrete.nombre_archivo(base)
    http["Content-Disposition"] = f'attachment; filename="{nombre}"'
    return http


def hoja_filtros(filtro, alcance) -> tuple[str, list[str], list[list[Any]]]:
    """The filters of the view, so a printed or sent copy says what it counts."""
    datos = filtro.form.cleaned_data if filtro.is_valid() else {}
    return (
        "Filtros",
        ["Filtro", "Valor"],
        [
            ["Año", alcance.proceso.anio],
            ["Periodo", dict(filtro.form.fields["periodo"].choices)[alcance.periodo]],
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
