"""Checks for uploaded evidence files (medios de verificación): real type, size, zip bombs, names.

Files are accepted by their content, never by the name the user gave; the name only has to agree
with the content. Used by both the upload form and `compromisos.services`.
"""

import csv
import hashlib
import re
import sys
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import TemporaryFileUploadHandler

MIB = 1024 * 1024
BLOQUE = 64 * 1024
NOMBRE_MAX = 150
# ZIP limits; each one can be overridden by the setting of the same name with the SRM_ prefix.
ZIP_MAX_DESCOMPRIMIDO = 200 * MIB
ZIP_MAX_ENTRADAS = 2_000
ZIP_MAX_RAZON = 100
# Below this much output a high ratio is harmless (a tiny document of blank lines, for instance).
ZIP_RAZON_DESDE = 1 * MIB

# Canonical extension -> (MIME type, what it is in plain Spanish, extensions that fit it).
TIPOS: dict[str, tuple[str, str, frozenset[str]]] = {
    "pdf": ("application/pdf", "un documento PDF", frozenset({"pdf"})),
    "jpg": ("image/jpeg", "una imagen JPEG", frozenset({"jpg", "jpeg"})),
    "png": ("image/png", "una imagen PNG", frozenset({"png"})),
    "zip": ("application/zip", "un archivo comprimido ZIP", frozenset({"zip"})),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "un documento de Word (DOCX)",
        frozenset({"docx"}),
    ),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "una planilla de Excel (XLSX)",
        frozenset({"xlsx"}),
    ),
    "pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "una presentación de PowerPoint (PPTX)",
        frozenset({"pptx"}),
    ),
    "odt": (
        "application/vnd.oasis.opendocument.text",
        "un documento de texto OpenDocument (ODT)",
        frozenset({"odt"}),
    ),
    "ods": (
        "application/vnd.oasis.opendocument.spreadsheet",
        "una planilla OpenDocument (ODS)",
        frozenset({"ods"}),
    ),
    "odp": (
        "application/vnd.oasis.opendocument.presentation",
        "una presentación OpenDocument (ODP)",
        frozenset({"odp"}),
    ),
    "doc": (
        "application/msword",
        "un documento de Office antiguo",
        frozenset({"doc", "xls", "ppt"}),
    ),
    "xls": (
        "application/vnd.ms-excel",
        "un documento de Office antiguo",
        frozenset({"doc", "xls", "ppt"}),
    ),
    "ppt": (
        "application/vnd.ms-powerpoint",
        "un documento de Office antiguo",
        frozenset({"doc", "xls", "ppt"}),
    ),
    "csv": ("text/csv", "un archivo CSV", frozenset({"csv"})),
}
TIPOS_ACEPTADOS = (
    "PDF; imágenes JPG o PNG; documentos Word, Excel o PowerPoint (DOC, DOCX, XLS, XLSX, PPT, "
    "PPTX); documentos OpenDocument (ODT, ODS, ODP); planillas CSV y archivos comprimidos ZIP"
)
ODF_POR_MIMETYPE = {TIPOS[ext][0].encode(): ext for ext in ("odt", "ods", "odp")}
# What zipfile raises on a damaged archive (CRC, truncated stream, bad offsets, unknown method).
ERRORES_ZIP = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError)
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Control bytes other than tab, line feed, form feed and carriage return: never in a text file.
CONTROL = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# An extension is 1-5 ASCII letters or digits with at least one letter ("v1.2" has none).
EXTENSION = re.compile(r"(?s)(.*)\.(?=[A-Za-z0-9]*[A-Za-z])([A-Za-z0-9]{1,5})")


@dataclass(frozen=True)
class ArchivoRevisado:
    nombre: str  # sanitised original name, to show and to offer on download
    extension: str  # canonical extension of the detected type, e.g. "pdf", "docx", "jpg"
    tipo_contenido: str  # MIME type of the detected content, e.g. "application/pdf"
    tamano: int  # bytes actually read
    sha256: str  # hex digest of the content
    # A CSV with cells a spreadsheet would run as formulas (=, +, -, @): the analyst is warned.
    tiene_formulas: bool = False


