"""DIPRES's results of the sistemas other than Descentralización, imported from a spreadsheet.

The planilla has a header row with «Servicio», «Sistema» and «Resultado» (cumple / no cumple)
and one row per sistema of a servicio's formulación of the year. Every row is checked first;
if any has an error nothing is saved and each error is shown with its row number, so the
Unidad fixes the planilla and imports it again. Descentralización's result is not imported:
it follows from the consultora's validation (validacion/cumplimiento.py).
"""

import unicodedata
from dataclasses import dataclass
from typing import IO, Any

from django.db import transaction
from openpyxl import load_workbook

from compromisos.models import LineaFormulacion
from srm import permisos
from validacion.models import ResultadoSistema
from validacion.services import resultado_sistema_guardar

COLUMNAS = ("servicio", "sistema", "resultado")
MAXIMO_FILAS = 5000
MAXIMO_BYTES = 5 * 1024 * 1024
RESULTADOS = {"cumple": True, "si": True, "no cumple": False, "no": False}


@dataclass(frozen=True)
class ErrorDeFila:
    fila: int
    mensaje: str


def normalizar(texto: Any) -> str:
    """Lower case, no accents, single spaces: «Equidad de  Género» = «equidad de genero»."""
    sin_tildes = unicodedata.normalize("NFKD", str(texto or "")).encode("ascii", "ignore")
    return " ".join(sin_tildes.decode().lower().split())


def leer_planilla(archivo: IO[bytes]) -> tuple[list[tuple[int, dict]], list[ErrorDeFila]]:
    """The data rows (row number, {servicio, sistema, resultado}) or why the file is unusable."""
    if getattr(archivo, "size", 0) > MAXIMO_BYTES:
        return [], [ErrorDeFila(0, "La planilla pesa más de 5 MB.")]
    try:
        libro = load_workbook(archivo, read_only=True, data_only=True)
    except Exception:
        return [], [ErrorDeFila(0, "El archivo no es una planilla Excel (.xlsx) legible.")]
    hoja = libro.worksheets[0]
    columnas: dict[str, int] | None = None
    filas = []
    for numero, valores in enumerate(hoja.iter_rows(values_only=True), start=1):
        if numero > MAXIMO_FILAS:
            return [], [ErrorDeFila(numero, f"La planilla tiene más de {MAXIMO_FILAS} filas.")]
        textos = [normalizar(v) for v in valores]
        if columnas is None:
            if all(c in textos for c in COLUMNAS):
                columnas = {c: textos.index(c) for c in COLUMNAS}
            continue
        if not any(textos):
            continue
        filas.append(
            (
                numero,
                {
                    c: str(valores[i]).strip() if i < len(valores) and valores[i] else ""
                    for c, i in columnas.items()
                },
            )
        )
    if columnas is None:
        return [], [
            ErrorDeFila(0, "No se encontró la fila de títulos «Servicio», «Sistema», «Resultado».")
        ]
    return filas, []


def resultados_importar(*, archivo: IO[bytes], anio: int, usuario: Any) -> dict:
    """Check every row against the year's formulaciones; save all of them or none.

    Returns {"guardados": n, "errores": [ErrorDeFila]}.
    """
    permisos.exigir(usuario, "configuracion.administrar")
    filas, errores = leer_planilla(archivo)
    if errores:
        return {"guardados": 0, "errores": errores}
    # The year's lines, by servicio (name or sigla) and sistema, in one query.
    lineas: dict[tuple[str, str], LineaFormulacion] = {}
    servicios: set[str] = set()
    for linea in LineaFormulacion.objects.filter(formulacion__proceso__anio=anio).select_related(
        "formulacion__servicio", "formulacion__proceso", "sistema_catalogo"
    ):
        servicio = linea.formulacion.servicio
        for nombre in filter(None, (servicio.nombre, servicio.sigla)):
            servicios.add(normalizar(nombre))
            lineas[(normalizar(nombre), normalizar(linea.sistema))] = linea
    vistas: dict[int, int] = {}
    por_guardar = []
    for numero, fila in filas:
        servicio, sistema = normalizar(fila["servicio"]), normalizar(fila["sistema"])
        resultado = RESULTADOS.get(normalizar(fila["resultado"]))
        linea = lineas.get((servicio, sistema))
        if servicio not in servicios:
            mensaje = f"«{fila['servicio']}» no tiene formulación {anio} en el SRM."
        elif linea is None:
            mensaje = (
                f"«{fila['sistema']}» no es un sistema de la formulación {anio} de ese servicio."
            )
        elif resultado is None:
            mensaje = f"Resultado «{fila['resultado']}»: escriba «Cumple» o «No cumple»."
        elif ResultadoSistema(linea=linea).es_de_descentralizacion():
            mensaje = ResultadoSistema.MENSAJE_DESCENTRALIZACION
        elif linea.pk in vistas:
            mensaje = f"El sistema ya viene en la fila {vistas[linea.pk]}."
        else:
            vistas[linea.pk] = numero
            por_guardar.append((linea, resultado))
            continue
        errores.append(ErrorDeFila(numero, mensaje))
    if errores:
        return {"guardados": 0, "errores": errores}
    with transaction.atomic():
        existentes = {
            r.linea_id: r
            for r in ResultadoSistema.objects.filter(linea__in=[linea for linea, _ in por_guardar])
        }
        for linea, cumple in por_guardar:
            registro = existentes.get(linea.pk) or ResultadoSistema(linea=linea)
            registro.linea = linea
            registro.cumple = cumple
            registro.origen = ResultadoSistema.Origen.PLANILLA
            resultado_sistema_guardar(resultado=registro, usuario=usuario)
    return {"guardados": len(por_guardar), "errores": []}
