"""Issue 19, what the homes show of technical assistance, and the links to ask about a document.

The analista's home lists the unanswered consultas of its cartera beside the informes to review,
the oldest deadline first, counted in días hábiles; the servicio's home its open consultas and
the next activity it is convened to. A servicio asks about a compromiso or informe from its page.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from asistencia import selectors, services
from asistencia.models import Actividad, Consulta
from servicios.models import Cartera, Membresia, Servicio
from tests.conftest import cliente, crear_informe, crear_usuario

pytestmark = pytest.mark.django_db


def preguntar(servicio, usuario, hoy, asunto="¿Cómo se justifica un medio faltante?"):
    return services.consulta_crear(
        servicio=servicio,
        anio=2026,
        asunto=asunto,
        texto="Falta el acta.",
        usuario=usuario,
        hoy=hoy,
    )


# --- The analista's home --------------------------------------------------------------------


def test_el_analista_ve_las_consultas_de_su_cartera_con_dias_habiles(
    osorno, llanquihue, encargado, encargado_otro, analista
):
    hoy = timezone.localdate()
    # Asked 12 working days ago (5 días hábiles to answer): overdue. Asked today: five left.
    vencida = preguntar(osorno, encargado, hoy - datetime.timedelta(days=20), asunto="Antigua")
    nueva = preguntar(osorno, encargado, hoy, asunto="Nueva")
    # Llanquihue is not in its cartera: its consulta waits on another analista.
    preguntar(llanquihue, encargado_otro, hoy, asunto="Ajena")
    respondida = preguntar(osorno, encargado, hoy, asunto="Ya respondida")
    services.consulta_escribir(consulta=respondida, texto="Así.", usuario=analista)
    respuesta = cliente(analista).get(reverse("inicio"))
    consultas = [p for p in respuesta.context["pendientes"] if isinstance(p.objeto, Consulta)]
    assert [p.objeto for p in consultas] == [vencida, nueva]
    assert consultas[0].vencido and "vencida hace" in consultas[0].que_hacer
    assert consultas[1].que_hacer == "Responder la consulta (quedan 5 días hábiles)"
    contenido = respuesta.content.decode()
    assert "Consulta «Nueva»" in contenido and "Ajena" not in contenido
    assert reverse("asistencia:consulta_detalle", args=[nueva.pk]) in contenido


def test_las_consultas_se_ordenan_con_los_informes_por_plazo(
    osorno, encargado, analista, formulacion_osorno
):
    from validacion.services import revision_transicionar

    informe = crear_informe(formulacion_osorno, "avance_1")  # plazo 30-06-2026
    revision_transicionar(objeto=informe, accion="enviar", usuario=encargado)
    consulta = preguntar(osorno, encargado, datetime.date(2026, 5, 4))  # plazo 11-05-2026
    pendientes = cliente(analista).get(reverse("inicio")).context["pendientes"]
    assert [p.objeto.pk for p in pendientes][:2] == [consulta.pk, informe.pk]


def test_los_dias_habiles_saltan_los_feriados():
    from habiles.calendario import CalendarioHabil

    # Thursday 17-09-2026: Friday 18 and Saturday 19 are holidays, then the weekend.
    jueves = datetime.date(2026, 9, 17)
    calendario = CalendarioHabil(jueves, datetime.date(2026, 9, 30))
    assert selectors._habiles_con_signo(calendario, jueves, datetime.date(2026, 9, 22)) == 2
    assert selectors._habiles_con_signo(calendario, datetime.date(2026, 9, 22), jueves) == -2
    assert selectors._texto_habiles(1) == "queda 1 día hábil"
    assert selectors._texto_habiles(0) == "vence hoy"
    assert selectors._texto_habiles(-3) == "vencida hace 3 días hábiles"


def poblar(n: int, analista) -> None:
    """n servicios of the analista's cartera, each with an unanswered consulta."""
    hoy = timezone.localdate()
    servicios = Servicio.objects.exclude(consultas__isnull=False).order_by("pk")[:n]
    for servicio in servicios:
        usuario = crear_usuario(f"enc{servicio.pk}", "servicio")
        Membresia.objects.create(usuario=usuario, servicio=servicio)
        Cartera.objects.get_or_create(
            anio=2026, rol=Cartera.Rol.ANALISTA, usuario=analista, servicio=servicio
        )
        preguntar(servicio, usuario, hoy)


def test_el_inicio_del_analista_hace_las_mismas_consultas_con_2_o_6_consultas(proceso, analista):
    conteos = []
    for n in (2, 4):
        poblar(n, analista)
        c = cliente(analista)
        c.get(reverse("inicio"))  # reads the catalogs (kept under the catalog version)
        with CaptureQueriesContext(connection) as consultas:
            respuesta = c.get(reverse("inicio"))
        assert respuesta.status_code == 200
        conteos.append((len(consultas), len(respuesta.context["pendientes"])))
    # tests/srm/test_vistas.py's count: the holidays that count días hábiles are kept with the
    # catalogs (read by the first view).
    assert conteos == [(3 + 4, 2), (3 + 4, 6)]


# --- The servicio's home --------------------------------------------------------------------


def convocar(analista, servicios, dias: int = 10) -> Actividad:
    inicio = timezone.now() + datetime.timedelta(days=dias)
    actividad = services.actividad_planificar(
        usuario=analista,
        anio=2026,
        tipo="jornada",
        tema=f"Jornada a {dias} días",
        inicio=inicio,
        fin=inicio + datetime.timedelta(hours=2),
        responsable=analista,
        servicios=servicios,
        lugar="Auditorio SUBDERE",
    )
    services.actividad_convocar(actividad=actividad, usuario=analista)
    return actividad


