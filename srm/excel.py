"""Excel output shared by the reports and the tablero: openpyxl in write-only mode, typed cells,
frozen header, autofilter, widths, print setup (landscape, fit to width, header repeated).

Every sheet opens with a letterhead (Membrete): what the file is, its year, periodo, filters and
when it was generated, so that a filtered copy can never pass for the national figure. The file
name says the same (Membrete.nombre_archivo).

Every text cell is written as a string: openpyxl would store text starting with "=" as a live
formula, and a spreadsheet then evaluates it. Text starting with +, - or @ is stored as a string
cell too, which no spreadsheet re-parses.
"""

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

from django.utils import timezone
from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import IllegalCharacterError

FORMATO_FECHA = "DD-MM-YYYY"
FORMATO_FECHA_HORA = "DD-MM-YYYY HH:MM"
FORMATO_PORCENTAJE = "0%"
FORMATO_PORCENTAJE_DECIMAL = "0.0%"
FORMATO_ENTERO = "#,##0"
FORMATO_DECIMAL = "#,##0.00"
# A share of 100 (42.5) with the one decimal the pages show for shares and means.
FORMATO_UN_DECIMAL = "#,##0.0"


@dataclass(frozen=True)
class Columna:
    titulo: str
    ancho: int = 14
    # texto | entero | decimal | un_decimal (a share of 100, 42.5) | porcentaje (a fraction,
    # 0.5 = 50 %) | fecha | fecha_hora
    tipo: str = "texto"


FORMATOS = {
    "entero": FORMATO_ENTERO,
    "decimal": FORMATO_DECIMAL,
    "un_decimal": FORMATO_UN_DECIMAL,
    "porcentaje": FORMATO_PORCENTAJE_DECIMAL,
    "fecha": FORMATO_FECHA,
    "fecha_hora": FORMATO_FECHA_HORA,
}

_TITULO_FUENTE = Font(bold=True, size=13)
_ENCABEZADO_FUENTE = Font(bold=True, color="FFFFFF")
_ENCABEZADO_FONDO = PatternFill("solid", fgColor="1F3A5F")
_ENCABEZADO_ALINEACION = Alignment(wrap_text=True, vertical="center")


SIN_FILTROS = "ninguno (todos los servicios)"
# Rows of every sheet: the letterhead's four lines, a blank row, then the column headers.
LINEAS_MEMBRETE = 4
FILA_ENCABEZADO = LINEAS_MEMBRETE + 2


@dataclass(frozen=True)
class Membrete:
    """What a spreadsheet is: its title, year, periodo, filters and generation time."""

    titulo: str
    # None: every year (e.g. the event log without a year chosen).
    anio: int | None
    # The periodo in words ("Informe de avance 1"); empty: the whole year.
    periodo: str = ""
    # Each filter in words ("Ministerio del Interior"); none: every servicio.
    filtros: tuple[str, ...] = ()
    generado_en: datetime.datetime | None = None

    @property
    def momento(self) -> datetime.datetime:
        return timezone.localtime(self.generado_en or timezone.now())

    def lineas(self) -> list[str]:
        return [
            f"{self.titulo} · SRM, SUBDERE",
            f"Año: {self.anio or 'todos'} · Periodo: {self.periodo or 'todo el año'}",
            f"Filtros: {' · '.join(self.filtros) if self.filtros else SIN_FILTROS}",
            f"Generado el {self.momento:%d-%m-%Y %H:%M} (hora de Chile)",
        ]

    def nombre_archivo(self, base: str, extension: str = "xlsx") -> str:
        """base_año[_periodo][_filtros]_AAAAMMDD-HHMM.extension: the name says what it holds."""
        partes = [base, str(self.anio or "todos-los-anios")]
        if self.periodo:
            partes.append(slugify(self.periodo))
        if self.filtros:
            partes.append(slugify(" ".join(self.filtros))[:80])
        partes.append(f"{self.momento:%Y%m%d-%H%M}")
        return "_".join(partes) + f".{extension}"


