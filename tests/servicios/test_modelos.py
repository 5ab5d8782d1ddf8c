"""Constraints of the institutional registry."""

import pytest

from servicios.models import Cartera, Ministerio, Servicio
from tests.conftest import falla_en_bd

pytestmark = pytest.mark.django_db


def test_partida_de_ministerio_tiene_dos_digitos(referencias):
    assert falla_en_bd(Ministerio(nombre="Ministerio de Prueba", sigla="MINPRUEBA", partida="5"))
    assert falla_en_bd(Ministerio(nombre="Ministerio de Prueba", sigla="MINPRUEBA", partida="AB"))
    assert not falla_en_bd(
        Ministerio(nombre="Ministerio de Prueba", sigla="MINPRUEBA", partida="98")
    )


@pytest.mark.parametrize("capitulo", ["7", "AB"])
def test_capitulo_de_servicio_tiene_dos_digitos(osorno, capitulo):
    copia = Servicio(
        nombre="Servicio de prueba",
        ministerio=osorno.ministerio,
        tipo=osorno.tipo,
        capitulo=capitulo,
    )
    assert falla_en_bd(copia)


def test_nombre_de_servicio_es_unico(osorno):
    copia = Servicio(
        nombre=osorno.nombre, ministerio=osorno.ministerio, tipo=osorno.tipo, capitulo="00"
    )
    assert falla_en_bd(copia)


def test_un_analista_por_servicio_y_anio(analista, analista_otro, osorno):
    assert falla_en_bd(Cartera(anio=2026, rol="analista", usuario=analista_otro, servicio=osorno))
    assert not falla_en_bd(
        Cartera(anio=2027, rol="analista", usuario=analista_otro, servicio=osorno)
    )


def test_rol_de_cartera_desconocido_se_rechaza(analista_otro, osorno):
    assert falla_en_bd(Cartera(anio=2026, rol="jefatura", usuario=analista_otro, servicio=osorno))


def test_cartera_exige_que_la_persona_tenga_ese_rol(analista_otro, consultora, osorno):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="no pertenece al grupo «consultora»"):
        Cartera(anio=2027, rol="consultora", usuario=analista_otro, servicio=osorno).full_clean()
    Cartera(anio=2027, rol="consultora", usuario=consultora, servicio=osorno).full_clean()
