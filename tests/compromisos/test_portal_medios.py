"""Medios de verificación: upload, duplicates, versions, withdrawal, download and permissions."""

import hashlib
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from bitacora.models import Evento
from compromisos.models import InformeAvance, MedioComprometido, MedioVerificacion
from demo.archivos import pdf_minimo, png_minimo
from tests.conftest import cliente, crear_formulacion, observar
from validacion.services import revision_transicionar

pytestmark = pytest.mark.django_db


def pdf(nombre="acta.pdf", texto="Acta de la mesa técnica") -> SimpleUploadedFile:
    return SimpleUploadedFile(nombre, pdf_minimo(texto), content_type="application/pdf")


@pytest.fixture
def avance(osorno, proceso, encargado):
    informe = InformeAvance.objects.create(
        formulacion=crear_formulacion(osorno, proceso), periodo="avance_1"
    )
    compromiso = informe.formulacion.compromisos.get(codigo="C01")
    return informe.avances.create(compromiso=compromiso)


def subir(c: Client, avance, *archivos, **datos):
    return c.post(
        reverse("compromisos:medio_subir", args=[avance.pk]),
        {"archivos": list(archivos), "tipo": "acta", "descripcion": "", **datos},
        follow=True,
    )


class TestSubir:
    def test_varios_archivos_a_la_vez_con_su_sha256(self, avance, encargado):
        respuesta = subir(
            cliente(encargado), avance, pdf("acta 1.pdf", "uno"), pdf("acta 2.pdf", "dos")
        )
        assert "2 archivos adjuntos a C01" in respuesta.content.decode()
        medios = list(avance.medios.order_by("nombre_original"))
        assert [m.nombre_original for m in medios] == ["acta 1.pdf", "acta 2.pdf"]
        assert medios[0].sha256 == hashlib.sha256(pdf_minimo("uno")).hexdigest()
        assert medios[0].subido_por == encargado and medios[0].tamano == len(pdf_minimo("uno"))
        assert Evento.objects.filter(accion="medio.subir").count() == 2

    def test_un_archivo_grande_se_guarda_entero_y_con_su_sha256(self, avance, encargado):
        # Over FILE_UPLOAD_MAX_MEMORY_SIZE: read as it arrives, then moved into storage.
        contenido = pdf_minimo("grande") + os.urandom(3 * 1024 * 1024)
        subir(cliente(encargado), avance, SimpleUploadedFile("anexo.pdf", contenido))
        medio = avance.medios.get()
        assert medio.sha256 == hashlib.sha256(contenido).hexdigest()
        assert medio.tamano == len(contenido)
        with medio.archivo.open("rb") as guardado:
            assert guardado.read() == contenido

    def test_se_guarda_con_nombre_generado_fuera_de_static(self, avance, encargado, settings):
        subir(cliente(encargado), avance, pdf("../../static/x.pdf"))
        medio = avance.medios.get()
        assert medio.nombre_original == "x.pdf"
        assert medio.archivo.name.startswith(
            f"medios/servicio/{avance.informe.formulacion.servicio_id}/"
        )
        assert str(settings.MEDIA_ROOT) in medio.archivo.path and "static" not in medio.archivo.name

    def test_mismo_archivo_dos_veces_se_avisa_y_no_se_duplica(self, avance, encargado):
        c = cliente(encargado)
        subir(c, avance, pdf("acta.pdf"))
        respuesta = subir(c, avance, pdf("copia del acta.pdf"))
        assert "ya está adjunto a este compromiso como «acta.pdf»" in respuesta.content.decode()
        assert avance.medios.count() == 1

    def test_archivo_rechazado_se_explica_y_los_demas_se_guardan(self, avance, encargado):
        malo = SimpleUploadedFile("informe.pdf", b"<html><script>alert(1)</script></html>")
        respuesta = subir(cliente(encargado), avance, malo, pdf("bueno.pdf"))
        contenido = respuesta.content.decode()
        assert "informe.pdf" in contenido and "1 archivo adjunto a C01" in contenido
        assert list(avance.medios.values_list("nombre_original", flat=True)) == ["bueno.pdf"]

    def test_archivo_vacio_se_rechaza(self, avance, encargado):
        subir(cliente(encargado), avance, SimpleUploadedFile("vacio.pdf", b""))
        assert not avance.medios.exists()

    def test_medio_comprometido_de_otro_compromiso_no_se_acepta(self, avance, encargado):
        ajeno = MedioComprometido.objects.create(
            compromiso=avance.informe.formulacion.compromisos.get(codigo="C02"),
            descripcion="Oficio",
            tipo="oficio",
        )
        subir(cliente(encargado), avance, pdf(), medio_comprometido=str(ajeno.pk))
        assert not avance.medios.exists()

    def test_informe_enviado_no_recibe_archivos(self, avance, encargado):
        revision_transicionar(objeto=avance.informe, accion="enviar", usuario=encargado)
        respuesta = subir(cliente(encargado), avance, pdf())
        assert "no se puede modificar" in respuesta.content.decode()
        assert not avance.medios.exists()


