"""Celery beat: the consolidated report after each informe deadline, the weekly summary mail."""

import datetime

import pytest
from django.core import mail

from compromisos.models import Hito
from reportes import services
from reportes.models import Reporte
from tests.conftest import ANIO

pytestmark = pytest.mark.django_db

PLAZO_AVANCE_1 = datetime.date(ANIO, 6, 30)  # the proceso fixture's calendar


def test_beat_tiene_los_reportes_programados(settings):
    programa = {e["task"]: e["schedule"] for e in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "reportes.tasks.programar_reportes_de_plazos" in programa
    semanal = programa["reportes.tasks.programar_resumen_semanal"]
    assert semanal.day_of_week == {1}  # Monday by default (SRM_DIA_RESUMEN_SEMANAL)


def test_tras_el_plazo_se_genera_el_consolidado_una_sola_vez(
    anio_con_datos, django_capture_on_commit_callbacks
):
    assert services.programar_reportes_de_plazos(hoy=PLAZO_AVANCE_1) == []
    with django_capture_on_commit_callbacks(execute=True):
        nuevos = services.programar_reportes_de_plazos(
            hoy=PLAZO_AVANCE_1 + datetime.timedelta(days=1)
        )
    assert sorted(r.tipo for r in nuevos) == ["consolidado_pdf", "consolidado_xlsx"]
    for reporte in Reporte.objects.all():
        assert (reporte.anio, reporte.periodo, reporte.solicitado_por) == (ANIO, "avance_1", None)
        assert reporte.estado == Reporte.Estado.LISTO, reporte.error
    # The next days (and a beat tick repeated) make nothing new.
    for dias in (1, 2, 7):
        hoy = PLAZO_AVANCE_1 + datetime.timedelta(days=dias)
        assert services.programar_reportes_de_plazos(hoy=hoy) == []
    assert Reporte.objects.count() == 2


def test_un_beat_detenido_recupera_los_plazos_de_la_ultima_semana(proceso):
    hoy = PLAZO_AVANCE_1 + datetime.timedelta(days=5)
    assert len(services.programar_reportes_de_plazos(hoy=hoy)) == 2
    assert (
        services.programar_reportes_de_plazos(hoy=PLAZO_AVANCE_1 + datetime.timedelta(days=9)) == []
    )


def test_cada_plazo_del_calendario_tiene_su_reporte(proceso):
    """Another kind of servicio with a later deadline for the same periodo: a second run."""
    from servicios.models import TipoServicio

    gore = TipoServicio.objects.get(codigo="gobierno-regional")
    hito = Hito.objects.create(
        proceso=proceso,
        etapa="avance_1",
        nombre="Informe de avance 1 (gobiernos regionales)",
        fecha_limite=PLAZO_AVANCE_1 + datetime.timedelta(days=3),
    )
    hito.tipos_servicio.add(gore)
    services.programar_reportes_de_plazos(hoy=PLAZO_AVANCE_1 + datetime.timedelta(days=1))
    services.programar_reportes_de_plazos(hoy=PLAZO_AVANCE_1 + datetime.timedelta(days=4))
    reportes = Reporte.objects.filter(tipo="consolidado_xlsx", periodo="avance_1").order_by("pk")
    assert [r.filtros.get("tipo") for r in reportes] == [None, gore.pk]
    assert reportes[1].descripcion == f"{ANIO} · Informe de avance 1 · Gobierno regional"


def test_resumen_semanal_llega_a_jefatura_con_el_enlace(
    anio_con_datos, jefatura, analista, settings, django_capture_on_commit_callbacks
):
    settings.SRM_URL_BASE = "https://srm.subdere.gob.cl"
    lunes = datetime.date(ANIO, 11, 23)
    with django_capture_on_commit_callbacks(execute=True):
        reporte = services.programar_resumen_semanal(hoy=lunes)
    reporte.refresh_from_db()
    assert reporte.tipo == "resumen_ejecutivo" and reporte.estado == Reporte.Estado.LISTO
    assert [m.to for m in mail.outbox] == [[jefatura.email]]
    cuerpo = mail.outbox[0].body
    assert f"https://srm.subdere.gob.cl/reportes/{reporte.pk}/descargar/" in cuerpo
    assert f"resumen ejecutivo semanal del PMG Descentralización {ANIO} está listo" in cuerpo
    assert mail.outbox[0].subject == f"[SRM] Resumen semanal del PMG {ANIO}"
    # Same week: no second run and no second mail.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.programar_resumen_semanal(hoy=lunes + datetime.timedelta(days=2)) is None
    assert len(mail.outbox) == 1
    # Jefatura downloads it from the link.
    from tests.conftest import cliente

    respuesta = cliente(jefatura).get(f"/reportes/{reporte.pk}/descargar/")
    assert respuesta.status_code == 200


def test_sin_broker_el_reporte_queda_fallido_con_explicacion(
    anio_con_datos, jefatura, settings, django_capture_on_commit_callbacks
):
    from srm.celery import app

    anterior = {
        clave: app.conf[clave]
        for clave in ("task_always_eager", "broker_url", "broker_transport_options")
    }
    # A port where nothing listens, and no connection retries: the broker is down.
    app.conf.update(
        task_always_eager=False,
        broker_url="redis://127.0.0.1:1/0",
        broker_transport_options={"max_retries": 0},
    )
    from tests.celery_real import olvidar_conexiones

    olvidar_conexiones()
    try:
        with django_capture_on_commit_callbacks(execute=True):
            reporte = services.reporte_solicitar(usuario=jefatura, tipo="planilla", anio=ANIO)
    finally:
        app.conf.update(**anterior)
        olvidar_conexiones()
    reporte.refresh_from_db()
    assert reporte.estado == Reporte.Estado.ERROR
    assert "el servidor de tareas no responde" in reporte.error
