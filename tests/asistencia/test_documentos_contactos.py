"""The library of technical documents (versions, publication, reads) and the contacts."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from asistencia import services
from asistencia.models import Contacto, DocumentoTecnico, LecturaDocumento, VersionDocumento
from bitacora.models import Evento
from demo.archivos import pdf_minimo
from tests.conftest import cliente

pytestmark = pytest.mark.django_db


def pdf(nombre="guia.pdf", semilla="1"):
    return SimpleUploadedFile(nombre, pdf_minimo(semilla), content_type="application/pdf")


def guia(usuario, **kwargs):
    return services.documento_crear(
        anio=2026,
        tipo="guia",
        titulo="Guía metodológica del informe de avance",
        archivo=pdf(),
        usuario=usuario,
        **kwargs,
    )


def test_versiones_nunca_sobrescriben(analista):
    documento = guia(analista)
    v1 = documento.versiones.get()
    v2 = services.documento_version_agregar(
        documento=documento, archivo=pdf(semilla="2"), nota="Corrige el anexo", usuario=analista
    )
    assert (v1.numero, v2.numero) == (1, 2)
    assert v1.archivo.name != v2.archivo.name
    v1.refresh_from_db()
    assert v1.archivo.read() == pdf_minimo("1")
    assert v2.sha256 != v1.sha256


def test_un_archivo_disfrazado_se_rechaza(analista):
    with pytest.raises(ValidationError, match="en realidad es"):
        services.documento_crear(
            anio=2026,
            tipo="guia",
            titulo="x",
            archivo=SimpleUploadedFile("guia.docx", pdf_minimo("1")),
            usuario=analista,
        )
    assert not DocumentoTecnico.objects.exists() and not VersionDocumento.objects.exists()


def test_publicar_avisa_solo_a_los_destinatarios(
    analista, encargado, encargado_otro, osorno, django_capture_on_commit_callbacks
):
    documento = guia(analista, para_todos=False, servicios=[osorno])
    with django_capture_on_commit_callbacks(execute=True):
        assert services.documento_publicar(documento=documento, usuario=analista) == 1
    assert [m.to for m in mail.outbox] == [[encargado.email]]
    # The other servicio does not see it.
    respuesta = cliente(encargado_otro).get(
        reverse("asistencia:documento_detalle", args=[documento.pk])
    )
    assert respuesta.status_code == 404
    version = documento.versiones.get()
    assert (
        cliente(encargado_otro)
        .get(reverse("asistencia:version_descargar", args=[version.pk]))
        .status_code
        == 404
    )


def test_sin_publicar_el_servicio_no_lo_ve(analista, encargado):
    documento = guia(analista)
    assert (
        cliente(encargado)
        .get(reverse("asistencia:documento_detalle", args=[documento.pk]))
        .status_code
        == 404
    )


def test_las_lecturas_se_cuentan_por_servicio_y_version(analista, encargado, osorno):
    documento = guia(analista)
    services.documento_publicar(documento=documento, usuario=analista)
    version = documento.versiones.get()
    url = reverse("asistencia:version_descargar", args=[version.pk])
    for _ in range(2):
        respuesta = cliente(encargado).get(url)
        assert respuesta.status_code == 200
        assert b"".join(respuesta.streaming_content) == pdf_minimo("1")
    lectura = LecturaDocumento.objects.get()
    assert (lectura.servicio, lectura.veces, lectura.primera_persona) == (osorno, 2, encargado)
    # SUBDERE's downloads are not reads of a servicio.
    cliente(analista).get(url)
    assert LecturaDocumento.objects.count() == 1
    assert Evento.objects.filter(accion="documento.abrir", servicio=osorno).count() == 1
    pagina = cliente(analista).get(reverse("asistencia:documento_detalle", args=[documento.pk]))
    assert "Gobernación Provincial de Osorno" in pagina.content.decode()


def test_contacto_desde_la_revision(informe_osorno, analista, osorno):
    pagina = cliente(analista).get(reverse("validacion:informe_revisar", args=[informe_osorno.pk]))
    url = (
        reverse("asistencia:contacto_nuevo", args=[osorno.pk, 2026])
        + f"?informe={informe_osorno.pk}"
    )
    assert url.replace("&", "&amp;") in pagina.content.decode()
    respuesta = cliente(analista).post(
        url,
        {
            "canal": "llamada",
            "fecha": "2026-07-01",
            "tema": "Medios faltantes del informe 1",
            "acuerdos": "Subirá el acta",
        },
    )
    assert respuesta.url == reverse("validacion:informe_revisar", args=[informe_osorno.pk])
    contacto = Contacto.objects.get()
    assert (contacto.servicio, contacto.anio, contacto.informe) == (osorno, 2026, informe_osorno)
    evento = Evento.objects.get(accion="contacto.registrar")
    assert evento.servicio_id == osorno.pk
    # In the servicio's ficha.
    ficha = cliente(analista).get(reverse("servicios:servicio_detalle", args=[osorno.pk]))
    assert "Medios faltantes del informe 1" in ficha.content.decode()


def test_contacto_solo_de_la_cartera_y_no_futuro(analista, analista_otro, osorno, proceso):
    with pytest.raises(PermissionDenied):
        services.contacto_registrar(
            servicio=osorno,
            anio=2026,
            canal="correo",
            fecha=datetime.date(2026, 7, 1),
            tema="x",
            usuario=analista_otro,
        )
    with pytest.raises(ValidationError):
        services.contacto_registrar(
            servicio=osorno,
            anio=2026,
            canal="correo",
            fecha=datetime.date.today() + datetime.timedelta(days=3),
            tema="x",
            usuario=analista,
        )


def test_el_formulario_rapido_no_se_muestra_fuera_de_la_cartera(informe_osorno, analista_otro):
    pagina = cliente(analista_otro).get(
        reverse("validacion:informe_revisar", args=[informe_osorno.pk])
    )
    assert pagina.status_code == 200
    assert "contacto-rapido" not in pagina.content.decode()
