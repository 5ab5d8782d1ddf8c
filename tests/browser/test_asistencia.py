"""Technical assistance in Chromium: a jornada for the servicios late in the informe 1, its
invitation with the .ics, two registrations, attendance, the acta and an acuerdo closed; a
consulta answered within its deadline; a document published and its reads counted."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from asistencia import selectors
from asistencia.models import Actividad, Consulta, LecturaDocumento
from compromisos.models import InformeAvance
from compromisos.selectors import proceso_vigente
from demo.archivos import pdf_minimo
from servicios.models import Servicio
from tests.browser.conftest import TIEMPO_ESPERA_MS, ingresar, url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def como(navegador, live_server):
    """A fresh signed-in page per person (each its own browser context)."""
    contextos = []

    def abrir(usuario: str):
        contexto = navegador.new_context(locale="es-CL", timezone_id="America/Santiago")
        contexto.set_default_timeout(TIEMPO_ESPERA_MS)
        contextos.append(contexto)
        return ingresar(contexto.new_page(), live_server, usuario)

    yield abrir
    for contexto in contextos:
        contexto.close()


def test_jornada_para_los_atrasados_con_invitacion_asistencia_y_acta(
    datos_demo, live_server, como, revisar_accesibilidad
):
    anio = proceso_vigente().anio
    osorno = Servicio.objects.get(membresias__usuario__username="servicio")
    llanquihue = Servicio.objects.get(membresias__usuario__username="servicio2")
    # Both sent their informe de avance 1 late (or never): the jornada is for them.
    InformeAvance.objects.filter(
        formulacion__servicio__in=[osorno, llanquihue], periodo="avance_1"
    ).update(es_atrasado=True)
    atrasados = selectors.servicios_atrasados(
        anio=anio, periodo="avance_1", hoy=timezone.localdate()
    )
    assert {osorno, llanquihue} <= set(atrasados)

    analista = como("analista")
    analista.get_by_role("navigation", name="Navegación principal").get_by_role(
        "link", name="Asistencia"
    ).click()
    expect(analista.get_by_role("heading", level=1)).to_have_text(f"Asistencia técnica {anio}")
    revisar_accesibilidad(analista)
    analista.get_by_role("link", name="Planificar una actividad").click()
    # Planned for today, so that attendance can be taken on the day within the test.
    dia = timezone.localdate()
    analista.locator("#id_tipo").select_option("jornada")
    analista.get_by_label("Tema").fill("Jornada de apoyo a servicios atrasados")
    analista.get_by_label("Fecha").fill(dia.isoformat())
    analista.get_by_label("Hora de inicio").fill("00:30")
    analista.get_by_label("Hora de término").fill("23:30")
    analista.get_by_label("Lugar").fill("Sala 3, SUBDERE")
    analista.get_by_label("Convocar: solo los atrasados en").select_option("avance_1")
    revisar_accesibilidad(analista)
    analista.get_by_role("button", name="Planificar").click()
    expect(analista.get_by_text(f"{len(atrasados)} servicio(s) convocado(s)")).to_be_visible()
    actividad = Actividad.objects.get(tema="Jornada de apoyo a servicios atrasados")
    assert "atrasados en el informe de avance 1" in actividad.criterio

    analista.get_by_role("button", name="Enviar la convocatoria por correo").click()
    expect(
        analista.get_by_text(f"Convocatoria enviada por correo a {len(atrasados)}")
    ).to_be_visible()
    revisar_accesibilidad(analista)
    # The invitation reached each servicio's encargado/a with its .ics.
    por_destinatario = {m.to[0]: m for m in mail.outbox if "Convocatoria" in m.subject}
    for usuario in ("servicio", "servicio2"):
        correo = por_destinatario[f"{usuario}@demo.srm.invalid"]
        nombre, contenido, _ = correo.attachments[0]
        assert nombre == "invitacion.ics"
        evento = Calendar.from_ical(contenido).walk("VEVENT")[0]
        assert str(evento["summary"]).endswith("Jornada de apoyo a servicios atrasados")
        assert evento.decoded("dtstart") == actividad.inicio
        assert str(evento["location"]) == "Sala 3, SUBDERE"

    # Two servicios register who attends.
    for usuario, persona in (("servicio", "Marcela Oyarzún"), ("servicio2", "Patricio Vera")):
        pagina = como(usuario)
        pagina.goto(url(live_server, "asistencia:actividad_detalle", actividad.pk))
        expect(pagina.get_by_role("link", name="Agregar a mi calendario (.ics)")).to_be_visible()
        pagina.get_by_label("Nombre de quien asistirá").fill(persona)
        pagina.get_by_label("Cargo").fill("Encargado/a PMG")
        pagina.get_by_role("button", name="Inscribir").click()
        expect(pagina.get_by_text(f"Inscrita: {persona}.")).to_be_visible()
        # Each sees only its own servicio among the convened.
        expect(pagina.get_by_role("heading", level=3)).to_have_count(1)
        revisar_accesibilidad(pagina)

    # On the day: attendance, the acta with an acuerdo, and the acuerdo closed.
    analista.reload()
    analista.get_by_label(re.compile("^Marcela Oyarzún")).check()
    analista.get_by_label(re.compile("^Patricio Vera")).check()
    analista.get_by_role("button", name=re.compile("Registrar asistencia")).click()
    expect(analista.get_by_text("Asistencia registrada: 2 persona(s) presente(s).")).to_be_visible()
    analista.locator("#id_descripcion").fill("Enviar el informe de avance 1 corregido")
    analista.locator("#id_responsable").fill("Encargada PMG de Osorno")
    analista.locator("#id_plazo").fill((dia + datetime.timedelta(days=10)).isoformat())
    analista.locator("#id_servicio").select_option(str(osorno.pk))
    analista.get_by_role("button", name="Agregar acuerdo").click()
    expect(analista.get_by_text("Acuerdo agregado al acta.")).to_be_visible()
    analista.locator("#id_acta").fill("Se revisaron los medios faltantes de cada servicio.")
    analista.get_by_role("button", name="Guardar y enviar el acta").click()
    expect(analista.get_by_text(re.compile(r"Acta enviada \(\d+ correo"))).to_be_visible()
    revisar_accesibilidad(analista)
    acuerdo = actividad.acuerdos.get()
    analista.locator(f"#cierre-{acuerdo.pk}").fill("Informe reenviado y aprobado")
    analista.locator(f"#acuerdo-{acuerdo.pk}").get_by_role("button", name="Cerrar").click()
    expect(analista.get_by_text("Acuerdo cerrado.")).to_be_visible()
    expect(analista.locator(f"#acuerdo-{acuerdo.pk}")).to_contain_text("Cerrado el")
    actividad.refresh_from_db()
    assert actividad.estado == Actividad.Estado.REALIZADA and actividad.acta_enviada_en
    assert actividad.convocados.filter(inscritos__asistio=True).count() == 2


def test_consulta_respondida_dentro_del_plazo(datos_demo, live_server, como, revisar_accesibilidad):
    servicio = como("servicio")
    servicio.goto(url(live_server, "asistencia:inicio"))
    servicio.get_by_role("link", name="Hacer una consulta").click()
    expect(servicio.get_by_role("button", name="Enviar consulta")).to_be_visible()
    revisar_accesibilidad(servicio)
    servicio.get_by_role("button", name="Enviar consulta").click()
    expect(servicio.get_by_role("alert")).to_be_visible()  # nothing typed: the errors first
    servicio.get_by_label("Asunto").fill("Formato del acta de la mesa regional")
    servicio.get_by_label("Su consulta").fill("¿Debe ir firmada por el Intendente?")
    servicio.get_by_role("button", name="Enviar consulta").click()
    expect(servicio.get_by_text("Consulta enviada. SUBDERE responde a más tardar")).to_be_visible()
    consulta = Consulta.objects.get(asunto="Formato del acta de la mesa regional")

    analista = como("analista")
    analista.goto(url(live_server, "asistencia:inicio"))
    analista.get_by_role("link", name="Formato del acta de la mesa regional").click()
    analista.get_by_label("Mensaje").fill("Basta la firma del jefe de división.")
    analista.get_by_role("button", name="Enviar").click()
    expect(analista.get_by_text("Mensaje enviado.")).to_be_visible()
    revisar_accesibilidad(analista)

    servicio.reload()
    expect(servicio.locator("#estado-consulta")).to_contain_text("dentro del plazo")
    expect(servicio.get_by_text("Basta la firma del jefe de división.")).to_be_visible()
    consulta.refresh_from_db()
    assert consulta.respondida_a_tiempo
    # Another servicio cannot open it.
    otro = como("servicio2")
    respuesta = otro.goto(url(live_server, "asistencia:consulta_detalle", consulta.pk))
    assert respuesta.status == 404


def test_documento_publicado_y_sus_lecturas(
    datos_demo, live_server, como, revisar_accesibilidad, tmp_path
):
    anio = proceso_vigente().anio
    archivo = tmp_path / "requisitos.pdf"
    archivo.write_bytes(pdf_minimo("requisitos del navegador"))
    analista = como("analista")
    analista.goto(url(live_server, "asistencia:documentos") + f"?anio={anio}")
    analista.locator("#id_tipo").select_option("requisitos")
    analista.get_by_label("Título").fill("Requisitos técnicos, versión de prueba")
    analista.get_by_label("Archivo").set_input_files(str(archivo))
    analista.get_by_role("button", name="Agregar (sin publicar)").click()
    expect(analista.get_by_text("Documento agregado; revise y publíquelo.")).to_be_visible()
    analista.get_by_role("button", name="Publicar y avisar a los servicios").click()
    expect(analista.get_by_text(re.compile(r"Documento publicado; aviso a \d+"))).to_be_visible()
    revisar_accesibilidad(analista)
    assert any("Requisitos técnicos, versión de prueba" in m.subject for m in mail.outbox)

    servicio = como("servicio")
    servicio.goto(url(live_server, "asistencia:documentos") + f"?anio={anio}")
    servicio.get_by_role("link", name="Requisitos técnicos, versión de prueba").click()
    revisar_accesibilidad(servicio)
    with servicio.expect_download() as descarga:
        servicio.get_by_role("link", name=re.compile("^Versión 1")).click()
    assert descarga.value.suggested_filename == "requisitos.pdf"
    lectura = LecturaDocumento.objects.get(
        version__documento__titulo="Requisitos técnicos, versión de prueba"
    )
    assert lectura.servicio.nombre == "Gobernación Provincial de Osorno"

    analista.reload()
    fila = analista.locator("#tabla-lecturas tbody tr")
    expect(fila).to_have_count(1)
    expect(fila).to_contain_text("Gobernación Provincial de Osorno")


def test_consulta_desde_el_informe_llega_al_inicio_del_analista(
    datos_demo, live_server, como, revisar_accesibilidad
):
    """Issue 19: the servicio asks from its informe's page; the consulta waits on the analista's
    home with its deadline in días hábiles, and on the servicio's home until answered."""
    osorno = Servicio.objects.get(membresias__usuario__username="servicio")
    anio = proceso_vigente().anio
    informe = (
        InformeAvance.objects.filter(formulacion__servicio=osorno, formulacion__proceso__anio=anio)
        .order_by("pk")
        .first()
    )
    servicio = como("servicio")
    servicio.goto(url(live_server, "compromisos:informe_detalle", informe.pk))
    servicio.get_by_role("link", name="Hacer una consulta sobre este informe").click()
    revisar_accesibilidad(servicio)
    servicio.get_by_label("Asunto").fill("Medio faltante del informe")
    servicio.get_by_label("Su consulta").fill("¿Cómo justificamos el acta que falta?")
    servicio.get_by_role("button", name="Enviar consulta").click()
    expect(servicio.get_by_text("Consulta enviada. SUBDERE responde a más tardar")).to_be_visible()
    consulta = Consulta.objects.get(asunto="Medio faltante del informe")
    assert consulta.informe == informe

    servicio.goto(url(live_server, "inicio"))
    espera = servicio.get_by_role("region", name="Asistencia técnica de SUBDERE")
    expect(espera.get_by_role("link", name="Medio faltante del informe")).to_be_visible()
    revisar_accesibilidad(servicio)

    analista = como("analista")
    analista.goto(url(live_server, "inicio"))
    fila = analista.get_by_role("row").filter(has_text="Consulta «Medio faltante del informe»")
    expect(fila).to_contain_text(
        re.compile(r"Responder la consulta \((quedan? \d+ días? hábil(es)?|vence hoy)\)")
    )
    expect(fila).to_contain_text(consulta.plazo.strftime("%d-%m-%Y"))
    revisar_accesibilidad(analista)
    fila.get_by_role("link", name="Consulta «Medio faltante del informe»").click()
    expect(analista.get_by_text("¿Cómo justificamos el acta que falta?")).to_be_visible()
