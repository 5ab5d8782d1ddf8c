"""Small real files for the demo's medios de verificación (and the tests' uploads)."""

import csv
import io
import struct
import zlib

from compromisos.models import (
    AvanceCompromiso,
    TipoMedio,
)


def _pdf(avance: AvanceCompromiso, numero: int) -> tuple[str, str, bytes]:
    texto = f"Acta {avance.compromiso.codigo} - {avance.informe.periodo} - medio {numero} - avance {avance.pk}"
    return TipoMedio.ACTA, "pdf", pdf_minimo(texto)


def _png(avance: AvanceCompromiso, numero: int) -> tuple[str, str, bytes]:
    return TipoMedio.FOTOGRAFIA, "png", png_minimo(semilla=avance.pk * 10 + numero)


def _csv(avance: AvanceCompromiso, numero: int) -> tuple[str, str, bytes]:
    salida = io.StringIO()
    escritor = csv.writer(salida, delimiter=";")
    escritor.writerow(["Compromiso", "Actividad", "Estado", "Avance %"])
    escritor.writerow(
        [avance.compromiso.codigo, f"Actividad {numero}", "En curso", avance.porcentaje]
    )
    escritor.writerow(["", f"Registro {avance.pk}", "", ""])
    return TipoMedio.PLANILLA, "csv", salida.getvalue().encode("utf-8")


GENERADORES = [_pdf, _pdf, _png, _csv]


def pdf_minimo(texto: str) -> bytes:
    """A valid one-page PDF with a line of text, without any PDF library."""
    seguro = (
        texto.replace("\\", "\\\\")
        .replace("(", "\\(")
        .replace(")", "\\)")
        .encode("latin-1", "replace")
    )
    flujo = b"BT /F1 12 Tf 72 720 Td (" + seguro + b") Tj ET"
    objetos = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(flujo)).encode() + b" >>\nstream\n" + flujo + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    salida = bytearray(b"%PDF-1.4\n")
    posiciones = []
    for numero, objeto in enumerate(objetos, start=1):
        posiciones.append(len(salida))
        salida += f"{numero} 0 obj\n".encode() + objeto + b"\nendobj\n"
    inicio_xref = len(salida)
    salida += f"xref\n0 {len(objetos) + 1}\n0000000000 65535 f \n".encode()
    for posicion in posiciones:
        salida += f"{posicion:010d} 00000 n \n".encode()
    salida += f"trailer\n<< /Size {len(objetos) + 1} /Root 1 0 R >>\nstartxref\n{inicio_xref}\n%%EOF\n".encode()
    return bytes(salida)


def png_minimo(*, semilla: int, ancho: int = 16, alto: int = 16) -> bytes:
    """A small valid PNG whose colour depends on `semilla`."""
    color = bytes([(semilla * 37) % 256, (semilla * 91) % 256, (semilla * 53) % 256])
    filas = b"".join(b"\x00" + color * ancho for _ in range(alto))

    def bloque(tipo: bytes, datos: bytes) -> bytes:
        return (
            struct.pack(">I", len(datos))
            + tipo
            + datos
            + struct.pack(">I", zlib.crc32(tipo + datos) & 0xFFFFFFFF)
        )

    cabecera = struct.pack(">IIBBBBB", ancho, alto, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + bloque(b"IHDR", cabecera)
        + bloque(b"IDAT", zlib.compress(filas))
        + bloque(b"IEND", b"")
    )
