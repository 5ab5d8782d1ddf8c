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


# --- Editing --------------------------------------------------------------------------------


def test_modificar_una_convocada_reenvia_la_misma_entrada_actualizada(
    aprobadas,  # noqa: F811
    encargado,
    analista,
    django_capture_on_commit_callbacks,
):
    import datetime

    actividad = jornada(analista, [aprobadas[0].servicio])
    with django_capture_on_commit_callbacks(execute=True):
        services.actividad_convocar(actividad=actividad, usuario=analista)
    mail.outbox.clear()
    nuevo_inicio = actividad.inicio + datetime.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        total = services.actividad_editar(
            actividad=actividad,
            usuario=analista,
            inicio=nuevo_inicio,
            fin=nuevo_inicio + datetime.timedelta(hours=2),
            lugar="Sala 3, SUBDERE",
        )
    assert total == 1
    (correo,) = mail.outbox
    assert correo.to == [encargado.email]
    assert correo.subject.startswith("[SRM] Actualización: Convocatoria: ")
    assert "La convocatoria cambió." in correo.body
    evento = Calendar.from_ical(correo.attachments[0][1]).walk("VEVENT")[0]
    assert str(evento["uid"]) == f"{actividad.uid}@srm.subdere.gob.cl"
    assert int(evento["sequence"]) == 1
    assert evento.decoded("dtstart") == nuevo_inicio
    assert str(evento["location"]) == "Sala 3, SUBDERE"
    assert Evento.objects.get(accion="actividad.editar").detalle["campos"] == [
        "inicio",
        "fin",
        "lugar",
    ]
    # Nothing changed: nothing sent.
    assert (
        services.actividad_editar(actividad=actividad, usuario=analista, lugar="Sala 3, SUBDERE")
        == 0
    )


def test_modificar_una_planificada_no_avisa(aprobadas, analista):  # noqa: F811
    actividad = jornada(analista, [aprobadas[0].servicio])
    assert services.actividad_editar(actividad=actividad, usuario=analista, tema="Otro tema") == 0
    assert mail.outbox == []
    actividad.refresh_from_db()
    assert actividad.tema == "Otro tema" and actividad.secuencia == 0


def test_modificar_por_la_pagina_y_quien_no_puede(
    aprobadas,  # noqa: F811
    analista,
    encargado,
    jefatura,
):
    actividad = jornada(analista, [aprobadas[0].servicio])
    url = reverse("asistencia:actividad_editar", args=[actividad.pk])
    pagina = cliente(analista).get(url)
    assert pagina.status_code == 200
    assert 'value="Jornada de puesta en marcha"' in pagina.content.decode()
    assert cliente(encargado).get(url).status_code == 403
    assert cliente(jefatura).get(url).status_code == 403
    assert (
        cliente(analista).get(reverse("asistencia:actividad_editar", args=[999999])).status_code
        == 404
    )
    datos = {
        "tipo": "jornada",
        "tema": "Jornada reprogramada",
        "fecha": "2026-07-21",
        "hora_inicio": "10:00",
        "hora_fin": "09:00",
        "lugar": "Sala 3",
        "enlace": "",
        "responsable": analista.pk,
        "materiales": "",
    }
    # A bad hour keeps what was typed and says why.
    respuesta = cliente(analista).post(url, datos)
    contenido = respuesta.content.decode()
    assert respuesta.status_code == 200 and 'role="alert"' in contenido
    assert 'value="Jornada reprogramada"' in contenido
    respuesta = cliente(analista).post(url, {**datos, "hora_fin": "12:00"}, follow=True)
    assert "Actividad modificada." in respuesta.content.decode()
    actividad.refresh_from_db()
    assert actividad.tema == "Jornada reprogramada"
    services.actividad_cancelar(actividad=actividad, motivo="Sin sala", usuario=analista)
    respuesta = cliente(analista).post(url, {**datos, "hora_fin": "12:00", "tema": "Otra"})
    assert "no se modifica" in respuesta.content.decode()
