"""The metas URLs with hostile input, for the roles of the División: never a 5xx."""

from decimal import Decimal

import pytest
from django.urls import reverse

from metas import services
from tests.metas.conftest import evidencia
from tests.srm.test_entradas_hostiles import HOSTILES, recorrer, sin_excepciones

pytestmark = pytest.mark.django_db


def test_las_paginas_de_metas_no_responden_5xx(
    indicador, encargado_unidad, jefe_depto, jefatura, admin
):
    medicion = services.medicion_reportar(
        indicador=indicador,
        periodo=1,
        usuario=encargado_unidad,
        numerador=Decimal(1),
        denominador=Decimal(2),
        archivo=evidencia(),
    )
    unidad = indicador.meta.unidad
    urls = [
        reverse("metas:inicio"),
        reverse("metas:recalcular"),
        reverse("metas:departamento", args=[unidad.departamento_id]),
        reverse("metas:unidad", args=[unidad.pk]),
        reverse("metas:indicador", args=[indicador.pk]),
        reverse("metas:medicion_reportar", args=[indicador.pk, 2]),
        reverse("metas:medicion_reportar", args=[indicador.pk, 9 * 10**18]),
        reverse("metas:medicion_transicionar", args=[medicion.pk, "devolver"]),
        reverse("metas:medicion_transicionar", args=[medicion.pk, "²"]),
        reverse("metas:evidencia_descargar", args=[medicion.evidencias.get().pk]),
        reverse("metas:unidad", args=[9 * 10**18]),
        reverse("metas:meta_crear", args=[unidad.pk]),
        reverse("metas:indicador_crear", args=[indicador.meta_id]),
        reverse("metas:indicador_crear", args=[9 * 10**18]),
    ]
    fallas: list[str] = []
    for quien, usuario in {
        "encargado_unidad": encargado_unidad,
        "jefe_depto": jefe_depto,
        "jefatura": jefatura,
        "admin": admin,
    }.items():
        c = sin_excepciones(usuario)
        for url in urls:
            recorrer(c, url, con_post=True, fallas=fallas, quien=quien, valores=HOSTILES)
    # The report form's own fields.
    c = sin_excepciones(encargado_unidad)
    formulario = reverse("metas:medicion_reportar", args=[indicador.pk, 2])
    for valor in HOSTILES:
        campos = dict.fromkeys(["numerador", "denominador", "valor", "comentario"], valor)
        respuesta = c.post(formulario, {**campos, "archivo": evidencia(valor[:20])})
        if respuesta.status_code >= 500:
            fallas.append(f"encargado_unidad POST {formulario} {valor[:12]!r}")
    # The jefe's forms for metas and indicators, every field hostile.
    c = sin_excepciones(jefe_depto)
    for formulario, campos in [
        (reverse("metas:meta_crear", args=[unidad.pk]), ["anio", "nombre", "origen"]),
        (
            reverse("metas:indicador_crear", args=[indicador.meta_id]),
            [
                "nombre",
                "tipo_formula",
                "numerador",
                "denominador",
                "factor",
                "acumulacion",
                "unidad_medida",
                "valor_meta",
                "tolerancia",
                "sentido",
                "periodicidad",
                "fuente_detalle",
                "responsable",
            ],
        ),
    ]:
        for valor in HOSTILES:
            respuesta = c.post(formulario, dict.fromkeys(campos, valor))
            if respuesta.status_code >= 500:
                fallas.append(f"jefe_depto POST {formulario} {valor[:12]!r}")
    assert not fallas, "\n".join(fallas)