def _separar(nombre: str) -> tuple[str, str]:
    """Split a name into (base, extension); the extension is "" when there is none."""
    coincidencia = EXTENSION.fullmatch(nombre)
    return (coincidencia[1], coincidencia[2]) if coincidencia else (nombre, "")


def nombre_seguro(nombre: str) -> str:
    """A name safe to show and to offer on download: no path, no control characters, short."""
    nombre = re.split(r"[/\\]", str(nombre or ""))[-1]
    nombre = "".join(c for c in nombre if not unicodedata.category(c).startswith("C"))
    nombre = " ".join(unicodedata.normalize("NFC", nombre).split())
    base, extension = _separar(nombre)
    largo_base = NOMBRE_MAX - (len(extension) + 1 if extension else 0)
    base = base.strip(". ")[:largo_base].rstrip(". ") or "archivo"
    return f"{base}.{extension}" if extension else base


def _error(mensaje: str, code: str) -> ValidationError:
    return ValidationError(mensaje, code=code)


def _legible(cantidad: int) -> str:
    if cantidad >= MIB:
        cifra = f"{cantidad / MIB:.0f}" if cantidad % MIB == 0 else f"{cantidad / MIB:.1f}"
        return cifra.replace(".", ",") + " MB"
    return f"{cantidad} bytes" if cantidad < 1024 else f"{cantidad / 1024:.0f} KB"


def _revisar_zip(archivo: Any, nombre: str, tamano: int) -> str:
    """Stream every entry, counting what it really inflates to; answer the ZIP's kind."""
    max_total = getattr(settings, "SRM_ZIP_MAX_DESCOMPRIMIDO", ZIP_MAX_DESCOMPRIMIDO)
    max_entradas = getattr(settings, "SRM_ZIP_MAX_ENTRADAS", ZIP_MAX_ENTRADAS)
    max_razon = getattr(settings, "SRM_ZIP_MAX_RAZON", ZIP_MAX_RAZON)
    sospechoso = f"«{nombre}» no se aceptó por seguridad: "
    archivo.seek(0)
    total = 0
    mimetype = b""
    try:
        with zipfile.ZipFile(getattr(archivo, "file", archivo)) as comprimido:
            entradas = comprimido.infolist()
            if len(entradas) > max_entradas:
                mensaje = f"contiene más de {max_entradas:,} archivos.".replace(",", ".")
                raise _error(sospechoso + mensaje, "zip_sospechoso")
            for entrada in entradas:
                if entrada.flag_bits & 0x1:
                    raise _error(
                        f"«{nombre}» está protegido con contraseña; súbalo sin contraseña.",
                        "zip_cifrado",
                    )
                # zipfile stops reading at the size the header declares, so a lying header would
                # hide the rest of the stream: lift that cap (the counters below stop the read),
                # then compare what came out with what was declared.
                declarado = entrada.file_size
                entrada.file_size = sys.maxsize
                leido = 0
                with comprimido.open(entrada) as contenido:
                    while bloque := contenido.read(BLOQUE):
                        leido += len(bloque)
                        total += len(bloque)
                        if entrada.filename == "mimetype" and len(mimetype) < 100:
                            mimetype += bloque[: 100 - len(mimetype)]
                        if total > max_total:
                            mensaje = f"al descomprimirlo supera {_legible(max_total)}."
                            raise _error(sospechoso + mensaje, "zip_sospechoso")
                        if total > ZIP_RAZON_DESDE and total > max_razon * tamano:
                            mensaje = f"se comprime más de {max_razon} veces, como una «bomba zip»."
                            raise _error(sospechoso + mensaje, "zip_sospechoso")
                if leido != declarado:
                    mensaje = "declara tamaños que no corresponden a su contenido."
                    raise _error(sospechoso + mensaje, "zip_sospechoso")
    except ERRORES_ZIP as error:
        raise _error(
            f"«{nombre}» está dañado o usa un formato de compresión no soportado; "
            "no se pudo leer su contenido.",
            "zip_corrupto",
        ) from error
    nombres = {entrada.filename for entrada in entradas}
    if any(_sale_de_su_carpeta(n) for n in nombres):
        mensaje = "contiene archivos con rutas que salen de su carpeta (como «../»)."
        raise _error(sospechoso + mensaje, "zip_sospechoso")
    if any(n.lower().endswith("vbaproject.bin") for n in nombres):
        raise _error(
            f"«{nombre}» contiene macros y no se acepta por seguridad.", "tipo_no_permitido"
        )
    if "mimetype" in nombres and mimetype.strip() in ODF_POR_MIMETYPE:
        return ODF_POR_MIMETYPE[mimetype.strip()]
    if "[Content_Types].xml" in nombres:
        for prefijo, extension in (("word/", "docx"), ("xl/", "xlsx"), ("ppt/", "pptx")):
            if any(n.startswith(prefijo) for n in nombres):
                return extension
    return "zip"


