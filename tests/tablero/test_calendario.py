"""Copying a year's calendar into the next one: dates shifted a year, 29 February and weekends
handled, kinds of servicio kept, and never on top of a calendar that already has hitos."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from bitacora.models import Evento
from compromisos.calendario import CalendarioNoCopiable, calendario_copiar, fecha_del_anio
from compromisos.models import Hito, Proceso
from servicios.models import TipoServicio
from tests.conftest import cliente

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "fecha, anio, esperada",
    [
        (datetime.date(2026, 6, 30), 2027, datetime.date(2027, 6, 30)),  # Wednesday stays
        (datetime.date(2024, 2, 29), 2025, datetime.date(2025, 2, 28)),  # leap day → 28 Feb
        (datetime.date(2023, 2, 28), 2024, datetime.date(2024, 2, 28)),  # not the 29th
        (datetime.date(2025, 5, 31), 2026, datetime.date(2026, 6, 1)),  # Sunday → Monday
        (datetime.date(2026, 10, 30), 2027, datetime.date(2027, 11, 1)),  # Saturday → Monday
        (datetime.date(2027, 2, 28), 2028, datetime.date(2028, 2, 28)),  # Monday in a leap year
    ],
)
def test_fecha_del_anio(fecha, anio, esperada):
    assert fecha_del_anio(fecha, anio) == esperada
    assert esperada.weekday() < 5


@pytest.fixture
def calendario_2024(referencias):
    proceso = Proceso.objects.create(anio=2024)
    gore = TipoServicio.objects.get(codigo="gobierno-regional")
    formulacion = Hito.objects.create(
        proceso=proceso,
        etapa="formulacion",
        nombre="Entrega informe de factibilidad (GORE)",
        fecha_inicio=datetime.date(2024, 2, 29),
        fecha_limite=datetime.date(2024, 3, 29),
    )
    formulacion.tipos_servicio.set([gore])
    Hito.objects.create(
        proceso=proceso,
        etapa="avance_1",
        nombre="Informe de avance 1",
        fecha_limite=datetime.date(2024, 6, 28),
    )
    return proceso


def test_copia_el_calendario_al_anio_siguiente(admin, calendario_2024):
    destino = calendario_copiar(origen=calendario_2024, anio=2025, usuario=admin)
    hitos = list(destino.hitos.order_by("fecha_limite"))
    assert [(h.nombre, h.fecha_inicio, h.fecha_limite) for h in hitos] == [
        (
            "Entrega informe de factibilidad (GORE)",
            datetime.date(2025, 2, 28),
            datetime.date(2025, 3, 31),  # 29 March 2025 is a Saturday
        ),
        ("Informe de avance 1", None, datetime.date(2025, 6, 30)),  # 28 June 2025 is a Saturday
    ]
    assert [t.codigo for t in hitos[0].tipos_servicio.all()] == ["gobierno-regional"]
    assert not hitos[1].tipos_servicio.exists()
    assert calendario_2024.hitos.count() == 2
    evento = Evento.objects.get(accion="calendario.copiar")
    assert evento.usuario == admin and evento.detalle == {
        "desde": 2024,
        "hitos": 2,
        "entregables": 0,
    }


def test_no_copia_sobre_un_calendario_con_hitos(admin, calendario_2024):
    calendario_copiar(origen=calendario_2024, anio=2025, usuario=admin)
    with pytest.raises(CalendarioNoCopiable, match="El calendario 2025 ya tiene 2 hitos"):
        calendario_copiar(origen=calendario_2024, anio=2025, usuario=admin)
    assert Hito.objects.filter(proceso__anio=2025).count() == 2


def test_usa_el_proceso_existente_si_no_tiene_hitos(admin, calendario_2024):
    existente = Proceso.objects.create(anio=2025, decreto_programa_marco="Decreto 12")
    assert calendario_copiar(origen=calendario_2024, anio=2025, usuario=admin) == existente
    existente.refresh_from_db()
    assert existente.decreto_programa_marco == "Decreto 12"


def test_un_calendario_vacio_no_se_copia(admin, referencias):
    vacio = Proceso.objects.create(anio=2024)
    with pytest.raises(CalendarioNoCopiable, match="no tiene hitos"):
        calendario_copiar(origen=vacio, anio=2025, usuario=admin)
    assert not Proceso.objects.filter(anio=2025).exists()


@pytest.mark.parametrize("persona", ["jefatura", "analista", "encargado"])
def test_solo_la_administracion_copia_calendarios(request, persona, calendario_2024):
    with pytest.raises(PermissionDenied):
        calendario_copiar(
            origen=calendario_2024, anio=2025, usuario=request.getfixturevalue(persona)
        )
    assert not Proceso.objects.filter(anio=2025).exists()


def test_accion_del_admin(admin, calendario_2024):
    c = cliente(admin)
    url = reverse("admin:compromisos_proceso_changelist")
    datos = {
        "action": "copiar_calendario_al_anio_siguiente",
        "_selected_action": [calendario_2024.pk],
    }
    respuesta = c.post(url, datos, follow=True)
    assert "Calendario 2024 copiado a 2025" in respuesta.content.decode()
    assert Hito.objects.filter(proceso__anio=2025).count() == 2
    respuesta = c.post(url, datos, follow=True)
    assert "El calendario 2025 ya tiene 2 hitos" in respuesta.content.decode()


def test_el_admin_edita_el_calendario_del_anio(admin, calendario_2024):
    c = cliente(admin)
    respuesta = c.get(reverse("admin:compromisos_proceso_change", args=[calendario_2024.pk]))
    assert respuesta.status_code == 200
    assert "Entrega informe de factibilidad (GORE)" in respuesta.content.decode()
