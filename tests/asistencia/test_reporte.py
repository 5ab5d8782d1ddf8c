"""Issue 19: «Asistencia técnica del año (Excel)» through the reports machinery, read back."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from asistencia import services
from asistencia.models import ConfiguracionAsistencia, Contacto
from compromisos.models import EstadoRevision, FormulacionPMG
from reportes.models import Reporte
from tests.conftest import cliente
from tests.reportes.conftest import filas, generar, libro

pytestmark = pytest.mark.django_db


@pytest.fixture
def asistencia_2026(formulacion_osorno, formulacion_llanquihue, osorno, encargado, analista):
    """A jornada held for Osorno and Llanquihue (Osorno attended), an acuerdo, a consulta
    answered after a holiday, and a contact."""
    FormulacionPMG.objects.update(estado=EstadoRevision.APROBADO)
    ConfiguracionAsistencia.objects.create(anio=2026, dias_respuesta_consulta=5)
    inicio = timezone.make_aware(datetime.datetime(2026, 1, 12, 10))
    actividad = services.actividad_planificar(
        usuario=analista,
        anio=2026,
        tipo="jornada",
        tema="Jornada de puesta en marcha",
        inicio=inicio,
        fin=inicio + datetime.timedelta(hours=2),
        responsable=analista,
        servicios=[formulacion_osorno.servicio, formulacion_llanquihue.servicio],
        lugar="Auditorio SUBDERE",
    )
    services.actividad_convocar(actividad=actividad, usuario=analista)
    convocado = actividad.convocados.get(servicio=osorno)
    inscripcion = services.inscripcion_crear(convocado=convocado, nombre="Ana", usuario=encargado)
    services.asistencia_registrar(actividad=actividad, presentes={inscripcion.pk}, usuario=analista)
    services.acuerdo_crear(
        actividad=actividad,
        descripcion="Enviar el acta firmada",
        responsable="Encargada PMG",
        plazo=datetime.date(2026, 1, 30),
        servicio=osorno,
        usuario=analista,
    )
    consulta = services.consulta_crear(
        servicio=osorno,
        anio=2026,
        asunto="¿Plazo del informe?",
        texto="¿Hasta cuándo?",
        usuario=encargado,
        hoy=datetime.date(2026, 9, 17),
    )
    Contacto.objects.create(
        servicio=osorno,
        anio=2026,
        analista=analista,
        canal="llamada",
        fecha=datetime.date(2026, 3, 2),
        tema="Formulación",
    )
    return consulta


def test_el_excel_tiene_sus_cinco_hojas(asistencia_2026, jefatura):
    reporte = generar(jefatura, "asistencia_xlsx", anio=2026)
    assert reporte.estado == Reporte.Estado.LISTO, reporte.error
    hojas = libro(reporte)
    assert hojas.sheetnames == [
        "Actividades",
        "Consultas",
        "Contactos",
        "Acuerdos",
        "Asistencia y resultados",
    ]
    (jornada,) = filas(hojas["Actividades"])
    assert jornada["Tema"] == "Jornada de puesta en marcha"
    assert jornada["Servicios convocados"] == 2
    assert jornada["Personas inscritas"] == 1
    assert jornada["Personas que asistieron"] == 1
    assert jornada["Asistencia (servicios, si se realizó)"] == pytest.approx(0.5)
    (consulta,) = filas(hojas["Consultas"])
    assert consulta["Plazo (días hábiles)"] == 5
    assert consulta["Responder a más tardar"].date() == datetime.date(2026, 9, 25)
    assert consulta["Estado"] == "Pendiente de respuesta"
    (contacto,) = filas(hojas["Contactos"])
    assert contacto["Canal"] == "Llamada telefónica"
    (acuerdo,) = filas(hojas["Acuerdos"])
    assert acuerdo["Estado"] == "Abierto, plazo vencido"
    por_servicio = {f["Servicio"]: f for f in filas(hojas["Asistencia y resultados"])}
    osorno = por_servicio["Gobernación Provincial de Osorno"]
    assert osorno["Contactos"] == 1 and osorno["Actividades asistidas"] == 1
    assert osorno["Consultas"] == 1
    assert por_servicio["Gobernación Provincial de Llanquihue"]["Actividades asistidas"] == 0


def test_los_dias_habiles_para_responder(asistencia_2026, analista, jefatura):
    consulta = asistencia_2026
    services.consulta_escribir(consulta=consulta, texto="El 30-06.", usuario=analista)
    # Answered today: counted in días hábiles from the day it was asked (now, in the test).
    (fila,) = filas(libro(generar(jefatura, "asistencia_xlsx", anio=2026))["Consultas"])
    assert fila["Días hábiles para responder"] == 0
    assert fila["Respondida en plazo"] in ("Sí", "No")


def test_el_reporte_se_pide_desde_la_pagina_y_el_servicio_no_lo_pide(
    asistencia_2026, analista, encargado
):
    pagina = cliente(analista).get(reverse("reportes:lista")).content.decode()
    assert "Asistencia técnica del año (Excel)" in pagina
    respuesta = cliente(analista).post(
        reverse("reportes:solicitar"), {"tipo": "asistencia_xlsx", "asistencia_xlsx-anio": 2026}
    )
    assert respuesta.status_code == 302
    assert Reporte.objects.filter(tipo="asistencia_xlsx", anio=2026).exists()
    assert (
        "Asistencia técnica del año"
        not in cliente(encargado).get(reverse("reportes:lista")).content.decode()
    )
    assert (
        cliente(encargado)
        .post(
            reverse("reportes:solicitar"),
            {"tipo": "asistencia_xlsx", "asistencia_xlsx-anio": 2026},
        )
        .status_code
        == 403
    )


def test_el_expediente_trae_los_contactos_y_consultas_del_servicio(
    asistencia_2026, osorno, llanquihue, encargado, encargado_otro, analista
):
    """The servicio's expediente ZIP carries its contacts and consultas (with their thread) of
    the year, and none of another servicio."""
    import io

    from openpyxl import load_workbook

    from tests.reportes.conftest import zip_de

    services.consulta_escribir(consulta=asistencia_2026, texto="Hasta el 30-06.", usuario=analista)
    services.consulta_crear(
        servicio=llanquihue,
        anio=2026,
        asunto="Consulta de Llanquihue",
        texto="Otra",
        usuario=encargado_otro,
    )
    Contacto.objects.create(
        servicio=llanquihue,
        anio=2026,
        analista=analista,
        canal="correo",
        fecha=datetime.date(2026, 4, 1),
        tema="Tema de Llanquihue",
    )
    reporte = generar(encargado, "expediente", servicio=osorno, anio=2026)
    assert reporte.estado == Reporte.Estado.LISTO, reporte.error
    archivo = zip_de(reporte)
    nombre = "expediente_gobernacion_provincial_de_osorno_2026/03_asistencia_tecnica.xlsx"
    hojas = load_workbook(io.BytesIO(archivo.read(nombre)))
    assert hojas.sheetnames == ["Contactos", "Consultas", "Mensajes de las consultas"]
    assert [f["Tema"] for f in filas(hojas["Contactos"])] == ["Formulación"]
    assert [f["Asunto"] for f in filas(hojas["Consultas"])] == ["¿Plazo del informe?"]
    mensajes = filas(hojas["Mensajes de las consultas"])
    assert [(m["De"], m["Mensaje"]) for m in mensajes] == [
        ("Servicio", "¿Hasta cuándo?"),
        ("SUBDERE", "Hasta el 30-06."),
    ]
