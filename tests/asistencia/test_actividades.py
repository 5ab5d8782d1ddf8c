"""The plan: servicios convened by criteria (late in an informe), the invitation with its
.ics through Celery, registrations, attendance, the acta and its acuerdos."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from asistencia import selectors, services
from asistencia.models import Actividad, Acuerdo, Convocado, Inscripcion, TipoActividad
from asistencia.tasks import enviar_convocatoria
from compromisos.models import EstadoRevision, FormulacionPMG, Hito, InformeAvance, TipoEntregable
from formularios.models import Plantilla
from tests.conftest import cliente

pytestmark = pytest.mark.django_db

HOY = datetime.date(2026, 7, 15)  # after the informe 1 deadline (30-06-2026)


@pytest.fixture
def aprobadas(formulacion_osorno, formulacion_llanquihue):
    FormulacionPMG.objects.update(estado=EstadoRevision.APROBADO)
    return formulacion_osorno, formulacion_llanquihue


def jornada(usuario, servicios, **kwargs):
    inicio = timezone.make_aware(datetime.datetime(2026, 7, 20, 9, 30))
    return services.actividad_planificar(
        usuario=usuario,
        anio=2026,
        tipo=TipoActividad.JORNADA,
        tema="Jornada de puesta en marcha",
        inicio=inicio,
        fin=inicio + datetime.timedelta(hours=3),
        responsable=usuario,
        servicios=servicios,
        lugar="Auditorio SUBDERE, Teatinos 92, Santiago",
        **kwargs,
    )


def test_atrasados_en_el_informe_1(aprobadas, encargado, analista):
    osorno, llanquihue = aprobadas
    # Osorno sent its informe 1 on time; Llanquihue never sent it.
    InformeAvance.objects.create(
        formulacion=osorno,
        periodo="avance_1",
        estado=EstadoRevision.ENVIADO,
        enviado_en=timezone.make_aware(datetime.datetime(2026, 6, 29, 10)),
    )
    atrasados = selectors.servicios_atrasados(anio=2026, periodo="avance_1", hoy=HOY)
    assert atrasados == [llanquihue.servicio]
    # Before the deadline, nobody is late.
    assert (
        selectors.servicios_atrasados(anio=2026, periodo="avance_1", hoy=HOY.replace(month=6)) == []
    )


def test_enviado_fuera_de_plazo_cuenta_como_atrasado(aprobadas, analista):
    osorno, _ = aprobadas
    InformeAvance.objects.create(
        formulacion=osorno,
        periodo="avance_1",
        estado=EstadoRevision.ENVIADO,
        enviado_en=timezone.now(),
        es_atrasado=True,
    )
    assert osorno.servicio in selectors.servicios_atrasados(anio=2026, periodo="avance_1", hoy=HOY)


def test_atrasados_en_consultas_fijas(aprobadas, django_assert_num_queries):
    with django_assert_num_queries(4):
        selectors.servicios_atrasados(anio=2026, periodo="avance_2", hoy=HOY)


def test_la_convocatoria_llega_por_celery_con_su_ics(
    aprobadas, encargado, encargado_otro, analista, django_capture_on_commit_callbacks
):
    actividad = jornada(analista, [f.servicio for f in aprobadas], materiales="Presentación")
    with django_capture_on_commit_callbacks(execute=False) as pendientes:
        assert services.actividad_convocar(actividad=actividad, usuario=analista) == 2
    assert mail.outbox == []  # only after the commit
    for pendiente in pendientes:
        pendiente()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([encargado.email, encargado_otro.email])
    correo = mail.outbox[0]
    assert "Convocatoria: Jornada de asistencia técnica «Jornada de puesta en marcha»" in (
        correo.subject
    )
    nombre, contenido, tipo = correo.attachments[0]
    assert nombre == "invitacion.ics" and tipo.startswith("text/calendar")
    calendario = Calendar.from_ical(contenido)
    assert str(calendario["method"]) == "REQUEST"
    evento = calendario.walk("VEVENT")[0]
    assert str(evento["summary"]) == "Jornada de asistencia técnica: Jornada de puesta en marcha"
    assert evento.decoded("dtstart") == actividad.inicio
    assert evento.decoded("dtend") - evento.decoded("dtstart") == datetime.timedelta(hours=3)
    assert str(evento["location"]) == "Auditorio SUBDERE, Teatinos 92, Santiago"
    assert str(evento["uid"]) == f"{actividad.uid}@srm.subdere.gob.cl"
    assert int(evento["sequence"]) == 0
    assert str(evento["organizer"]) == f"mailto:{analista.email}"
    assert str(evento["attendee"]) in (
        f"mailto:{encargado.email}",
        f"mailto:{encargado_otro.email}",
    )
    # A retried task sends nothing twice.
    convocado = Convocado.objects.first()
    assert enviar_convocatoria(convocado_id=convocado.pk, secuencia=0) == 0
    assert len(mail.outbox) == 2


def test_convocar_de_nuevo_actualiza_la_misma_entrada(
    aprobadas, encargado, analista, django_capture_on_commit_callbacks
):
    actividad = jornada(analista, [aprobadas[0].servicio])
    with django_capture_on_commit_callbacks(execute=True):
        services.actividad_convocar(actividad=actividad, usuario=analista)
        services.actividad_convocar(actividad=actividad, usuario=analista)
    assert len(mail.outbox) == 2
    primera, segunda = (Calendar.from_ical(m.attachments[0][1]) for m in mail.outbox)
    assert primera.walk("VEVENT")[0]["uid"] == segunda.walk("VEVENT")[0]["uid"]
    assert int(segunda.walk("VEVENT")[0]["sequence"]) == 1
    assert mail.outbox[1].subject.startswith("[SRM] Actualización: ")


def test_inscripcion_asistencia_acta_y_acuerdo_cerrado(
    aprobadas, encargado, encargado_otro, analista, django_capture_on_commit_callbacks
):
    actividad = jornada(analista, [f.servicio for f in aprobadas])
    llanquihue, osorno = actividad.convocados.order_by("servicio__nombre")
    ana = services.inscripcion_crear(convocado=osorno, nombre="Ana Soto", usuario=encargado)
    services.inscripcion_crear(convocado=llanquihue, nombre="Luis Vera", usuario=encargado_otro)
    services.inscripcion_crear(convocado=llanquihue, nombre="Rosa Díaz", usuario=encargado_otro)
    # Each servicio registers only its own people.
    with pytest.raises(PermissionDenied):
        services.inscripcion_crear(convocado=llanquihue, nombre="Intrusa", usuario=encargado)
    # Attendance taken on the day: Ana came; of Llanquihue only Luis.
    luis = Inscripcion.objects.get(nombre="Luis Vera")
    assert (
        services.asistencia_registrar(
            actividad=actividad, presentes=[ana.pk, luis.pk], usuario=analista
        )
        == 2
    )
    assert set(Inscripcion.objects.filter(asistio=False).values_list("nombre", flat=True)) == {
        "Rosa Díaz"
    }
    actividad.refresh_from_db()
    assert actividad.estado == Actividad.Estado.REALIZADA
    with pytest.raises(ValidationError):
        services.inscripcion_crear(convocado=osorno, nombre="Tarde", usuario=encargado)
    acuerdo = services.acuerdo_crear(
        actividad=actividad,
        descripcion="Enviar el informe 1 pendiente",
        responsable="Encargado PMG",
        plazo=datetime.date(2026, 7, 31),
        servicio=osorno.servicio,
        usuario=analista,
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            services.acta_enviar(
                actividad=actividad, acta="Se revisó el itinerario.", usuario=analista
            )
            == 2
        )
    assert "Enviar el informe 1 pendiente" in mail.outbox[-1].body
    with pytest.raises(ValidationError):
        services.acuerdo_cerrar(acuerdo=acuerdo, cierre="  ", usuario=analista)
    services.acuerdo_cerrar(acuerdo=acuerdo, cierre="Informe enviado el 29-07", usuario=analista)
    acuerdo.refresh_from_db()
    assert not acuerdo.abierto and acuerdo.cerrado_por == analista
    with pytest.raises(ValidationError):
        services.acuerdo_cerrar(acuerdo=acuerdo, cierre="otra vez", usuario=analista)
    assert not selectors.acuerdos_abiertos(usuario=analista, anio=2026).exists()


def test_planificar_por_la_pagina_convoca_a_los_atrasados(aprobadas, analista, encargado):
    osorno, llanquihue = aprobadas
    InformeAvance.objects.create(
        formulacion=osorno, periodo="avance_1", estado="enviado", enviado_en=timezone.now()
    )
    respuesta = cliente(analista).post(
        reverse("asistencia:actividad_nueva") + "?anio=2026",
        {
            "tipo": "jornada",
            "tema": "Apoyo a servicios atrasados",
            "fecha": "2026-12-20",
            "hora_inicio": "10:00",
            "hora_fin": "12:00",
            "enlace": "https://videoconferencia.subdere.gob.cl/sala",
            "responsable": analista.pk,
            "atrasados_en": "avance_1",
        },
    )
    actividad = Actividad.objects.get()
    assert respuesta.url == reverse("asistencia:actividad_detalle", args=[actividad.pk])
    assert [c.servicio for c in actividad.convocados.all()] == [llanquihue.servicio]
    assert "atrasados en el informe de avance 1" in actividad.criterio


def test_ningun_servicio_cumple_el_criterio(aprobadas, analista):
    respuesta = cliente(analista).post(
        reverse("asistencia:actividad_nueva") + "?anio=2026",
        {
            "tipo": "jornada",
            "tema": "x",
            "fecha": "2026-12-20",
            "hora_inicio": "10:00",
            "hora_fin": "09:00",
            "responsable": analista.pk,
        },
    )
    assert respuesta.status_code == 200
    assert "La hora de término debe ser posterior" in respuesta.content.decode()
    assert not Actividad.objects.exists()


def test_coordinacion_dipres_sin_convocados(analista):
    respuesta = cliente(analista).post(
        reverse("asistencia:actividad_nueva") + "?anio=2026",
        {
            "tipo": "dipres",
            "tema": "Validación en la plataforma DIPRES",
            "fecha": "2026-12-20",
            "hora_inicio": "10:00",
            "hora_fin": "11:00",
            "responsable": analista.pk,
            "sin_convocados": "on",
        },
    )
    assert respuesta.status_code == 302
    assert Actividad.objects.get().convocados.count() == 0


def test_el_ics_se_descarga_y_se_lee(aprobadas, analista, encargado, encargado_otro):
    actividad = jornada(analista, [aprobadas[0].servicio])
    respuesta = cliente(encargado).get(reverse("asistencia:actividad_ics", args=[actividad.pk]))
    assert respuesta["Content-Type"].startswith("text/calendar")
    evento = Calendar.from_ical(respuesta.content).walk("VEVENT")[0]
    assert "Jornada de puesta en marcha" in str(evento["summary"])
    assert str(evento["description"]).startswith("PMG Descentralización 2026 · SUBDERE")
    # Another servicio's encargado is not convened: no invitation for it.
    assert (
        cliente(encargado_otro)
        .get(reverse("asistencia:actividad_ics", args=[actividad.pk]))
        .status_code
        == 404
    )


def test_el_ics_nombra_el_programa_de_su_anio(aprobadas, analista, encargado):
    aprobadas[0].proceso.__class__.objects.filter(anio=2026).update(
        programa="PMG Gestión Territorial"
    )
    actividad = jornada(analista, [aprobadas[0].servicio])
    respuesta = cliente(encargado).get(reverse("asistencia:actividad_ics", args=[actividad.pk]))
    evento = Calendar.from_ical(respuesta.content).walk("VEVENT")[0]
    assert str(evento["description"]).startswith("PMG Gestión Territorial 2026 · SUBDERE")


def test_la_asistencia_no_se_toma_antes_del_dia(aprobadas, analista):
    inicio = timezone.now() + datetime.timedelta(days=2)
    actividad = services.actividad_planificar(
        usuario=analista,
        anio=2026,
        tipo=TipoActividad.VIDEOCONFERENCIA,
        tema="Próxima",
        inicio=inicio,
        fin=inicio,
        responsable=analista,
        servicios=[aprobadas[0].servicio],
    )
    with pytest.raises(ValidationError, match="el día de la actividad"):
        services.asistencia_registrar(actividad=actividad, presentes=[], usuario=analista)
    respuesta = cliente(analista).post(
        reverse("asistencia:asistencia", args=[actividad.pk]), follow=True
    )
    assert "no antes" in respuesta.content.decode()
    actividad.refresh_from_db()
    assert actividad.estado == Actividad.Estado.PLANIFICADA


def test_acuerdo_solo_para_un_servicio_convocado(aprobadas, analista, llanquihue):
    actividad = jornada(analista, [aprobadas[0].servicio])
    with pytest.raises(ValidationError):
        services.acuerdo_crear(
            actividad=actividad,
            descripcion="x",
            responsable="y",
            plazo=HOY,
            servicio=llanquihue,
            usuario=analista,
        )
    assert not Acuerdo.objects.exists()


def test_planificar_ofrece_los_entregables_del_anio(aprobadas, analista, encargado):
    """«Solo los atrasados en» lists the year's own deliverables and the criterio names it."""
    osorno, llanquihue = aprobadas
    proceso = osorno.proceso
    factibilidad = TipoEntregable.objects.create(
        proceso=proceso,
        clave="factibilidad",
        nombre="Informe de factibilidad",
        orden=1,
        formulario=Plantilla.objects.create(codigo="factibilidad", nombre="Factibilidad"),
    )
    Hito.objects.create(
        proceso=proceso,
        etapa="formulacion",
        nombre="Entrega del informe de factibilidad",
        fecha_limite=timezone.localdate() - datetime.timedelta(days=1),
        entregable=factibilidad,
    )
    InformeAvance.objects.create(
        formulacion=osorno, tipo=factibilidad, estado="enviado", enviado_en=timezone.now()
    )
    url = reverse("asistencia:actividad_nueva") + f"?anio={proceso.anio}"
    c = cliente(analista)
    elegibles = dict(c.get(url).context["formulario"].fields["atrasados_en"].choices)
    assert elegibles == {"": "Todos", "factibilidad": "Informe de factibilidad"}
    # A year without its own list offers the standard cycle.
    otro = dict(
        c.get(reverse("asistencia:actividad_nueva") + "?anio=2020")
        .context["formulario"]
        .fields["atrasados_en"]
        .choices
    )
    assert list(otro) == ["", "avance_1", "avance_2", "avance_3", "final"]

    datos = {
        "tipo": "jornada",
        "tema": "Apoyo a la factibilidad",
        "fecha": "2026-12-20",
        "hora_inicio": "10:00",
        "hora_fin": "12:00",
        "enlace": "https://videoconferencia.subdere.gob.cl/sala",
        "responsable": analista.pk,
    }
    # Another year's deliverable is not a choice: the page says so and plans nothing.
    respuesta = c.post(url, {**datos, "atrasados_en": "avance_1"})
    assert respuesta.status_code == 200
    assert "atrasados_en" in respuesta.context["formulario"].errors
    assert not Actividad.objects.exists()

    respuesta = c.post(url, {**datos, "atrasados_en": "factibilidad"})
    actividad = Actividad.objects.get()
    assert [c.servicio for c in actividad.convocados.all()] == [llanquihue.servicio]
    assert "atrasados en el informe de factibilidad" in actividad.criterio
    # The servicio plans nothing.
    assert cliente(encargado).get(url).status_code == 403


def test_la_pagina_de_planificar_no_crece_con_los_entregables(aprobadas, analista):
    """The year's kinds are read in one query, however many there are."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    proceso = aprobadas[0].proceso
    plantilla = Plantilla.objects.create(codigo="propia", nombre="Propia")
    c = cliente(analista)
    url = reverse("asistencia:actividad_nueva") + f"?anio={proceso.anio}"
    c.get(url)  # the session and the user, read once
    medidas = []
    for cantidad in (1, 6):
        for orden in range(proceso.entregables.count(), cantidad):
            TipoEntregable.objects.create(
                proceso=proceso, clave=f"e{orden}", nombre=f"Entregable {orden}", orden=orden,
                formulario=plantilla,
            )  # fmt: skip
        with CaptureQueriesContext(connection) as consultas:
            respuesta = c.get(url)
        assert len(respuesta.context["formulario"].fields["atrasados_en"].choices) == cantidad + 1
        medidas.append(len(consultas))
    assert medidas[0] == medidas[1]