def test_el_servicio_ve_sus_consultas_abiertas_y_su_proxima_convocatoria(
    osorno, llanquihue, encargado, encargado_otro, analista, proceso
):
    hoy = timezone.localdate()
    propia = preguntar(osorno, encargado, hoy, asunto="Propia")
    preguntar(llanquihue, encargado_otro, hoy, asunto="De Llanquihue")
    lejana = convocar(analista, [osorno], dias=30)
    cercana = convocar(analista, [osorno], dias=3)
    solo_llanquihue = convocar(analista, [llanquihue], dias=1)
    respuesta = cliente(encargado).get(reverse("inicio"))
    assert respuesta.context["consultas_abiertas"] == [propia]
    assert respuesta.context["convocatoria"].actividad == cercana
    contenido = respuesta.content.decode()
    assert "Propia" in contenido and "De Llanquihue" not in contenido
    assert cercana.tema in contenido
    assert lejana.tema not in contenido and solo_llanquihue.tema not in contenido
    assert reverse("asistencia:actividad_detalle", args=[cercana.pk]) in contenido


def test_la_proxima_convocatoria_cuenta_sus_inscritos(osorno, encargado, analista, proceso):
    actividad = convocar(analista, [osorno], dias=3)
    c = cliente(encargado)
    assert "sin asistentes inscritos aún" in c.get(reverse("inicio")).content.decode()
    convocado = actividad.convocados.get(servicio=osorno)
    for nombre in ("Ana Pérez", "Luis Soto"):
        services.inscripcion_crear(convocado=convocado, nombre=nombre, usuario=encargado)
    respuesta = c.get(reverse("inicio"))
    assert respuesta.context["convocatoria"].inscritos_total == 2
    assert "2 personas inscritas" in respuesta.content.decode()


def test_una_actividad_planificada_sin_convocar_no_se_muestra(osorno, encargado, analista):
    inicio = timezone.now() + datetime.timedelta(days=3)
    services.actividad_planificar(
        usuario=analista,
        anio=2026,
        tipo="jornada",
        tema="Aún sin convocar",
        inicio=inicio,
        fin=inicio,
        responsable=analista,
        servicios=[osorno],
    )
    assert selectors.proxima_convocatoria(usuario=encargado) is None
    assert (
        "no tiene convocatorias pendientes"
        in cliente(encargado).get(reverse("inicio")).content.decode()
    )


def test_el_inicio_del_servicio_hace_las_mismas_consultas_con_mas_consultas(
    osorno, encargado, analista, proceso
):
    c = cliente(encargado)
    preguntar(osorno, encargado, timezone.localdate())
    convocar(analista, [osorno])
    c.get(reverse("inicio"))  # reads the years (kept under the catalog version)
    with CaptureQueriesContext(connection) as antes:
        c.get(reverse("inicio"))
    for i in range(4):
        preguntar(osorno, encargado, timezone.localdate(), asunto=f"Otra {i}")
        convocar(analista, [osorno], dias=5 + i)
    with CaptureQueriesContext(connection) as despues:
        contenido = c.get(reverse("inicio")).content.decode()
    assert contenido.count("SUBDERE responde a más tardar") == 5
    assert len(antes) == len(despues)


# --- Links to ask about a document ----------------------------------------------------------


def test_el_servicio_ve_el_enlace_en_su_informe_y_su_formulacion(
    encargado, analista, formulacion_osorno
):
    informe = crear_informe(formulacion_osorno, "avance_1")
    c = cliente(encargado)
    contenido = c.get(reverse("compromisos:informe_detalle", args=[informe.pk])).content.decode()
    assert f'{reverse("asistencia:consulta_nueva")}?informe={informe.pk}"' in contenido
    assert "Hacer una consulta sobre este informe" in contenido
    contenido = c.get(
        reverse("compromisos:formulacion_detalle", args=[formulacion_osorno.pk])
    ).content.decode()
    compromiso = formulacion_osorno.compromisos.order_by("codigo").first()
    assert f'{reverse("asistencia:consulta_nueva")}?compromiso={compromiso.pk}"' in contenido
    assert contenido.count("Hacer una consulta sobre este compromiso") == 2
    # The form opens with the compromiso chosen.
    formulario = c.get(reverse("asistencia:consulta_nueva"), {"compromiso": compromiso.pk})
    assert formulario.status_code == 200


def test_subdere_no_ve_el_enlace(analista, jefatura, formulacion_osorno):
    informe = crear_informe(formulacion_osorno, "avance_1")
    for usuario in (analista, jefatura):
        contenido = (
            cliente(usuario)
            .get(reverse("compromisos:informe_detalle", args=[informe.pk]))
            .content.decode()
        )
        assert "Hacer una consulta" not in contenido


def test_otro_servicio_no_llega_al_informe_ni_pregunta_por_el(encargado_otro, formulacion_osorno):
    informe = crear_informe(formulacion_osorno, "avance_1")
    c = cliente(encargado_otro)
    assert c.get(reverse("compromisos:informe_detalle", args=[informe.pk])).status_code == 404
    respuesta = c.post(
        reverse("asistencia:consulta_nueva") + f"?informe={informe.pk}",
        {"asunto": "x", "texto": "y", "informe": informe.pk},
    )
    assert respuesta.status_code in (403, 404, 200)
    assert not Consulta.objects.exists()


def test_el_analista_no_puede_preguntar(analista):
    assert cliente(analista).get(reverse("asistencia:consulta_nueva")).status_code == 403
