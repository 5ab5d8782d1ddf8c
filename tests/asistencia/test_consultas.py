"""Consultas: the deadline in días hábiles, the thread, reminders and preguntas frecuentes."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from asistencia import services
from asistencia.models import ConfiguracionAsistencia, Consulta
from bitacora.models import Evento, Notificacion
from tests.conftest import cliente

pytestmark = pytest.mark.django_db

JUEVES_ANTES_DE_FIESTAS_PATRIAS = datetime.date(2026, 9, 17)


def preguntar(servicio, usuario, hoy=JUEVES_ANTES_DE_FIESTAS_PATRIAS, **kwargs):
    return services.consulta_crear(
        servicio=servicio,
        anio=2026,
        asunto=kwargs.pop("asunto", "¿Cómo se justifica un medio faltante?"),
        texto="En el informe 2 falta el acta de la mesa regional.",
        usuario=usuario,
        hoy=hoy,
        **kwargs,
    )


def test_el_plazo_cuenta_dias_habiles_y_salta_el_feriado(osorno, encargado, analista):
    ConfiguracionAsistencia.objects.create(anio=2026, dias_respuesta_consulta=5)
    consulta = preguntar(osorno, encargado)
    # Fri 18-09 is a holiday, then the weekend: 21, 22, 23, 24, 25.
    assert consulta.plazo == datetime.date(2026, 9, 25)
    assert consulta.dias_habiles == 5
    assert consulta.mensajes.get().texto.startswith("En el informe 2")
    evento = Evento.objects.get(accion="consulta.crear")
    assert evento.servicio_id == osorno.pk and evento.anio == 2026


def test_el_plazo_es_dato_del_anio(osorno, encargado, analista):
    ConfiguracionAsistencia.objects.create(anio=2026, dias_respuesta_consulta=2)
    assert preguntar(osorno, encargado).plazo == datetime.date(2026, 9, 22)


def test_sin_configuracion_se_usan_cinco_dias(osorno, encargado, analista):
    assert preguntar(osorno, encargado).dias_habiles == 5


def test_la_consulta_avisa_al_analista_y_la_respuesta_al_servicio(
    osorno, encargado, analista, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        consulta = preguntar(osorno, encargado, hoy=timezone.localdate())
    assert [m.to for m in mail.outbox] == [[analista.email]]
    assert "Consulta de Gobernación Provincial de Osorno" in mail.outbox[0].subject
    with django_capture_on_commit_callbacks(execute=True):
        services.consulta_escribir(
            consulta=consulta, texto="Justifíquelo en el informe.", usuario=analista
        )
    consulta.refresh_from_db()
    assert consulta.estado == Consulta.Estado.RESPONDIDA
    assert consulta.respondida_a_tiempo
    assert mail.outbox[-1].to == [encargado.email]
    assert "SUBDERE respondió su consulta" in mail.outbox[-1].subject


def test_el_servicio_repregunta_sin_reabrir_el_plazo(osorno, encargado, analista):
    consulta = preguntar(osorno, encargado)
    services.consulta_escribir(consulta=consulta, texto="Respuesta", usuario=analista)
    services.consulta_escribir(consulta=consulta, texto="¿Y si no hay acta?", usuario=encargado)
    consulta.refresh_from_db()
    assert consulta.estado == Consulta.Estado.RESPONDIDA
    assert [m.de_subdere for m in consulta.mensajes.all()] == [False, True, False]


def test_recordatorios_antes_y_despues_del_plazo_una_sola_vez(osorno, encargado, analista):
    ConfiguracionAsistencia.objects.create(anio=2026, dias_respuesta_consulta=5, dias_aviso_antes=1)
    consulta = preguntar(osorno, encargado)  # plazo viernes 25-09
    assert services.consultas_recordar(hoy=datetime.date(2026, 9, 22)) == 0
    assert services.consultas_recordar(hoy=datetime.date(2026, 9, 24)) == 1
    assert services.consultas_recordar(hoy=datetime.date(2026, 9, 24)) == 0  # once
    assert services.consultas_recordar(hoy=datetime.date(2026, 9, 28)) == 1
    claves = set(Notificacion.objects.values_list("clave", flat=True))
    assert f"consulta:{consulta.pk}:recordatorio:por_vencer:usuario:{analista.pk}" in claves
    assert f"consulta:{consulta.pk}:recordatorio:vencida:usuario:{analista.pk}" in claves
    services.consulta_escribir(consulta=consulta, texto="Respuesta", usuario=analista)
    assert services.consultas_recordar(hoy=datetime.date(2026, 9, 29)) == 0


def test_la_tarea_de_recordatorios_corre_en_celery(osorno, encargado, analista):
    from asistencia.tasks import recordar_consultas

    consulta = preguntar(osorno, encargado, hoy=timezone.localdate() - datetime.timedelta(days=20))
    assert recordar_consultas.delay().get() == 1
    assert Notificacion.objects.filter(
        clave__startswith=f"consulta:{consulta.pk}:recordatorio:vencida"
    ).exists()


def test_publicar_como_pregunta_frecuente(osorno, encargado, encargado_otro, analista):
    consulta = preguntar(osorno, encargado)
    services.consulta_escribir(consulta=consulta, texto="Sí, en el informe.", usuario=analista)
    respuesta = cliente(analista).post(
        reverse("asistencia:consulta_publicar", args=[consulta.pk]),
        {"pregunta": "¿Se justifica un medio faltante?", "respuesta": "Sí, en el informe."},
    )
    assert respuesta.status_code == 302
    pagina = cliente(encargado_otro).get(reverse("asistencia:preguntas_frecuentes") + "?anio=2026")
    assert "¿Se justifica un medio faltante?" in pagina.content.decode()
    # Published without who asked.
    assert "Osorno" not in pagina.content.decode().split("<main")[-1]


def test_no_se_publica_una_consulta_pendiente(osorno, encargado, analista):
    from django.core.exceptions import ValidationError

    consulta = preguntar(osorno, encargado)
    with pytest.raises(ValidationError):
        services.consulta_publicar(consulta=consulta, pregunta="p", respuesta="r", usuario=analista)


def test_el_servicio_pregunta_por_la_pagina_sobre_su_compromiso(
    formulacion_osorno, encargado, analista
):
    compromiso = formulacion_osorno.compromisos.first()
    respuesta = cliente(encargado).post(
        reverse("asistencia:consulta_nueva") + "?anio=2026",
        {"asunto": "Plazo", "texto": "¿Hasta cuándo?", "compromiso": compromiso.pk},
    )
    consulta = Consulta.objects.get()
    assert respuesta.url == reverse("asistencia:consulta_detalle", args=[consulta.pk])
    assert consulta.compromiso == compromiso and consulta.servicio == formulacion_osorno.servicio


def test_no_puede_preguntar_sobre_el_compromiso_de_otro(
    formulacion_osorno, formulacion_llanquihue, encargado
):
    ajeno = formulacion_llanquihue.compromisos.first()
    respuesta = cliente(encargado).post(
        reverse("asistencia:consulta_nueva") + "?anio=2026",
        {"asunto": "Plazo", "texto": "¿Hasta cuándo?", "compromiso": ajeno.pk},
    )
    assert respuesta.status_code == 200
    assert 'role="alert"' in respuesta.content.decode()
    assert not Consulta.objects.exists()