class TestVersionesYEliminacion:
    def test_reemplazar_crea_version_nueva_y_conserva_la_anterior(self, avance, encargado):
        c = cliente(encargado)
        subir(c, avance, pdf("acta.pdf", "v1"))
        original = avance.medios.get()
        c.post(
            reverse("compromisos:medio_reemplazar", args=[original.pk]),
            {"archivo": pdf("acta firmada.pdf", "v2")},
        )
        nueva = MedioVerificacion.objects.get(reemplaza=original)
        assert nueva.nombre_original == "acta firmada.pdf"
        assert original.archivo.storage.exists(original.archivo.name)
        assert Evento.objects.filter(accion="medio.reemplazar", objeto_id=nueva.pk).exists()

    def test_solo_se_reemplaza_la_version_vigente(self, avance, encargado):
        c = cliente(encargado)
        subir(c, avance, pdf("acta.pdf", "v1"))
        original = avance.medios.get()
        c.post(
            reverse("compromisos:medio_reemplazar", args=[original.pk]),
            {"archivo": pdf(texto="v2")},
        )
        respuesta = c.post(
            reverse("compromisos:medio_reemplazar", args=[original.pk]),
            {"archivo": pdf(texto="v3")},
            follow=True,
        )
        assert "Solo se reemplaza la versión vigente" in respuesta.content.decode()
        assert avance.medios.count() == 2

    def test_quitar_en_borrador_queda_registrado_y_conserva_el_archivo(self, avance, encargado):
        c = cliente(encargado)
        subir(c, avance, pdf())
        medio = avance.medios.get()
        assert (
            "¿Quitar «acta.pdf» del informe?"
            in c.get(reverse("compromisos:medio_eliminar", args=[medio.pk])).content.decode()
        )
        c.post(reverse("compromisos:medio_eliminar", args=[medio.pk]))
        medio.refresh_from_db()
        assert medio.eliminado_por == encargado and medio.eliminado_en is not None
        assert medio.archivo.storage.exists(medio.archivo.name)
        assert Evento.objects.filter(accion="medio.eliminar", objeto_id=medio.pk).exists()

    def test_no_se_quita_un_archivo_de_un_informe_ya_enviado(self, avance, encargado, analista):
        c = cliente(encargado)
        subir(c, avance, pdf())
        medio = avance.medios.get()
        informe = revision_transicionar(objeto=avance.informe, accion="enviar", usuario=encargado)
        informe = revision_transicionar(objeto=informe, accion="tomar", usuario=analista)
        observar(informe, analista)
        respuesta = c.post(reverse("compromisos:medio_eliminar", args=[medio.pk]), follow=True)
        assert "se reemplazan por una versión nueva" in respuesta.content.decode()
        medio.refresh_from_db()
        assert medio.eliminado_en is None


