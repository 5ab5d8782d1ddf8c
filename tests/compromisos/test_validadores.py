"""Upload checks for medios de verificación: real type, size, zip bombs and names."""

import hashlib
import io
import os
import struct
import zipfile
import zlib

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile

from compromisos.validators import (
    ArchivoRevisado,
    SubidaRevisadaHandler,
    nombre_seguro,
    revisar_archivo,
)
from demo.archivos import pdf_minimo, png_minimo

JPEG = (
    b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    + b"\x00" * 64
    + b"\xff\xd9"
)
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
MIB = 1024 * 1024


def subido(nombre: str, contenido: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(nombre, contenido)


def comprimir(entradas: dict[str, bytes], metodo: int = zipfile.ZIP_DEFLATED) -> bytes:
    salida = io.BytesIO()
    with zipfile.ZipFile(salida, "w", compression=metodo) as comprimido:
        for nombre, contenido in entradas.items():
            # ODF wants its mimetype entry stored, not deflated.
            tipo = zipfile.ZIP_STORED if nombre == "mimetype" else metodo
            comprimido.writestr(nombre, contenido, compress_type=tipo)
    return salida.getvalue()


def ooxml(parte: str) -> bytes:
    return comprimir(
        {
            "[Content_Types].xml": b'<?xml version="1.0"?><Types xmlns="x"/>',
            "_rels/.rels": b'<?xml version="1.0"?><Relationships xmlns="x"/>',
            parte: b'<?xml version="1.0"?><documento/>',
        }
    )


def odf(tipo: str) -> bytes:
    return comprimir(
        {
            "mimetype": f"application/vnd.oasis.opendocument.{tipo}".encode(),
            "content.xml": b'<?xml version="1.0"?><office:document-content/>',
            "META-INF/manifest.xml": b'<?xml version="1.0"?><manifest:manifest/>',
        }
    )


def xlsx() -> bytes:
    libro = openpyxl.Workbook()
    libro.active.append(["Compromiso", "Avance %"])
    libro.active.append(["C01", 40])
    salida = io.BytesIO()
    libro.save(salida)
    return salida.getvalue()


def parchar_zip(
    datos: bytes, *, tamano: int | None = None, crc: int | None = None, cifrado: bool = False
) -> bytes:
    """Rewrite the first entry's headers: declared uncompressed size, CRC and encryption flag."""
    datos = bytearray(datos)
    fin = datos.rfind(b"PK\x05\x06")
    central = struct.unpack_from("<I", datos, fin + 16)[0]
    assert datos[0:4] == b"PK\x03\x04" and datos[central : central + 4] == b"PK\x01\x02"
    if tamano is not None:
        struct.pack_into("<I", datos, 22, tamano)
        struct.pack_into("<I", datos, central + 24, tamano)
    if crc is not None:
        struct.pack_into("<I", datos, 14, crc)
        struct.pack_into("<I", datos, central + 16, crc)
    if cifrado:
        datos[6] |= 0x1
        datos[central + 8] |= 0x1
    return bytes(datos)


def rechazo(archivo, **opciones) -> ValidationError:
    with pytest.raises(ValidationError) as error:
        revisar_archivo(archivo, **opciones)
    return error.value


class TestTiposAceptados:
    @pytest.mark.parametrize(
        ("nombre", "contenido", "extension", "tipo_contenido"),
        [
            ("acta.pdf", pdf_minimo("Acta de la mesa técnica"), "pdf", "application/pdf"),
            ("foto.jpg", JPEG, "jpg", "image/jpeg"),
            ("foto.png", png_minimo(semilla=3), "png", "image/png"),
            ("respaldos.zip", comprimir({"lista.txt": b"uno\ndos\n"}), "zip", "application/zip"),
            (
                "planilla.xlsx",
                xlsx(),
                "xlsx",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
            (
                "oficio.docx",
                ooxml("word/document.xml"),
                "docx",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ),
            (
                "charla.pptx",
                ooxml("ppt/presentation.xml"),
                "pptx",
                "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            ),
            ("oficio.odt", odf("text"), "odt", "application/vnd.oasis.opendocument.text"),
            (
                "planilla.ods",
                odf("spreadsheet"),
                "ods",
                "application/vnd.oasis.opendocument.spreadsheet",
            ),
            (
                "charla.odp",
                odf("presentation"),
                "odp",
                "application/vnd.oasis.opendocument.presentation",
            ),
            ("oficio.doc", OLE2, "doc", "application/msword"),
            ("planilla.xls", OLE2, "xls", "application/vnd.ms-excel"),
            ("charla.ppt", OLE2, "ppt", "application/vnd.ms-powerpoint"),
            ("datos.csv", "Región;Año\nLos Lagos;2025\n".encode(), "csv", "text/csv"),
        ],
    )
    def test_cada_tipo_permitido_se_acepta_por_su_contenido(
        self, nombre, contenido, extension, tipo_contenido
    ):
        revisado = revisar_archivo(subido(nombre, contenido))
        assert revisado == ArchivoRevisado(
            nombre=nombre,
            extension=extension,
            tipo_contenido=tipo_contenido,
            tamano=len(contenido),
            sha256=hashlib.sha256(contenido).hexdigest(),
        )

    def test_jpeg_con_extension_larga_conserva_el_nombre_y_usa_extension_canonica(self):
        revisado = revisar_archivo(subido("Foto Terreno.JPEG", JPEG))
        assert (revisado.nombre, revisado.extension) == ("Foto Terreno.JPEG", "jpg")

    @pytest.mark.parametrize(
        "contenido",
        [
            "\ufeffRegión;Año\nLos Lagos;2025\n".encode(),
            "Región;Año;Descripción\r\nÑuble;2025;«acta»\r\n".encode("cp1252"),
            b"a,b\tc\n1,2\t3\n",
        ],
        ids=["utf8_con_bom", "windows_1252", "ascii_con_tabulador"],
    )
    def test_csv_en_utf8_con_bom_o_windows_1252_se_acepta(self, contenido):
        assert revisar_archivo(subido("datos.csv", contenido)).extension == "csv"

    def test_sin_extension_recibe_la_extension_del_contenido(self):
        revisado = revisar_archivo(subido("acta de sesión", pdf_minimo("x")))
        assert (revisado.nombre, revisado.extension) == ("acta de sesión.pdf", "pdf")

    def test_ole2_sin_extension_se_guarda_como_doc(self):
        revisado = revisar_archivo(subido("oficio", OLE2))
        assert (revisado.nombre, revisado.extension) == ("oficio.doc", "doc")

    def test_ole2_acepta_cualquier_extension_de_office_antiguo(self):
        # Old Office files share one container: the extension given is kept among doc/xls/ppt.
        assert revisar_archivo(subido("planilla.doc", OLE2)).extension == "doc"

    def test_numero_de_version_en_el_nombre_no_cuenta_como_extension(self):
        revisado = revisar_archivo(subido("Informe v1.2", pdf_minimo("x")))
        assert revisado.nombre == "Informe v1.2.pdf"

    def test_archivo_temporal_en_disco_tambien_se_revisa(self):
        contenido = ooxml("word/document.xml")
        archivo = TemporaryUploadedFile("oficio.docx", "application/octet-stream", 0, None)
        archivo.write(contenido)
        try:
            revisado = revisar_archivo(archivo)
            assert revisado.extension == "docx" and revisado.tamano == len(contenido)
            assert archivo.tell() == 0
        finally:
            archivo.close()

    def test_una_subida_leida_al_llegar_no_se_vuelve_a_leer(self):
        contenido = b"%PDF-1.4\n" + os.urandom(3 * MIB)
        manejador = SubidaRevisadaHandler()
        manejador.new_file("archivos", "acta.pdf", "application/pdf", len(contenido))
        for inicio in range(0, len(contenido), 64 * 1024):
            manejador.receive_data_chunk(contenido[inicio : inicio + 64 * 1024], inicio)
        archivo = manejador.file_complete(len(contenido))

        def sin_segunda_lectura(*args, **kwargs):
            raise AssertionError("revisar_archivo leyó de nuevo la subida")

        archivo.chunks = sin_segunda_lectura
        try:
            revisado = revisar_archivo(archivo)
            assert revisado.sha256 == hashlib.sha256(contenido).hexdigest()
            assert revisado.tamano == len(contenido) and revisado.extension == "pdf"
            with pytest.raises(ValidationError) as error:
                revisar_archivo(archivo, max_bytes=MIB)
            assert error.value.code == "muy_grande"
        finally:
            archivo.close()

    def test_una_subida_csv_leida_al_llegar_revisa_sus_bytes_de_control(self):
        contenido = b"servicio;avance\nOsorno;50\x00\n"
        manejador = SubidaRevisadaHandler()
        manejador.new_file("archivos", "datos.csv", "text/csv", len(contenido))
        manejador.receive_data_chunk(contenido, 0)
        archivo = manejador.file_complete(len(contenido))
        archivo.chunks = None  # not read again
        try:
            assert rechazo(archivo).code == "tipo_no_permitido"
        finally:
            archivo.close()

    def test_content_file_de_los_servicios_tambien_se_revisa(self):
        contenido = pdf_minimo("y")
        assert revisar_archivo(ContentFile(contenido, name="acta.pdf")).tamano == len(contenido)


class TestTiposRechazados:
    def test_ejecutable_renombrado_como_pdf_se_rechaza(self):
        error = rechazo(subido("acta.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200))
        assert error.code == "tipo_no_permitido"
        assert "«acta.pdf»" in error.message and "PDF" in error.message

    def test_html_con_extension_pdf_se_rechaza(self):
        error = rechazo(subido("informe.pdf", b"<html><script>alert(1)</script></html>"))
        assert error.code == "tipo_no_permitido" and "«informe.pdf»" in error.message

    def test_png_con_extension_pdf_se_rechaza_y_dice_que_es_una_imagen(self):
        error = rechazo(subido("acta.pdf", png_minimo(semilla=1)))
        assert error.code == "extension_no_coincide"
        assert "«acta.pdf»" in error.message and "imagen PNG" in error.message

    def test_planilla_xlsx_con_extension_docx_se_rechaza(self):
        error = rechazo(subido("oficio.docx", xlsx()))
        assert error.code == "extension_no_coincide" and "Excel" in error.message

    def test_ole2_con_extension_pdf_se_rechaza(self):
        assert rechazo(subido("acta.pdf", OLE2)).code == "extension_no_coincide"

    @pytest.mark.parametrize(
        ("nombre", "contenido"),
        [
            ("instalar.sh", b"#!/bin/sh\nrm -rf /\n"),
            ("datos.csv", b"#!/bin/sh\nrm -rf /\n"),
            ("datos.csv", b"\xef\xbb\xbf  <html><body>hola</body></html>"),
            ("datos.csv", b"a;b\n<script>alert(1)</script>\n"),
            ("datos.csv", b"a;b\n1;\x00\x00\x002\n"),
            ("datos.csv", b"a;b\n1;\x1b[31m2\n"),
            ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>'),
            ("logo.pdf", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>'),
            ("notas.txt", b"texto plano que no es CSV"),
            ("acta", b"sin firma reconocible"),
        ],
    )
    def test_contenido_no_permitido_se_rechaza(self, nombre, contenido):
        error = rechazo(subido(nombre, contenido))
        assert error.code == "tipo_no_permitido"
        assert "Se aceptan: PDF" in error.message

    def test_zip_con_macros_se_rechaza(self):
        contenido = comprimir(
            {
                "[Content_Types].xml": b"<Types/>",
                "xl/workbook.xml": b"<workbook/>",
                "xl/vbaProject.bin": b"\x00macro",
            }
        )
        error = rechazo(subido("planilla.xlsx", contenido))
        assert error.code == "tipo_no_permitido" and "macros" in error.message


class TestTamano:
    def test_archivo_vacio_se_rechaza(self):
        error = rechazo(subido("vacio.pdf", b""))
        assert error.code == "vacio" and "«vacio.pdf»" in error.message

    def test_archivo_sobre_el_maximo_se_rechaza(self):
        error = rechazo(subido("acta.pdf", b"%PDF-1.4\n" + b"0" * 2 * MIB), max_bytes=2 * MIB)
        assert error.code == "muy_grande" and "2 MB" in error.message

    def test_archivo_justo_en_el_maximo_se_acepta(self):
        contenido = b"%PDF-1.4\n" + b"0" * 91
        assert revisar_archivo(subido("acta.pdf", contenido), max_bytes=100).tamano == 100

    def test_el_maximo_por_omision_viene_de_settings(self, settings):
        settings.SRM_MAX_UPLOAD_BYTES = 1 * MIB
        error = rechazo(subido("acta.pdf", b"%PDF-1.4\n" + b"0" * MIB))
        assert error.code == "muy_grande" and "1 MB" in error.message

    def test_tamano_declarado_falso_no_engana_al_limite(self):
        archivo = subido("acta.pdf", b"%PDF-1.4\n" + b"0" * 500)
        archivo.size = 10
        assert rechazo(archivo, max_bytes=100).code == "muy_grande"


class TestZip:
    def test_zip_bomba_con_cabeceras_que_mienten_se_rechaza(self):
        honesto = comprimir({"xl/worksheets/sheet1.xml": b"0" * 20 * MIB})
        error = rechazo(subido("respaldos.zip", parchar_zip(honesto, tamano=10)))
        assert error.code == "zip_sospechoso" and "«respaldos.zip»" in error.message

    def test_zip_bomba_con_tamano_y_crc_falsificados_se_rechaza(self):
        # The CRC matches the declared prefix, so a reader that trusts the header sees no error.
        honesto = comprimir({"datos.txt": b"0" * 20 * MIB})
        declarado = 2 * zipfile.ZipFile(io.BytesIO(honesto)).infolist()[0].compress_size
        bomba = parchar_zip(honesto, tamano=declarado, crc=zlib.crc32(b"0" * declarado))
        error = rechazo(subido("respaldos.zip", bomba))
        assert error.code == "zip_sospechoso" and "100 veces" in error.message

    @pytest.mark.parametrize("declarado", [100, 1_000_000], ids=["menor", "mayor"])
    def test_zip_que_declara_un_tamano_distinto_al_real_se_rechaza(self, declarado):
        contenido = os.urandom(5_000)
        falso = parchar_zip(comprimir({"foto.jpg": contenido}), tamano=declarado)
        error = rechazo(subido("fotos.zip", falso))
        assert error.code == "zip_sospechoso" and "declara tamaños" in error.message

    def test_zip_con_demasiadas_entradas_se_rechaza(self):
        contenido = comprimir({f"foto_{numero}.txt": b"" for numero in range(2_001)})
        error = rechazo(subido("fotos.zip", contenido))
        assert error.code == "zip_sospechoso" and "2.000" in error.message

    def test_limite_de_entradas_se_puede_cambiar_en_settings(self, settings):
        settings.SRM_ZIP_MAX_ENTRADAS = 3
        contenido = comprimir({f"{numero}.txt": b"x" for numero in range(4)})
        assert rechazo(subido("fotos.zip", contenido)).code == "zip_sospechoso"

    def test_zip_con_razon_de_compresion_excesiva_se_rechaza(self):
        contenido = comprimir({"datos.csv": b"0" * 5 * MIB})
        error = rechazo(subido("datos.zip", contenido))
        assert error.code == "zip_sospechoso" and "100 veces" in error.message

    def test_documento_pequeno_muy_comprimible_se_acepta(self):
        # Half a megabyte of blank cells is a ratio far above 100, but harmless.
        contenido = comprimir({"[Content_Types].xml": b"<Types/>", "xl/hoja.xml": b" " * 500_000})
        assert revisar_archivo(subido("planilla.xlsx", contenido)).extension == "xlsx"

    def test_zip_que_se_descomprime_sobre_el_total_se_rechaza(self, settings):
        settings.SRM_ZIP_MAX_DESCOMPRIMIDO = 1 * MIB
        contenido = comprimir({"ruido.bin": os.urandom(2 * MIB)}, metodo=zipfile.ZIP_STORED)
        error = rechazo(subido("ruido.zip", contenido), max_bytes=5 * MIB)
        assert error.code == "zip_sospechoso" and "1 MB" in error.message

    def test_zip_con_entrada_cifrada_se_rechaza(self):
        contenido = parchar_zip(comprimir({"secreto.txt": b"clave"}), cifrado=True)
        error = rechazo(subido("secreto.zip", contenido))
        assert error.code == "zip_cifrado" and "contraseña" in error.message

    def test_zip_con_datos_alterados_se_rechaza(self):
        contenido = bytearray(comprimir({"datos.txt": b"datos del compromiso " * 200}))
        contenido[60] ^= 0xFF
        assert rechazo(subido("datos.zip", bytes(contenido))).code == "zip_corrupto"

    def test_zip_truncado_se_rechaza(self):
        contenido = comprimir({"datos.txt": b"datos del compromiso " * 200})
        error = rechazo(subido("oficio.docx", contenido[:-40]))
        assert error.code == "zip_corrupto" and "dañado" in error.message


class TestNombres:
    @pytest.mark.parametrize(
        ("original", "esperado"),
        [
            ("../../etc/passwd.pdf", "passwd.pdf"),
            ("..\\..\\boot.ini", "boot.ini"),
            ("C:\\Users\\ana\\Escritorio\\acta.pdf", "acta.pdf"),
            ("ac\x00ta\r\n.pdf", "acta.pdf"),
            ("foto\u202egpj.exe", "fotogpj.exe"),
            ("Informe de gestio\u0301n.pdf", "Informe de gestión.pdf"),
            ("  acta   de \t sesión .pdf", "acta de sesión.pdf"),
            (".htaccess", "htaccess"),
            ("...pdf", "archivo.pdf"),
            (".pdf", "archivo.pdf"),
            ("../", "archivo"),
            ("", "archivo"),
        ],
    )
    def test_nombre_seguro_limpia_rutas_controles_y_espacios(self, original, esperado):
        assert nombre_seguro(original) == esperado

    def test_nombre_de_300_caracteres_se_corta_a_150_conservando_la_extension(self):
        nombre = nombre_seguro("a" * 300 + ".pdf")
        assert len(nombre) == 150 and nombre.endswith("a.pdf")

    def test_nombre_largo_sin_extension_se_corta_a_150(self):
        assert nombre_seguro("b" * 300) == "b" * 150

    def test_ruta_con_retroceso_se_reduce_al_ultimo_componente(self):
        revisado = revisar_archivo(subido("../../etc/passwd.pdf", pdf_minimo("x")))
        assert revisado.nombre == "passwd.pdf"

    def test_ruta_de_windows_con_extension_ajena_se_rechaza_con_el_nombre_limpio(self):
        error = rechazo(subido("..\\..\\boot.ini", pdf_minimo("x")))
        assert error.code == "extension_no_coincide" and "«boot.ini»" in error.message

    def test_nombre_con_caracteres_de_control_se_limpia(self):
        revisado = revisar_archivo(subido("acta\x07\x1b\u200b final.pdf", pdf_minimo("x")))
        assert revisado.nombre == "acta final.pdf"

    def test_nombre_largo_sin_extension_recibe_la_canonica_dentro_de_150(self):
        revisado = revisar_archivo(subido("c" * 300, pdf_minimo("x")))
        assert len(revisado.nombre) == 150 and revisado.nombre.endswith("c.pdf")


class TestResumenYPosicion:
    def test_sha256_coincide_con_hashlib(self):
        contenido = xlsx()
        revisado = revisar_archivo(subido("planilla.xlsx", contenido))
        assert revisado.sha256 == hashlib.sha256(contenido).hexdigest()

    def test_archivo_queda_en_la_posicion_cero_al_aceptarse(self):
        archivo = subido("oficio.odt", odf("text"))
        archivo.read(10)
        revisar_archivo(archivo)
        assert archivo.tell() == 0

    @pytest.mark.parametrize(
        ("codigo", "archivo"),
        [
            ("extension_no_coincide", subido("acta.pdf", png_minimo(semilla=2))),
            ("zip_cifrado", subido("a.zip", parchar_zip(comprimir({"a.txt": b"a"}), cifrado=True))),
            ("muy_grande", subido("acta.pdf", b"%PDF-" + b"0" * 2_000)),
        ],
    )
    def test_archivo_queda_en_la_posicion_cero_al_rechazarse(self, codigo, archivo):
        archivo.read(10)
        error = rechazo(archivo, max_bytes=1_000)
        assert error.code == codigo and archivo.tell() == 0