def _sale_de_su_carpeta(ruta: str) -> bool:
    """A ZIP entry that extracts outside the folder it is extracted into ("zip slip")."""
    partes = ruta.replace("\\", "/").split("/")
    return (
        ruta.startswith(("/", "\\")) or ".." in partes or re.match(r"[A-Za-z]:", ruta) is not None
    )


# What a spreadsheet evaluates when a cell starts with it (OWASP "CSV injection"); a plain
# number such as -5 or +56 is data, not a formula.
INICIO_DE_FORMULA = ("=", "+", "-", "@")
NUMERO = re.compile(r"[+-]?[0-9][0-9.,]*")


def csv_con_formulas(archivo: Any) -> bool:
    """Whether any cell of a CSV starts like a formula that a spreadsheet would run."""
    archivo.seek(0)
    crudo = archivo.read()
    archivo.seek(0)
    try:
        texto = crudo.decode("utf-8-sig")
    except UnicodeDecodeError:
        texto = crudo.decode("latin-1")
    lineas = texto.splitlines()
    try:
        dialecto = csv.Sniffer().sniff("\n".join(lineas[:20]), delimiters=",;\t|")
    except csv.Error:
        dialecto = csv.excel
    for fila in csv.reader(lineas, dialecto):
        for celda in fila:
            limpia = celda.strip()
            if limpia.startswith(INICIO_DE_FORMULA) and not NUMERO.fullmatch(limpia):
                return True
    return False


def _revisar_csv(nombre: str, cabecera: bytes, tiene_control: bool) -> None:
    # Every byte string decodes as latin-1, so "UTF-8 or Windows-1252/latin-1" reduces to: text
    # without NUL or other control bytes, and not markup or a script in disguise.
    inicio = cabecera.removeprefix(b"\xef\xbb\xbf").lstrip().lower()
    parece_codigo = inicio.startswith((b"<", b"#!")) or any(
        marca in inicio for marca in (b"<script", b"<?php", b"<html", b"<svg")
    )
    if tiene_control or parece_codigo:
        raise _error(
            f"«{nombre}» no es un archivo CSV de texto. Se aceptan: {TIPOS_ACEPTADOS}.",
            "tipo_no_permitido",
        )


def _detectar(archivo: Any, nombre: str, extension: str, cabecera: bytes, tamano: int) -> str:
    if cabecera.startswith(b"%PDF-"):
        return "pdf"
    if cabecera.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if cabecera.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if cabecera.startswith(b"PK\x03\x04"):
        return _revisar_zip(archivo, nombre, tamano)
    if cabecera.startswith(OLE2):
        # Which legacy Office program made it is not worth parsing: keep what the user said.
        return extension if extension in ("doc", "xls", "ppt") else "doc"
    if extension == "csv":
        return "csv"
    raise _error(
        f"«{nombre}» no es de un tipo permitido. Se aceptan: {TIPOS_ACEPTADOS}.",
        "tipo_no_permitido",
    )


