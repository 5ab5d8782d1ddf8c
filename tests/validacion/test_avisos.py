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


# --- Every step that hands work to someone mails them, once --------------------------------


def test_el_reenvio_dice_su_ronda_en_el_asunto(
    informe_osorno, encargado, analista, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        informe = revision_transicionar(objeto=informe_osorno, accion="enviar", usuario=encargado)
        informe = revision_transicionar(objeto=informe, accion="tomar", usuario=analista)
        informe = observar(informe, analista)
        revision_transicionar(objeto=informe, accion="enviar", usuario=encargado)
    al_analista = [m.subject for m in mail.outbox if m.to == [analista.email]]
    assert al_analista == [
        "[SRM] Gobernación Provincial de Osorno envió el informe de avance 1 2026",
        "[SRM] Gobernación Provincial de Osorno envió el informe de avance 1 2026 "
        "(reenvío, ronda 2)",
    ]


def _final_aprobado(formulacion, encargado, analista):
    from compromisos.models import InformeAvance
    from tests.conftest import crear_informe

    informe = crear_informe(formulacion, InformeAvance.Periodo.FINAL)
    informe = revision_transicionar(objeto=informe, accion="enviar", usuario=encargado)
    informe = revision_transicionar(objeto=informe, accion="tomar", usuario=analista)
    return revision_transicionar(objeto=informe, accion="aprobar", usuario=analista)


def test_aprobar_el_informe_final_avisa_a_la_consultora_una_vez(
    formulacion_aprobada,
    encargado,
    analista,
    consultora,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.SRM_URL_BASE = "http://127.0.0.1:8123"
    with django_capture_on_commit_callbacks(execute=True):
        _final_aprobado(formulacion_aprobada, encargado, analista)
    a_la_consultora = [m for m in mail.outbox if m.to == [consultora.email]]
    assert len(a_la_consultora) == 1
    correo = a_la_consultora[0]
    assert correo.subject == (
        "[SRM] Validación final abierta: Gobernación Provincial de Osorno (2026)"
    )
    assert (
        f"http://127.0.0.1:8123/revision/validacion-final/{formulacion_aprobada.pk}/" in correo.body
    )
    # Sending an informe de avance or approving the formulación told the consultora nothing.
    assert Notificacion.objects.filter(destinatario=consultora).count() == 1


def test_la_validacion_avisa_a_cada_uno_en_su_paso(
    formulacion_aprobada, encargado, analista, consultora, django_capture_on_commit_callbacks
):
    from validacion import validacion_final

    with django_capture_on_commit_callbacks(execute=True):
        _final_aprobado(formulacion_aprobada, encargado, analista)
    mail.outbox.clear()
    compromisos = list(formulacion_aprobada.compromisos.order_by("codigo"))

    def validar_todo(resultado):
        for compromiso in compromisos:
            validacion_final.iniciativa_validar(
                compromiso=compromiso,
                resultado=resultado,
                fundamento="Acta firmada.",
                medios=[],
                usuario=consultora,
            )

    with django_capture_on_commit_callbacks(execute=True):
        validar_todo("cumple")
        validacion_final.validacion_enviar(formulacion=formulacion_aprobada, usuario=consultora)
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (
            [analista.email],
            "[SRM] La consultora envió la validación final de Gobernación Provincial de "
            "Osorno (2026)",
        )
    ]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        validacion_final.validacion_devolver(
            formulacion=formulacion_aprobada, comentario="Revise C02.", usuario=analista
        )
    assert [m.to for m in mail.outbox] == [[consultora.email]]
    assert "Revise C02." in mail.outbox[0].body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        validar_todo("parcial")
        validacion_final.validacion_enviar(formulacion=formulacion_aprobada, usuario=consultora)
        validacion_final.validacion_ratificar(formulacion=formulacion_aprobada, usuario=analista)
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (
            [analista.email],
            "[SRM] La consultora envió la validación final de Gobernación Provincial de "
            "Osorno (2026) (reenvío, ronda 2)",
        ),
        (
            [encargado.email],
            "[SRM] Validación final 2026 de Gobernación Provincial de Osorno ratificada: "
            "cumple parcialmente",
        ),
    ]
    assert "Resultado del servicio: Cumple parcialmente." in mail.outbox[1].body
    # Each notice is recorded once: running the queued sendings again mails nobody.
    for notificacion in Notificacion.objects.filter(enviada_en__isnull=False):
        assert enviar_notificacion(notificacion_id=notificacion.pk) is False
    assert len(mail.outbox) == 2


def test_make_run_da_a_los_correos_la_direccion_que_sirve():
    import subprocess
    from pathlib import Path

    salida = subprocess.run(
        ["make", "-n", "run", "PORT=8123"],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
        env={"PATH": "/usr/bin:/bin"},
        check=True,
    ).stdout
    assert "SRM_URL_BASE=http://127.0.0.1:8123 " in salida
