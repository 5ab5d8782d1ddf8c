"""Issue 19: the tablero's block of technical assistance, kept apart from the page body.

It reads asistencia's selectors; an assistance write moves the tablero's versions (the block
shows it at once), an informe saved recomputes the body but not the block, and the cold page
makes the same queries with more servicios, consultas and acuerdos.
"""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from asistencia import services
from asistencia.models import Contacto
from compromisos.models import AvanceCompromiso
from tests.conftest import cliente
from tests.tablero.test_cache import FILTROS, encargado_de, ver
from tests.tablero.test_consultas import CONSULTAS, TRAS_ESCRITURA

pytestmark = pytest.mark.django_db


def bloque(html: str) -> str:
    inicio = html.index('id="titulo-asistencia"')
    return html[inicio : html.index("</section>", inicio)]


def preguntar(servicio, hoy=None):
    return services.consulta_crear(
        servicio=servicio,
        anio=2026,
        asunto="¿Plazo del informe?",
        texto="¿Hasta cuándo?",
        usuario=encargado_de(servicio),
        hoy=hoy or timezone.localdate(),
    )


def test_el_bloque_cuenta_cobertura_consultas_y_acuerdos(
    jefatura, analista, anio_tablero, osorno, llanquihue
):
    c = cliente(jefatura)
    html = bloque(ver(c))
    assert "Asistencia técnica 2026" in html
    assert "0 de 4 servicios con formulación" in html
    # A consulta answered in time (Osorno), one overdue (Llanquihue), a contact (Osorno).
    respondida = preguntar(osorno)
    services.consulta_escribir(consulta=respondida, texto="El 30-06.", usuario=analista)
    preguntar(llanquihue, hoy=timezone.localdate() - datetime.timedelta(days=30))
    Contacto.objects.create(
        servicio=osorno,
        anio=2026,
        analista=analista,
        canal="correo",
        fecha=timezone.localdate(),
        tema="x",
    )
    html = bloque(ver(c))
    assert "50,0 % · 2 de 4 servicios con formulación recibieron" in html
    assert "1 vencida" in html
    assert "100,0 % · 1 de 1 consulta respondida" in html
    assert reverse("asistencia:cifras") + "?anio=2026" in html


def test_un_informe_guardado_no_recalcula_el_bloque(
    jefatura, anio_tablero, osorno, django_assert_num_queries
):
    c = cliente(jefatura)
    ver(c)
    avance = AvanceCompromiso.objects.filter(informe__periodo="avance_1").first()
    avance.porcentaje = 77
    avance.save()
    # The body is computed again with its own queries only (tests/tablero/test_consultas.py).
    with django_assert_num_queries(TRAS_ESCRITURA["tablero:tablero"]):
        ver(c)
    # An assistance write: the body and the block are computed again (three queries).
    preguntar(osorno)
    with django_assert_num_queries(TRAS_ESCRITURA["tablero:tablero"] + 3):
        html = bloque(ver(c))
    assert 'Consultas sin responder</dt>\n      <dd class="col-sm-6 col-lg-3">1</dd>' in html


def test_el_bloque_hace_las_mismas_consultas_con_mas_datos(
    jefatura, analista, anio_tablero, osorno, llanquihue, django_assert_num_queries
):
    c = cliente(jefatura)
    preguntar(osorno)
    cache.clear()
    with django_assert_num_queries(CONSULTAS["tablero:tablero"]):
        assert c.get(reverse("tablero:tablero"), FILTROS).status_code == 200
    for servicio in (osorno, llanquihue, anio_tablero["economia"], anio_tablero["gore"]):
        consulta = preguntar(servicio)
        services.consulta_escribir(consulta=consulta, texto="Sí.", usuario=analista)
        Contacto.objects.create(
            servicio=servicio,
            anio=2026,
            analista=analista,
            canal="llamada",
            fecha=timezone.localdate(),
            tema="y",
        )
    cache.clear()
    with django_assert_num_queries(CONSULTAS["tablero:tablero"]):
        html = c.get(reverse("tablero:tablero"), FILTROS).content.decode()
    assert "100,0 % · 4 de 4 servicios" in bloque(html)


def test_la_asistencia_tomada_mueve_el_bloque(jefatura, analista, anio_tablero, osorno):
    """Attendance is an UPDATE (no signal): its logged event moves the block's version."""
    c = cliente(jefatura)
    inicio = timezone.now() - datetime.timedelta(hours=1)
    actividad = services.actividad_planificar(
        usuario=analista,
        anio=2026,
        tipo="jornada",
        tema="Hoy",
        inicio=inicio,
        fin=inicio + datetime.timedelta(hours=2),
        responsable=analista,
        servicios=[osorno],
    )
    inscripcion = services.inscripcion_crear(
        convocado=actividad.convocados.get(), nombre="Ana", usuario=encargado_de_osorno(osorno)
    )
    assert "0 de 4 servicios" in bloque(ver(c))
    services.asistencia_registrar(actividad=actividad, presentes={inscripcion.pk}, usuario=analista)
    assert "1 de 4 servicios" in bloque(ver(c))


def encargado_de_osorno(osorno):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=f"encargado_{osorno.pk}")
