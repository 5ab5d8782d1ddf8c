"""The demo's metas: the seed's unit and the assumed structure, built once, through services."""

import pytest

from demo.metas import UNIDAD_DEL_SEED, construir_metas
from metas.models import EstadoMedicion, Medicion, Unidad
from srm import permisos
from tests.conftest import ANIO

pytestmark = pytest.mark.django_db


def test_la_demo_marca_lo_supuesto_y_no_se_duplica(referencias):
    construir_metas(anio=ANIO)
    unidades = dict(Unidad.objects.values_list("nombre", "es_supuesto"))
    assert unidades.pop(UNIDAD_DEL_SEED) is False
    assert unidades and all(unidades.values())
    assert Medicion.objects.filter(estado=EstadoMedicion.REPORTADA).exists()
    assert Medicion.objects.filter(estado=EstadoMedicion.APROBADA).exists()
    encargado = Unidad.objects.get(nombre=UNIDAD_DEL_SEED).jefe
    assert encargado.username == "encargado_unidad"
    assert permisos.rol(encargado) == permisos.Rol.ENCARGADO_UNIDAD
    cuantas = Medicion.objects.count()
    construir_metas(anio=ANIO)
    assert Medicion.objects.count() == cuantas
