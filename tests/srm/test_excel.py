import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from openpyxl import load_workbook

from srm.excel import FILA_ENCABEZADO, Columna, LibroExcel, Membrete


def _escribir(tmp_path, columnas, filas):
    libro = LibroExcel(Membrete("Prueba", 2026))
    assert libro.hoja("Datos", columnas, filas) == len(filas)
    destino = tmp_path / "datos.xlsx"
    with destino.open("wb") as archivo:
        libro.guardar(archivo)
    hoja = load_workbook(destino)["Datos"]
    return [list(fila) for fila in hoja.iter_rows(min_row=FILA_ENCABEZADO + 1)]


def test_cada_columna_lleva_su_formato_y_cada_celda_su_valor(tmp_path):
    """The reused cells of each column (srm.excel._Celdas): formats stay with their column,
    values never leak from one row to the next."""
    santiago = ZoneInfo("America/Santiago")
    enviado = datetime.datetime(2026, 3, 2, 15, 30, tzinfo=datetime.UTC)
    filas = [
        ["Osorno", enviado, 1500, Decimal("12.5"), 0.5, True, datetime.date(2026, 4, 1)],
        ["=1+1", None, None, None, None, False, "texto"],
        ["con\x07control", enviado, 7, Decimal("0"), 1, None, None],
        ["\x01\x02", None, 3, None, None, "", "otro"],
    ]
    columnas = [
        Columna("Texto"),
        Columna("Enviado", tipo="fecha_hora"),
        Columna("Cantidad", tipo="entero"),
        Columna("Ponderador", tipo="decimal"),
        Columna("Avance", tipo="porcentaje"),
        Columna("Sí o no"),
        Columna("Libre"),
    ]
    celdas = _escribir(tmp_path, columnas, filas)
    valores = [[c.value for c in fila] for fila in celdas]
    local = enviado.astimezone(santiago).replace(tzinfo=None)
    assert valores[0] == ["Osorno", local, 1500, 12.5, 0.5, "Sí", datetime.datetime(2026, 4, 1)]
    assert valores[1] == ["=1+1", None, None, None, None, "No", "texto"]
    assert valores[2] == ["concontrol", local, 7, 0, 1, None, None]
    assert valores[3] == [None, None, 3, None, None, None, "otro"]
    assert celdas[1][0].data_type == "s"
    assert [c.number_format for c in celdas[0][1:5]] == [
        "DD-MM-YYYY HH:MM",
        "#,##0",
        "#,##0.00",
        "0.0%",
    ]
    assert celdas[2][2].number_format == "#,##0"
    # A date in a text column gets openpyxl's date format; the text after it does not.
    assert celdas[0][6].is_date
    assert celdas[1][6].number_format == "General"
    assert celdas[3][6].number_format == "General"


def test_una_fila_con_otra_cantidad_de_valores_es_un_error():
    import pytest

    libro = LibroExcel(Membrete("Prueba", 2026))
    with pytest.raises(ValueError, match="tiene 1 valores y no 2"):
        libro.hoja("Datos", [Columna("A"), Columna("B")], [["uno"]])