class LibroExcel:
    """A write-only workbook: add sheets with typed columns, then save to a file object."""

    def __init__(self, membrete: Membrete) -> None:
        self.libro = Workbook(write_only=True)
        self.membrete = membrete
        # Stamped once: every sheet of the file states the same generation time.
        self.lineas = membrete.lineas()

    def hoja(self, titulo: str, columnas: list[Columna], filas: Iterable[Iterable[Any]]) -> int:
        """Write one sheet (letterhead, header, rows); returns the number of data rows."""
        hoja = self.libro.create_sheet(title=titulo[:31])
        for indice, columna in enumerate(columnas, start=1):
            hoja.column_dimensions[get_column_letter(indice)].width = columna.ancho
        # The letterhead, a blank row, then the header: frozen, filtered, printed on every page.
        fila_encabezado = FILA_ENCABEZADO
        hoja.freeze_panes = f"A{fila_encabezado + 1}"
        _preparar_impresion(hoja, fila_encabezado)
        for numero, linea in enumerate(self.lineas):
            celda = WriteOnlyCell(hoja, value=linea)
            if numero == 0:
                celda.font = _TITULO_FUENTE
            hoja.append([celda])
        hoja.append([])
        hoja.append([_encabezado(hoja, columna.titulo) for columna in columnas])
        # One converter per column, chosen once: the sheets run to tens of thousands of rows.
        # The data rows' cells are made by _Celdas, which also converts each value.
        hoja._values_to_row = _Celdas(hoja, [FORMATOS.get(c.tipo) for c in columnas])
        total = 0
        for fila in filas:
            hoja.append(fila)
            total += 1
        ultima = get_column_letter(len(columnas))
        hoja.auto_filter.ref = f"A{fila_encabezado}:{ultima}{fila_encabezado + total}"
        return total

    def guardar(self, destino: IO[bytes]) -> None:
        self.libro.save(destino)


def _preparar_impresion(hoja: Any, fila_encabezado: int) -> None:
    """Landscape, as wide as one page (as many pages down as it takes), header on every page.
    Set before the first row: write-only mode writes the sheet properties with it."""
    hoja.page_setup.orientation = "landscape"
    hoja.page_setup.fitToWidth = 1
    hoja.page_setup.fitToHeight = 0
    hoja.sheet_properties.pageSetUpPr.fitToPage = True
    hoja.print_title_rows = f"{fila_encabezado}:{fila_encabezado}"


def _encabezado(hoja: Any, titulo: str) -> WriteOnlyCell:
    celda = WriteOnlyCell(hoja, value=titulo)
    celda.font = _ENCABEZADO_FUENTE
    celda.fill = _ENCABEZADO_FONDO
    celda.alignment = _ENCABEZADO_ALINEACION
    return celda


class _Celdas:
    """Replaces the write-only sheet's `_values_to_row` for the data rows: each value converted
    (time zone, Decimal, Sí/No) and put in one reusable cell per column, its number format set
    once.

    openpyxl's own takes a formatted value only as a cell of its own (a new `WriteOnlyCell`, an
    exception caught to recognise it, and a fresh cell after it because it carries a style):
    two cells and an exception per formatted value, a fifth of the planilla's time; converting
    each value in a function of its own cost another tenth. The writer consumes each cell
    before the next is asked for, as with openpyxl's single reused cell.
    """

    def __init__(self, hoja: Any, formatos: list[str | None]) -> None:
        self.hoja = hoja
        self.zona = timezone.get_current_timezone()
        self.celdas = []
        for formato in formatos:
            celda = WriteOnlyCell(hoja)
            if formato is not None:
                celda.number_format = formato
            self.celdas.append(celda)
        self.con_estilo = [formato is not None for formato in formatos]

    def __call__(self, valores: Iterable[Any], fila: int) -> Iterator[WriteOnlyCell]:
        valores = list(valores)
        celdas, con_estilo = self.celdas, self.con_estilo
        if len(valores) != len(celdas):
            raise ValueError(f"La fila {fila} tiene {len(valores)} valores y no {len(celdas)}.")
        for indice, valor in enumerate(valores):
            if valor is None or valor == "":
                continue
            tipo = type(valor)
            if tipo is datetime.datetime:
                if valor.tzinfo is not None:
                    # Excel has no time zones: the local (Chilean) time seen on screen.
                    valor = valor.astimezone(self.zona).replace(tzinfo=None)
            elif tipo is Decimal:
                valor = float(valor)
            elif tipo is bool and not con_estilo[indice]:
                valor = "Sí" if valor else "No"
            celda = celdas[indice]
            try:
                celda.value = valor
            except IllegalCharacterError:
                # Control characters pasted from other programs: no spreadsheet may hold them.
                valor = ILLEGAL_CHARACTERS_RE.sub("", valor)
                if not valor:
                    continue
                celda.value = valor
            if celda.data_type == "f":
                # Text that starts like a formula stays text (see the module's docstring).
                celda.data_type = "s"
            celda.column = indice + 1
            celda.row = fila
            yield celda
            if not con_estilo[indice] and celda.has_style:
                # openpyxl gave a date in a text column a date format: don't carry it on.
                celdas[indice] = WriteOnlyCell(self.hoja)
