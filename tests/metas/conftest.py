"""Personas and data of the División's metas.

Two departments: «Departamento A» (jefe `jefe_depto`) with the Unidad de Monitoreo
(`encargado_unidad` is its jefe) and «Departamento B» (jefe `jefe_otro`) with another unit
(`encargado_otra`). One meta per unit for 2026, with a quarterly percentage indicator
(meta 80 %, tolerance 10).
"""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from demo.archivos import pdf_minimo
from metas.models import Departamento, Indicador, MetaAnual, Unidad
from tests.conftest import ANIO, crear_usuario


def evidencia(texto: str = "acta") -> SimpleUploadedFile:
    return SimpleUploadedFile(f"{texto}.pdf", pdf_minimo(texto), content_type="application/pdf")


def crear_indicador(unidad: Unidad, nombre: str = "Reportes entregados a tiempo", **campos):
    meta, _ = MetaAnual.objects.get_or_create(
        unidad=unidad, anio=campos.pop("anio", ANIO), nombre="Seguimiento oportuno"
    )
    datos = {
        "numerador": "Reportes entregados a tiempo",
        "denominador": "Reportes comprometidos",
        "valor_meta": Decimal("80"),
        "tolerancia": Decimal("10"),
        "periodicidad": "trimestral",
        **campos,
    }
    return Indicador.objects.create(meta=meta, nombre=nombre, **datos)


@pytest.fixture
def jefe_depto(referencias):
    return crear_usuario("jefe_depto", "jefe_departamento")


@pytest.fixture
def jefe_otro(referencias):
    return crear_usuario("jefe_otro", "jefe_departamento")


@pytest.fixture
def encargado_unidad(referencias):
    return crear_usuario("encargado_unidad", "encargado_unidad")


@pytest.fixture
def encargado_otra(referencias):
    return crear_usuario("encargado_otra", "encargado_unidad")


@pytest.fixture
def depto(jefe_depto) -> Departamento:
    return Departamento.objects.create(nombre="Departamento A", jefe=jefe_depto)


@pytest.fixture
def depto_otro(jefe_otro) -> Departamento:
    return Departamento.objects.create(nombre="Departamento B", jefe=jefe_otro)


@pytest.fixture
def unidad(depto, encargado_unidad) -> Unidad:
    return Unidad.objects.create(
        departamento=depto,
        nombre="Unidad de Monitoreo y Mejoramiento de la Gestión",
        jefe=encargado_unidad,
    )


@pytest.fixture
def unidad_otra(depto_otro, encargado_otra) -> Unidad:
    return Unidad.objects.create(departamento=depto_otro, nombre="Unidad B", jefe=encargado_otra)


@pytest.fixture
def indicador(unidad) -> Indicador:
    return crear_indicador(unidad)


@pytest.fixture
def indicador_otro(unidad_otra) -> Indicador:
    return crear_indicador(unidad_otra)
