"""The Unidad sets up a year's programa marco in the admin: catalogue, copy, decree, universe."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bitacora.acciones import detallar
from bitacora.models import Evento
from compromisos.models import Proceso
from demo.archivos import pdf_minimo
from programa.models import (
    EtapaSistema,
    Marco,
    Participacion,
    ProgramaMarco,
    RequisitoTecnico,
    SistemaPMG,
)
from programa.services import programa_copiar
from tests.conftest import cliente

pytestmark = pytest.mark.django_db

SISTEMAS_SEMILLA_001 = [
    (
        "Marco Básico",
        "Calidad de Atención a Usuarios",
        "Sistema Integral de Información y Atención Ciudadana",
    ),
    ("Marco Básico", "Calidad de Atención a Usuarios", "Sistema Seguridad de la Información"),
    (
        "Marco Básico",
        "Calidad de Atención a Usuarios",
        "Gobierno Electrónico - Tecnologías de Información",
    ),
    (
        "Marco Básico",
        "Planificación / Control de Gestión",
        "Sistema de Monitoreo del Desempeño Institucional",
    ),
    ("Marco Básico", "Planificación / Control de Gestión", "Descentralización"),
    ("Marco Básico", "Planificación / Control de Gestión", "Equidad de Género"),
]


def test_el_catalogo_2011_tiene_cada_sistema_de_la_semilla_001_escrito_como_alli(referencias):
    sistemas = SistemaPMG.objects.filter(area__marco__programa__anio=2011).select_related(
        "area__marco"
    )
    assert sorted((s.area.marco.nombre, s.area.nombre, s.nombre) for s in sistemas) == sorted(
        SISTEMAS_SEMILLA_001
    )
    assert list(Marco.objects.filter(programa__anio=2011).values_list("nombre", flat=True)) == [
        "Marco Básico",
        "Marco Avanzado",
        "Marco de la Calidad",
    ]
    # Every row says where it comes from.
    assert not SistemaPMG.objects.filter(area__marco__programa__anio=2011, fuente="").exists()
    assert not RequisitoTecnico.objects.filter(fuente="").exists()
    assert "completa la Unidad" in ProgramaMarco.objects.get(anio=2011).fuente


def test_las_etapas_de_descentralizacion_siguen_las_semillas_002_y_004(referencias):
    sistema = SistemaPMG.objects.get(area__marco__programa__anio=2011, nombre="Descentralización")
    assert sistema.es_contraparte_subdere
    assert list(sistema.etapas.values_list("numero", "nombre")) == [
        (1, "Diagnóstico / informe de factibilidad"),
        (2, "Plan y programa de trabajo"),
        (3, "Implementación"),
        (4, "Evaluación"),
    ]
    factibilidad = EtapaSistema.objects.get(sistema=sistema, numero=1)
    medios = [m.descripcion for r in factibilidad.requisitos.all() for m in r.medios.all()]
    assert medios == ["Informe de factibilidad"]


def test_copiar_al_anio_siguiente_desde_el_admin_queda_registrado(admin):
    c = cliente(admin)
    url = reverse("admin:programa_programamarco_changelist")
    datos = {"action": "copiar_al_anio_siguiente", "_selected_action": [2011]}
    respuesta = c.post(url, datos, follow=True)
    assert "Programa marco 2011 copiado a 2012" in respuesta.content.decode()
    nuevos = SistemaPMG.objects.filter(area__marco__programa__anio=2012)
    assert sorted(nuevos.values_list("nombre", flat=True)) == sorted(
        s for _, _, s in SISTEMAS_SEMILLA_001
    )
    assert EtapaSistema.objects.filter(sistema__in=nuevos).count() == 24
    assert RequisitoTecnico.objects.filter(etapa__sistema__in=nuevos).count() == (
        RequisitoTecnico.objects.filter(etapa__sistema__area__marco__programa__anio=2011).count()
    )
    evento = Evento.objects.get(accion="programa.copiar")
    assert (evento.usuario, evento.anio, evento.detalle["desde"]) == (admin, 2012, 2011)
    # Never over a year that has its catalogue.
    respuesta = c.post(url, datos, follow=True)
    assert "El programa marco 2012 ya tiene su catálogo" in respuesta.content.decode()
    assert SistemaPMG.objects.filter(area__marco__programa__anio=2012).count() == 6


@pytest.mark.parametrize("persona", ["jefatura", "analista", "encargado"])
def test_solo_la_administracion_copia_el_programa(request, persona):
    with pytest.raises(PermissionDenied):
        programa_copiar(
            origen=ProgramaMarco.objects.get(anio=2011),
            anio=2012,
            usuario=request.getfixturevalue(persona),
        )
    assert not SistemaPMG.objects.filter(area__marco__programa__anio=2012).exists()


@pytest.mark.parametrize("persona", ["analista", "encargado"])
def test_otros_roles_no_entran_al_admin_del_programa(request, persona):
    respuesta = cliente(request.getfixturevalue(persona)).get(
        reverse("admin:programa_programamarco_change", args=[2011])
    )
    assert respuesta.status_code == 302 and "/login/" in respuesta["Location"]


def test_el_admin_ve_el_catalogo_y_el_universo_del_anio(admin):
    pagina = cliente(admin).get(reverse("admin:programa_programamarco_change", args=[2011]))
    texto = pagina.content.decode()
    assert pagina.status_code == 200
    assert "Descentralización" in texto and "Marco de la Calidad" in texto
    assert "Servicio de Vivienda y Urbanización Región de Los Ríos" in texto
    assert "PMG Gestión Territorial" in texto


def test_el_admin_agrega_un_requisito_con_su_medio(admin):
    etapa = EtapaSistema.objects.get(
        sistema__area__marco__programa__anio=2011,
        sistema__nombre="Sistema Seguridad de la Información",
        numero=2,
    )
    c = cliente(admin)
    datos = {
        "sistema": etapa.sistema_id,
        "numero": "2",
        "nombre": "",
        "fuente": "Completado por la Unidad",
        "requisitos-TOTAL_FORMS": "1",
        "requisitos-INITIAL_FORMS": "0",
        "requisitos-0-texto": "Política de seguridad aprobada.",
        "requisitos-0-orden": "1",
        "requisitos-0-fuente": "Completado por la Unidad",
    }
    respuesta = c.post(reverse("admin:programa_etapasistema_change", args=[etapa.pk]), datos)
    assert respuesta.status_code == 302
    requisito = etapa.requisitos.get()
    assert requisito.texto == "Política de seguridad aprobada."
    assert Evento.objects.filter(accion="programa.modificar", anio=2011).exists()


def datos_proceso(proceso: Proceso, **cambios) -> dict:
    return {
        "anio": str(proceso.anio),
        "programa": proceso.programa,
        "descripcion": proceso.descripcion,
        "decreto_programa_marco": proceso.decreto_programa_marco,
        "decreto_numero": "",
        "decreto_fecha": "",
        "decreto_estado": "borrador",
        "hitos-TOTAL_FORMS": "0",
        "hitos-INITIAL_FORMS": "0",
        "entregables-TOTAL_FORMS": "0",
        "entregables-INITIAL_FORMS": "0",
        **cambios,
    }


def test_el_decreto_se_registra_con_su_documento_revisado(admin, proceso):
    c = cliente(admin)
    url = reverse("admin:compromisos_proceso_change", args=[proceso.pk])
    documento = SimpleUploadedFile("decreto 2026.pdf", pdf_minimo("Decreto exento 123"))
    datos = datos_proceso(
        proceso,
        decreto_numero="123",
        decreto_fecha="2025-12-15",
        decreto_estado="opinion_tecnica",
        documento=documento,
    )
    respuesta = c.post(url, datos)
    assert respuesta.status_code == 302
    proceso.refresh_from_db()
    assert (proceso.decreto_numero, proceso.decreto_estado) == ("123", "opinion_tecnica")
    assert proceso.decreto_nombre_original == "decreto 2026.pdf"
    assert len(proceso.decreto_sha256) == 64
    assert proceso.decreto_documento.name.startswith("programa_marco/2026/")
    evento = Evento.objects.get(accion="proceso.decreto")
    assert "documento «decreto 2026.pdf»" in detallar(evento.accion, evento.detalle)


def test_un_documento_disfrazado_se_rechaza_sin_perder_lo_escrito(admin, proceso):
    c = cliente(admin)
    url = reverse("admin:compromisos_proceso_change", args=[proceso.pk])
    falso = SimpleUploadedFile("decreto.pdf", b"MZ\x90\x00 no es un PDF" * 20)
    respuesta = c.post(url, datos_proceso(proceso, decreto_numero="77", documento=falso))
    texto = respuesta.content.decode()
    assert respuesta.status_code == 200
    assert "decreto.pdf" in texto and 'value="77"' in texto
    proceso.refresh_from_db()
    assert proceso.decreto_numero == "" and not proceso.decreto_sha256
    assert not Evento.objects.filter(accion="proceso.decreto").exists()


def test_la_participacion_editada_en_el_admin_queda_registrada(admin, llanquihue):
    c = cliente(admin)
    respuesta = c.post(
        reverse("admin:programa_participacion_add"),
        {
            "programa": "2011",
            "servicio": str(llanquihue.pk),
            "estado": "eximido",
            "otro_sistema": "",
            "motivo": "",
            "fuente": "",
        },
    )
    assert respuesta.status_code == 200  # an exemption needs its reason
    assert not Participacion.objects.filter(servicio=llanquihue).exists()
    respuesta = c.post(
        reverse("admin:programa_participacion_add"),
        {
            "programa": "2011",
            "servicio": str(llanquihue.pk),
            "estado": "participa",
            "otro_sistema": "",
            "motivo": "",
            "fuente": "Completado por la Unidad",
        },
    )
    assert respuesta.status_code == 302
    evento = Evento.objects.get(accion="participacion.guardar")
    assert (evento.servicio_id, evento.anio) == (llanquihue.pk, 2011)
