"""The universe of each year and the historical registry (seed 002; today's State in fixtures/)."""

import pytest
from django.urls import reverse

from programa.models import CifraUniverso, Participacion
from programa.selectors import universo
from servicios.models import Ministerio, Servicio
from tests.conftest import cliente

pytestmark = pytest.mark.django_db


def test_el_universo_2011_como_lo_cuenta_la_semilla_002(referencias):
    datos = universo(2011)
    assert datos["total_declarado"] == 148
    assert datos["ministerios_declarados"] == 19
    declarado = {
        c.tipo.codigo: c.cantidad
        for c in datos["cifras"]
        if c.estado == "participa" and c.tipo is not None
    }
    assert declarado == {
        "gobierno-regional": 15,
        "gobernacion": 50,
        "serviu": 13,
        "subsecretaria": 23,
        "servicio-nacional": 47,
    }


def test_las_exenciones_que_nombra_la_semilla_002(referencias):
    intendencias = CifraUniverso.objects.get(programa__anio=2011, descripcion="Intendencias")
    assert intendencias.estado == "eximido"
    otro = Participacion.objects.filter(programa__anio=2011, estado="otro_sistema")
    assert sorted(otro.values_list("servicio__region__numero_romano", flat=True)) == [
        "XIV",
        "XV",
    ]
    assert set(otro.values_list("servicio__tipo__codigo", "otro_sistema")) == {
        ("serviu", "PMG Gestión Territorial")
    }
    assert all(p.motivo for p in otro)


def test_los_servicios_nombrados_no_exceden_lo_declarado(referencias):
    datos = universo(2011)
    nombrados = datos["nombrados"]
    # The 15 gobiernos regionales and the 13 SERVIU of 2011 can be named exactly.
    assert nombrados[("Gobierno regional", "participa")] == 15
    assert nombrados[("SERVIU", "participa")] == 13
    assert not Participacion.objects.filter(
        programa__anio=2011, servicio__region__nombre="Ñuble"
    ).exists()
    # Gobernaciones, subsecretarías and servicios nacionales: only those a seed names (Osorno);
    # the rest is the Unidad's to complete.
    for cifra in datos["cifras"]:
        if cifra.tipo is not None and cifra.cantidad is not None:
            assert nombrados.get((cifra.tipo.nombre, cifra.estado), 0) <= cifra.cantidad
    assert datos["total_nombrado"] == 29


def test_2011_muestra_el_estado_de_2011_y_hoy_el_de_hoy(referencias):
    en_2011 = Servicio.objects.vigentes_en(2011)
    assert not en_2011.filter(region__nombre="Ñuble").exists()
    assert Servicio.objects.vigentes_en(2026).filter(region__nombre="Ñuble").count() == 5
    assert en_2011.filter(tipo__codigo="gobierno-regional").count() == 15
    assert not Ministerio.objects.vigentes_en(2011).filter(sigla="MINDEP").exists()
    assert Ministerio.objects.vigentes_en(2011).count() == 20
    assert Ministerio.objects.vigentes_en(2026).count() == 24
    senapred = Servicio.objects.get(sigla="SENAPRED")
    assert senapred.nombre_en(2011) == "Oficina Nacional de Emergencia del Ministerio del Interior"
    assert senapred.nombre_en(2026) == senapred.nombre
    desarrollo_social = Ministerio.objects.get(partida="21")
    assert desarrollo_social.nombre_en(2011) == "Ministerio de Planificación"
    assert desarrollo_social.nombre_en(2015) == "Ministerio de Desarrollo Social"
    assert desarrollo_social.nombre_en(2026) == "Ministerio de Desarrollo Social y Familia"


def test_la_lista_de_servicios_muestra_el_estado_del_anio(jefatura):
    c = cliente(jefatura)
    url = reverse("servicios:servicio_lista")
    en_2011 = c.get(url, {"anio": 2011, "q": "Emergencia"}).content.decode()
    assert "Oficina Nacional de Emergencia del Ministerio del Interior" in en_2011
    assert "(hoy Servicio Nacional de Prevención y Respuesta ante Desastres)" in en_2011
    nuble_2011 = c.get(url, {"anio": 2011, "q": "Ñuble"}).content.decode()
    assert "Gobierno Regional de Ñuble" not in nuble_2011
    nuble_hoy = c.get(url, {"q": "Ñuble"}).content.decode()
    assert "Gobierno Regional de Ñuble" in nuble_hoy
