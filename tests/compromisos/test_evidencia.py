"""Evidence in sight (issue 13, point 2): the approval snapshot as a page with its integrity
check, every version of a file linked, the servicio's read-only informe with its files, and
promised medios counted over the year."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bitacora.models import Evento
from compromisos import selectors, services
from compromisos.models import InformeAvance, Instantanea, MedioComprometido, MedioVerificacion
from demo.archivos import pdf_minimo
from servicios.models import Cartera
from tests.conftest import ANIO, cliente, crear_informe, crear_usuario
from validacion.services import revision_transicionar

pytestmark = pytest.mark.django_db

URLS_PROBADAS = {"compromisos:instantanea_detalle", "compromisos:instantanea_verificar"}


def aprobar(informe, encargado, analista) -> InformeAvance:
    informe = revision_transicionar(objeto=informe, accion="enviar", usuario=encargado)
    informe = revision_transicionar(objeto=informe, accion="tomar", usuario=analista)
    return revision_transicionar(objeto=informe, accion="aprobar", usuario=analista)


@pytest.fixture
def aprobacion(informe_osorno, encargado, analista) -> Instantanea:
    analista.first_name, analista.last_name = "Carla", "Rojas"
    analista.save()
    aprobar(informe_osorno, encargado, analista)
    return Instantanea.objects.get(informe=informe_osorno, motivo="aprobacion")


@pytest.fixture
def aprobacion_llanquihue(informe_llanquihue, encargado_otro, llanquihue) -> Instantanea:
    analista_llanquihue = crear_usuario("analista_llanquihue", "analista")
    Cartera.objects.create(
        anio=ANIO, rol=Cartera.Rol.ANALISTA, usuario=analista_llanquihue, servicio=llanquihue
    )
    aprobar(informe_llanquihue, encargado_otro, analista_llanquihue)
    return Instantanea.objects.get(informe=informe_llanquihue, motivo="aprobacion")


def url(nombre: str, instantanea: Instantanea) -> str:
    return reverse(f"compromisos:{nombre}", args=[instantanea.pk])


class TestPermisosDeLaInstantanea:
    @pytest.mark.parametrize(
        "nombre, metodo", [("instantanea_detalle", "get"), ("instantanea_verificar", "post")]
    )
    def test_anonimo_va_al_ingreso(self, client, aprobacion, nombre, metodo):
        respuesta = getattr(client, metodo)(url(nombre, aprobacion))
        assert respuesta.status_code == 302 and respuesta.url.startswith(reverse("login"))

    @pytest.mark.parametrize(
        "persona", ["encargado", "consultora", "analista", "jefatura", "admin"]
    )
    def test_quien_ve_el_informe_ve_y_verifica_su_instantanea(self, request, aprobacion, persona):
        c = cliente(request.getfixturevalue(persona))
        assert c.get(url("instantanea_detalle", aprobacion)).status_code == 200
        assert c.post(url("instantanea_verificar", aprobacion)).status_code == 302

    @pytest.mark.parametrize("persona", ["encargado", "consultora", "sin_rol"])
    def test_otro_servicio_y_sin_rol_reciben_404(self, request, aprobacion_llanquihue, persona):
        c = cliente(request.getfixturevalue(persona))
        assert c.get(url("instantanea_detalle", aprobacion_llanquihue)).status_code == 404
        assert c.post(url("instantanea_verificar", aprobacion_llanquihue)).status_code == 404
        assert not Evento.objects.filter(accion="instantanea.verificar").exists()

    def test_verificar_solo_por_post_y_detalle_solo_por_get(self, aprobacion, encargado):
        c = cliente(encargado)
        assert c.get(url("instantanea_verificar", aprobacion)).status_code == 405
        assert c.post(url("instantanea_detalle", aprobacion)).status_code == 405


class TestInstantanea:
    def test_muestra_textos_archivos_sha256_quien_y_cuando(self, aprobacion, encargado):
        informe = aprobacion.informe
        medio = MedioVerificacion.objects.filter(avance__informe=informe).first()
        contenido = cliente(encargado).get(url("instantanea_detalle", aprobacion)).content.decode()
        assert "Aprobado por <strong>Carla Rojas</strong>" in contenido
        assert aprobacion.momento.astimezone().strftime("%d-%m-%Y") in contenido
        assert medio.sha256 in contenido
        assert reverse("compromisos:medio_descargar", args=[medio.pk]) in contenido
        assert "30 %" in contenido and "C01 · Compromiso 1" in contenido

    def test_el_informe_y_la_revision_enlazan_sus_instantaneas(
        self, aprobacion, encargado, jefatura
    ):
        enlace = url("instantanea_detalle", aprobacion)
        informe = aprobacion.informe
        assert (
            enlace
            in cliente(encargado)
            .get(reverse("compromisos:informe_detalle", args=[informe.pk]))
            .content.decode()
        )
        assert (
            enlace
            in cliente(jefatura)
            .get(reverse("validacion:informe_revisar", args=[informe.pk]))
            .content.decode()
        )

    def test_verificar_con_archivos_intactos(self, aprobacion, jefatura):
        respuesta = cliente(jefatura).post(url("instantanea_verificar", aprobacion), follow=True)
        assert "Los 2 archivos coinciden con el SHA-256 registrado" in respuesta.content.decode()
        evento = Evento.objects.get(accion="instantanea.verificar")
        assert evento.usuario == jefatura and evento.detalle == {"archivos": 2, "alterados": []}
        assert evento.servicio_id == aprobacion.informe.formulacion.servicio_id
        assert "todos los archivos coinciden" in respuesta.content.decode()

    def test_verificar_dice_que_archivo_cambio_o_falta(self, aprobacion, analista):
        alterado, perdido = MedioVerificacion.objects.filter(
            avance__informe=aprobacion.informe
        ).order_by("avance__compromiso__codigo")
        with open(alterado.archivo.path, "ab") as archivo:
            archivo.write(b"% alterado fuera del SRM")
        perdido.archivo.storage.delete(perdido.archivo.name)
        contenido = (
            cliente(analista)
            .post(url("instantanea_verificar", aprobacion), follow=True)
            .content.decode()
        )
        assert "Integridad comprometida" in contenido
        assert "C01 «acta 0.pdf» no coincide" in contenido
        assert "C02 «acta 0.pdf» no se encuentra" in contenido
        assert Evento.objects.get(accion="instantanea.verificar").detalle["alterados"] == [
            "C01: acta 0.pdf (no coincide)",
            "C02: acta 0.pdf (no se encuentra)",
        ]


class TestVersiones:
    def test_cada_version_se_enlaza_en_la_revision_y_en_la_historia(
        self, informe_osorno, encargado, analista
    ):
        original = MedioVerificacion.objects.filter(avance__informe=informe_osorno).first()
        nueva = services.medio_reemplazar(
            medio=original,
            archivo=SimpleUploadedFile("acta corregida.pdf", pdf_minimo("corregida")),
            usuario=encargado,
        )
        informe = revision_transicionar(objeto=informe_osorno, accion="enviar", usuario=encargado)
        contenido = (
            cliente(analista)
            .get(reverse("validacion:informe_revisar", args=[informe.pk]))
            .content.decode()
        )
        anterior = reverse("compromisos:medio_descargar", args=[original.pk])
        vigente = reverse("compromisos:medio_descargar", args=[nueva.pk])
        revision, historia = contenido.split('id="historia-titulo"')
        assert "Versiones anteriores (1)" in revision and anterior in revision
        assert f'<a href="{vigente}">«acta corregida.pdf»</a>' in historia
        assert f'(<a href="{anterior}">versión anterior</a>)' in historia
        assert cliente(analista).get(anterior).status_code == 200


class TestInformeDelServicio:
    def test_el_informe_en_lectura_muestra_archivos_vista_previa_y_justificacion(
        self, formulacion_osorno, encargado
    ):
        MedioComprometido.objects.create(
            compromiso=formulacion_osorno.compromisos.get(codigo="C01"),
            descripcion="Convenio firmado",
            tipo="convenio",
        )
        informe = crear_informe(formulacion_osorno)
        services.informe_enviar(
            informe=informe,
            usuario=encargado,
            justificacion_faltantes="El convenio se firma en agosto.",
        )
        medio = MedioVerificacion.objects.filter(avance__informe=informe).first()
        contenido = (
            cliente(encargado)
            .get(reverse("compromisos:informe_detalle", args=[informe.pk]))
            .content.decode()
        )
        assert reverse("compromisos:medio_descargar", args=[medio.pk]) in contenido
        assert reverse("compromisos:medio_ver", args=[medio.pk]) in contenido
        assert "El convenio se firma en agosto." in contenido
        assert "Convenio firmado" in contenido
        # The page title is the title only (it once held the whole history).
        titulo = contenido.split("<title>")[1].split("</title>")[0]
        assert "Historia" not in titulo


def _prometido_entregado_en_el_avance_1(formulacion, encargado):
    compromiso = formulacion.compromisos.get(codigo="C01")
    prometido = MedioComprometido.objects.create(
        compromiso=compromiso, descripcion="Acta de constitución", tipo="acta"
    )
    otro = MedioComprometido.objects.create(
        compromiso=compromiso, descripcion="Informe de cierre", tipo="informe"
    )
    primero = crear_informe(formulacion, "avance_1", medios_por_avance=0)
    contenido = pdf_minimo("acta de constitución")
    services.medio_subir(
        avance=primero.avances.get(compromiso=compromiso),
        archivo=SimpleUploadedFile("acta.pdf", contenido),
        usuario=encargado,
        medio_comprometido=prometido,
    )
    assert MedioVerificacion.objects.get().sha256 == hashlib.sha256(contenido).hexdigest()
    return prometido, otro


class TestMediosDelAnio:
    def test_lo_entregado_en_el_avance_1_cuenta_despues_y_dice_donde(
        self, formulacion_osorno, encargado
    ):
        prometido, otro = _prometido_entregado_en_el_avance_1(formulacion_osorno, encargado)
        segundo = crear_informe(formulacion_osorno, "avance_2", medios_por_avance=0)
        avance = next(
            a
            for a in selectors.avances_para_editar(informe=segundo)
            if a.compromiso.codigo == "C01"
        )
        assert avance.lista_medios == [
            (prometido, "en el Informe de avance 1"),
            (otro, ""),
        ]
        assert avance.completitud == 50
        assert services.medios_faltantes(segundo) == [otro]
        contenido = (
            cliente(encargado)
            .get(reverse("compromisos:informe_editar", args=[segundo.pk]))
            .content.decode()
        )
        assert "entregado en el Informe de avance 1" in contenido

    def test_un_informe_anterior_no_cuenta_lo_que_se_entrega_despues(
        self, formulacion_osorno, encargado
    ):
        prometido, _ = _prometido_entregado_en_el_avance_1(formulacion_osorno, encargado)
        primero = InformeAvance.objects.get(periodo="avance_1")
        assert prometido not in services.medios_faltantes(primero)
        MedioVerificacion.objects.update(medio_comprometido=None)
        assert prometido in services.medios_faltantes(primero)

    def test_el_final_pide_justificar_solo_lo_nunca_entregado(self, formulacion_osorno, encargado):
        _, otro = _prometido_entregado_en_el_avance_1(formulacion_osorno, encargado)
        final = crear_informe(formulacion_osorno, "final", medios_por_avance=0)
        with pytest.raises(Exception) as error:
            services.informe_enviar(informe=final, usuario=encargado)
        assert "Informe de cierre" in str(error.value)
        assert "Acta de constitución" not in str(error.value)
        otro.delete()
        services.informe_enviar(informe=final, usuario=encargado)
        final.refresh_from_db()
        assert final.estado == "enviado" and final.justificacion_medios_faltantes == ""