class Lectura:
    """What one pass over a file's bytes learns: its size, SHA-256, first bytes and, for a CSV,
    whether it holds control bytes.

    Fed while the upload arrives (SubidaRevisadaHandler, as Django writes its temporary file) or, for a file that came another way, by revisar_archivo itself.
    """

    def __init__(self, *, es_csv: bool) -> None:
        self.es_csv = es_csv
        self.resumen = hashlib.sha256()
        self.tamano = 0
        self.cabecera = b""
        self.tiene_control = False

    def agregar(self, bloque: bytes) -> None:
        self.tamano += len(bloque)
        self.resumen.update(bloque)
        if len(self.cabecera) < 4096:
            self.cabecera += bloque[: 4096 - len(self.cabecera)]
        if self.es_csv and not self.tiene_control:
            self.tiene_control = CONTROL.search(bloque) is not None


class SubidaRevisadaHandler(TemporaryFileUploadHandler):
    """Django's handler for uploads written to a temporary file, reading each chunk as it
    arrives: the bytes are received, counted, hashed and looked at in one pass, and the
    temporary file is then moved (not copied) into storage.

    The read is done on the server, on the bytes written: a client cannot supply it.
    """

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        extension = _separar(nombre_seguro(self.file_name or ""))[1].lower()
        self.lectura = Lectura(es_csv=extension == "csv")

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self.lectura.agregar(raw_data)
        self.file.write(raw_data)

    def file_complete(self, file_size: int):
        archivo = super().file_complete(file_size)
        archivo.lectura = self.lectura
        return archivo


def revisar_archivo(archivo: Any, *, max_bytes: int | None = None) -> ArchivoRevisado:
    """Accept an uploaded file by its content, or raise ValidationError saying why not.

    Counts its size (up to `max_bytes`, by default `settings.SRM_MAX_UPLOAD_BYTES`) and hashes
    it, detects its real type, checks that the extension the user gave fits it, and inspects
    ZIP-based files for bombs. An upload read as it arrived (its `lectura`) is not read again;
    any other file is read once. The file is left at position 0.
    """
    limite = settings.SRM_MAX_UPLOAD_BYTES if max_bytes is None else max_bytes
    nombre = nombre_seguro(getattr(archivo, "name", "") or "")
    extension_dada = _separar(nombre)[1].lower()
    muy_grande = _error(
        f"«{nombre}» supera el tamaño máximo de {_legible(limite)} por archivo.", "muy_grande"
    )
    try:
        lectura = getattr(archivo, "lectura", None)
        if not isinstance(lectura, Lectura) or lectura.es_csv != (extension_dada == "csv"):
            lectura = Lectura(es_csv=extension_dada == "csv")
            # .size comes from the client or the storage: what counts is the bytes read.
            for bloque in archivo.chunks(BLOQUE):
                lectura.agregar(bloque)
                if lectura.tamano > limite:
                    raise muy_grande
        if lectura.tamano > limite:
            raise muy_grande
        tamano, cabecera = lectura.tamano, lectura.cabecera
        if tamano == 0:
            raise _error(f"«{nombre}» está vacío (0 bytes).", "vacio")
        extension = _detectar(archivo, nombre, extension_dada, cabecera, tamano)
        tipo_contenido, descripcion, familia = TIPOS[extension]
        if extension == "csv":
            _revisar_csv(nombre, cabecera, lectura.tiene_control)
        if extension_dada and extension_dada not in familia:
            raise _error(
                f"«{nombre}» tiene la extensión .{extension_dada}, pero en realidad es "
                f"{descripcion}. Corrija el nombre o suba el archivo correcto.",
                "extension_no_coincide",
            )
        return ArchivoRevisado(
            nombre=nombre if extension_dada else nombre_seguro(f"{nombre}.{extension}"),
            extension=extension,
            tipo_contenido=tipo_contenido,
            tamano=tamano,
            sha256=lectura.resumen.hexdigest(),
            tiene_formulas=extension == "csv" and csv_con_formulas(archivo),
        )
    finally:
        archivo.seek(0)
