"""Issue 19: cancelling an activity sends the same calendar entry as METHOD:CANCEL."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from icalendar import Calendar

from asistencia import selectors, services
from asistencia.models import Actividad
from bitacora.models import Evento
from tests.asistencia.test_actividades import aprobadas, jornada  # noqa: F401 (fixture)
from tests.conftest import cliente

pytestmark = pytest.mark.django_db


def test_cancelar_una_convocada_avisa_con_cancel_de_la_misma_entrada(
    aprobadas,  # noqa: F811
    encargado,
    encargado_otro,
    analista,
    django_capture_on_commit_callbacks,
):
    actividad = jornada(analista, [f.servicio for f in aprobadas])
    with django_capture_on_commit_callbacks(execute=True):
        services.actividad_convocar(actividad=actividad, usuario=analista)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        total = services.actividad_cancelar(
            actividad=actividad, motivo="Coincide con el cierre del informe", usuario=analista
        )
    assert total == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([encargado.email, encargado_otro.email])
    correo = mail.outbox[0]
    assert correo.subject.startswith("[SRM] Cancelada: Convocatoria: ")
    assert "Motivo: Coincide con el cierre del informe" in correo.body
    nombre, contenido, tipo = correo.attachments[0]
    assert "method=CANCEL" in tipo
    calendario = Calendar.from_ical(contenido)
    assert str(calendario["method"]) == "CANCEL"
    evento = calendario.walk("VEVENT")[0]
    assert str(evento["uid"]) == f"{actividad.uid}@srm.subdere.gob.cl"
    assert int(evento["sequence"]) == 1
    assert str(evento["status"]) == "CANCELLED"
    actividad.refresh_from_db()
    assert actividad.estado == Actividad.Estado.CANCELADA
    assert Evento.objects.filter(accion="actividad.cancelar").count() == 1
    # Nothing more happens to a cancelled activity; the servicio's home no longer shows it.
    with pytest.raises(ValidationError):
        services.actividad_convocar(actividad=actividad, usuario=analista)
    with pytest.raises(ValidationError):
        services.inscripcion_crear(
            convocado=actividad.convocados.get(servicio__membresias__usuario=encargado),
            nombre="Ana",
            usuario=encargado,
        )
    with pytest.raises(ValidationError):
        services.actividad_cancelar(actividad=actividad, motivo="otra vez", usuario=analista)
    assert selectors.proxima_convocatoria(usuario=encargado) is None


def test_cancelar_una_planificada_no_envia_correos(aprobadas, analista):  # noqa: F811
    actividad = jornada(analista, [aprobadas[0].servicio])
    assert (
        services.actividad_cancelar(actividad=actividad, motivo="Sin sala", usuario=analista) == 0
    )
    assert mail.outbox == []


def test_el_motivo_es_obligatorio(aprobadas, analista):  # noqa: F811
    actividad = jornada(analista, [aprobadas[0].servicio])
    with pytest.raises(ValidationError):
        services.actividad_cancelar(actividad=actividad, motivo="  ", usuario=analista)


def test_cancelar_por_la_pagina_y_quien_no_puede(
    aprobadas,  # noqa: F811
    analista,
    encargado,
    encargado_otro,
    jefatura,
):
    actividad = jornada(analista, [aprobadas[0].servicio])
    url = reverse("asistencia:actividad_cancelar", args=[actividad.pk])
    detalle = reverse("asistencia:actividad_detalle", args=[actividad.pk])
    assert "Cancelar la actividad" in cliente(analista).get(detalle).content.decode()
    assert "Cancelar la actividad" not in cliente(encargado).get(detalle).content.decode()
    # The convened servicio and jefatura: 403; a servicio not convened: 403 before it sees it.
    assert cliente(encargado).post(url, {"motivo": "x"}).status_code == 403
    assert cliente(jefatura).post(url, {"motivo": "x"}).status_code == 403
    assert cliente(encargado_otro).post(url, {"motivo": "x"}).status_code in (403, 404)
    assert cliente(analista).get(url).status_code == 405
    respuesta = cliente(analista).post(url, {"motivo": "Sin sala"}, follow=True)
    assert "Actividad cancelada." in respuesta.content.decode()
    assert "Sin sala" in respuesta.content.decode()
    actividad.refresh_from_db()
    assert actividad.estado == Actividad.Estado.CANCELADA
    with pytest.raises(PermissionDenied):
        services.actividad_cancelar(actividad=actividad, motivo="x", usuario=encargado)


def test_una_actividad_inexistente_es_404(analista):
    url = reverse("asistencia:actividad_cancelar", args=[999999])
    assert cliente(analista).post(url, {"motivo": "x"}).status_code == 404
