"""Notifications: who is told of each transition, digests, deadline reminders, sent once."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from bitacora.models import Notificacion, PreferenciaAvisos
from bitacora.tasks import enviar_notificacion, enviar_resumenes_diarios
from compromisos.avisos import avisar_plazos
from compromisos.models import Hito
from servicios.avisos import avisar_asignacion
from servicios.models import Cartera
from tests.conftest import observar
from validacion.services import revision_transicionar

pytestmark = pytest.mark.django_db


def test_envio_avisa_al_analista_de_la_cartera_solo_tras_el_commit(
    informe_osorno, encargado, analista, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as pendientes:
        revision_transicionar(objeto=informe_osorno, accion="enviar", usuario=encargado)
        assert mail.outbox == []
    assert mail.outbox == []
    for pendiente in pendientes:  # the commit: the notice, and the tablero's cache invalidated
        pendiente()
    assert [m.to for m in mail.outbox] == [[analista.email]]
    assert (
        "Gobernación Provincial de Osorno envió el informe de avance 1 2026"
        in mail.outbox[0].subject
    )
    assert f"/revision/informes/{informe_osorno.pk}/" in mail.outbox[0].body


def test_observado_y_aprobado_avisan_al_servicio(
    informe_osorno, encargado, analista, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        informe = revision_transicionar(objeto=informe_osorno, accion="enviar", usuario=encargado)
        informe = revision_transicionar(objeto=informe, accion="tomar", usuario=analista)
        informe = observar(informe, analista)
    asuntos = {m.subject: m.to for m in mail.outbox}
    assert asuntos["[SRM] SUBDERE devolvió con observaciones el informe de avance 1 2026"] == [
        encargado.email
    ]
    # Taking into review tells nobody.
    assert len(mail.outbox) == 2


def test_un_reintento_no_envia_dos_veces(
    informe_osorno, encargado, analista, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        revision_transicionar(objeto=informe_osorno, accion="enviar", usuario=encargado)
    notificacion = Notificacion.objects.get()
    assert notificacion.enviada_en is not None
    assert enviar_notificacion(notificacion_id=notificacion.pk) is False
    assert len(mail.outbox) == 1


def test_analista_con_resumen_diario_recibe_un_solo_correo(
    informe_osorno,
    informe_llanquihue,
    encargado,
    encargado_otro,
    analista,
    llanquihue,
    django_capture_on_commit_callbacks,
):
    PreferenciaAvisos.objects.create(usuario=analista, resumen_diario=True)
    Cartera.objects.create(anio=2026, rol="analista", usuario=analista, servicio=llanquihue)
    with django_capture_on_commit_callbacks(execute=True):
        revision_transicionar(objeto=informe_osorno, accion="enviar", usuario=encargado)
        revision_transicionar(objeto=informe_llanquihue, accion="enviar", usuario=encargado_otro)
    assert mail.outbox == []
    assert enviar_resumenes_diarios() == 1
    assert len(mail.outbox) == 1 and "2 avisos" in mail.outbox[0].subject
    assert "Osorno" in mail.outbox[0].body and "Llanquihue" in mail.outbox[0].body
    assert enviar_resumenes_diarios() == 0 and len(mail.outbox) == 1


def test_consultora_recibe_aviso_de_su_asignacion(consultora, django_capture_on_commit_callbacks):
    cartera = Cartera.objects.get(usuario=consultora)
    with django_capture_on_commit_callbacks(execute=True):
        avisar_asignacion(cartera=cartera)
        avisar_asignacion(cartera=cartera)
    assert len(mail.outbox) == 1
    assert "Validación asignada: Gobernación Provincial de Osorno (2026)" in mail.outbox[0].subject


@pytest.fixture
def formulacion_aprobada(formulacion_osorno, encargado, analista):
    formulacion = revision_transicionar(
        objeto=formulacion_osorno, accion="enviar", usuario=encargado
    )
    formulacion = revision_transicionar(objeto=formulacion, accion="tomar", usuario=analista)
    return revision_transicionar(objeto=formulacion, accion="aprobar", usuario=analista)


def test_recordatorio_antes_del_plazo_y_al_vencer(
    formulacion_aprobada, encargado, django_capture_on_commit_callbacks
):
    hoy = timezone.localdate()
    Hito.objects.filter(proceso=formulacion_aprobada.proceso, etapa="avance_2").update(
        fecha_limite=hoy + datetime.timedelta(days=5)
    )
    Hito.objects.filter(proceso=formulacion_aprobada.proceso, etapa="avance_3").update(
        fecha_limite=hoy - datetime.timedelta(days=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert avisar_plazos(hoy=hoy, dias_antes=5) == 2
        assert avisar_plazos(hoy=hoy, dias_antes=5) == 0
    asuntos = sorted(m.subject for m in mail.outbox)
    assert any("Informe de avance 2: vence el" in a for a in asuntos)
    assert any("Informe de avance 3: el plazo venció el" in a for a in asuntos)
    assert all(m.to == [encargado.email] for m in mail.outbox)


def test_sin_recordatorio_si_ya_se_envio(
    formulacion_aprobada, encargado, django_capture_on_commit_callbacks
):
    from tests.conftest import crear_informe

    hoy = timezone.localdate()
    Hito.objects.filter(proceso=formulacion_aprobada.proceso, etapa="avance_2").update(
        fecha_limite=hoy + datetime.timedelta(days=5)
    )
    informe = crear_informe(formulacion_aprobada, "avance_2")
    with django_capture_on_commit_callbacks(execute=True):
        revision_transicionar(objeto=informe, accion="enviar", usuario=encargado)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert avisar_plazos(hoy=hoy, dias_antes=5) == 0
    assert mail.outbox == []


def test_beat_programa_recordatorios_y_resumenes(settings):
    tareas = {entrada["task"] for entrada in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {
        "compromisos.tasks.enviar_recordatorios",
        "bitacora.tasks.enviar_resumenes_diarios",
    } <= tareas


def test_recordatorio_de_la_formulacion_mientras_no_se_envia(
    formulacion_osorno, encargado, django_capture_on_commit_callbacks
):
    hoy = timezone.localdate()
    Hito.objects.create(
        proceso=formulacion_osorno.proceso,
        etapa="formulacion",
        nombre="Entrega de la formulación",
        fecha_limite=hoy + datetime.timedelta(days=5),
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert avisar_plazos(hoy=hoy, dias_antes=5) == 1
    assert "Entrega de la formulación: vence el" in mail.outbox[0].subject
    revision_transicionar(objeto=formulacion_osorno, accion="enviar", usuario=encargado)
    Notificacion.objects.all().delete()
    assert avisar_plazos(hoy=hoy, dias_antes=5) == 0