class TestDescarga:
    def test_descarga_como_adjunto_con_nosniff(self, avance, encargado):
        c = cliente(encargado)
        subir(c, avance, pdf("Acta N° 5.pdf"))
        medio = avance.medios.get()
        respuesta = c.get(reverse("compromisos:medio_descargar", args=[medio.pk]))
        assert respuesta.status_code == 200
        assert respuesta["Content-Disposition"].startswith("attachment;")
        assert respuesta["Content-Type"] == "application/octet-stream"
        assert respuesta["X-Content-Type-Options"] == "nosniff"
        assert b"".join(respuesta.streaming_content) == pdf_minimo("Acta de la mesa técnica")

    def test_vista_previa_en_linea_de_imagenes_y_pdf(self, avance, encargado):
        c = cliente(encargado)
        subir(c, avance, SimpleUploadedFile("foto.png", png_minimo(semilla=3)))
        medio = avance.medios.get()
        respuesta = c.get(reverse("compromisos:medio_ver", args=[medio.pk]))
        assert respuesta["Content-Type"] == "image/png"
        assert respuesta["Content-Disposition"].startswith("inline;")
        # Framed only by the SRM itself (the review page's preview).
        assert respuesta["X-Frame-Options"] == "SAMEORIGIN"
        assert "frame-ancestors 'self'" in respuesta["Content-Security-Policy"]

    def test_csv_no_se_muestra_en_linea(self, avance, encargado):
        c = cliente(encargado)
        subir(c, avance, SimpleUploadedFile("datos.csv", b"a;b\n1;2\n"))
        medio = avance.medios.get()
        respuesta = c.get(reverse("compromisos:medio_ver", args=[medio.pk]))
        assert respuesta.status_code == 302 and respuesta.url == reverse(
            "compromisos:medio_descargar", args=[medio.pk]
        )


class TestPermisos:
    @pytest.fixture
    def medio(self, avance, encargado):
        subir(cliente(encargado), avance, pdf())
        return avance.medios.get()

    @pytest.mark.parametrize(
        "nombre",
        ["compromisos:medio_descargar", "compromisos:medio_ver", "compromisos:medio_eliminar"],
    )
    def test_otro_servicio_recibe_404(self, medio, encargado_otro, nombre):
        assert cliente(encargado_otro).get(reverse(nombre, args=[medio.pk])).status_code == 404

    @pytest.mark.parametrize("persona", ["analista", "jefatura", "consultora"])
    def test_subdere_y_consultora_asignada_descargan(self, request, medio, persona):
        respuesta = cliente(request.getfixturevalue(persona)).get(
            reverse("compromisos:medio_descargar", args=[medio.pk])
        )
        assert respuesta.status_code == 200

    @pytest.mark.parametrize("persona", ["analista", "jefatura", "consultora"])
    def test_solo_el_servicio_sube_reemplaza_y_quita(self, request, medio, avance, persona):
        c = cliente(request.getfixturevalue(persona))
        assert subir(c, avance, pdf("otro.pdf", "otro")).redirect_chain == []
        assert (
            c.post(
                reverse("compromisos:medio_subir", args=[avance.pk]), {"archivos": [pdf(texto="x")]}
            ).status_code
            == 403
        )
        assert (
            c.post(
                reverse("compromisos:medio_reemplazar", args=[medio.pk]),
                {"archivo": pdf(texto="y")},
            ).status_code
            == 403
        )
        assert c.post(reverse("compromisos:medio_eliminar", args=[medio.pk])).status_code == 403
        assert avance.medios.count() == 1

    def test_subir_a_avance_de_otro_servicio_responde_404(self, avance, encargado_otro):
        respuesta = cliente(encargado_otro).post(
            reverse("compromisos:medio_subir", args=[avance.pk]), {"archivos": [pdf()]}
        )
        assert respuesta.status_code == 404

    @pytest.mark.parametrize("nombre", ["compromisos:medio_subir", "compromisos:medio_reemplazar"])
    def test_get_no_se_permite(self, medio, avance, encargado, nombre):
        pk = avance.pk if nombre == "compromisos:medio_subir" else medio.pk
        assert cliente(encargado).get(reverse(nombre, args=[pk])).status_code == 405


def test_archivo_sobre_el_limite_configurado_se_rechaza_con_el_limite(avance, encargado, settings):
    settings.SRM_MAX_UPLOAD_BYTES = 1024 * 1024
    grande = SimpleUploadedFile("informe grande.pdf", pdf_minimo("x") + b"0" * (1024 * 1024))
    respuesta = subir(cliente(encargado), avance, grande)
    contenido = respuesta.content.decode()
    assert "informe grande.pdf" in contenido and "1 MB" in contenido
    assert not avance.medios.exists()


def test_ejecutable_renombrado_se_rechaza(avance, encargado):
    falso = SimpleUploadedFile("acta.pdf", b"MZ\x90\x00" + b"\x00" * 200)
    respuesta = subir(cliente(encargado), avance, falso)
    assert "«acta.pdf» no es de un tipo permitido" in respuesta.content.decode()
    assert not avance.medios.exists()
