"""Every figure a person reads is written the Chilean way: pages, PDFs and their charts.

The year of conftest.anio_con_datos with Osorno's second compromiso at 45 %: Osorno's mean is
(30 + 45) / 2 = 37,5 %, the periodo's (30 + 45 + 30 + 30) / 4 = 33,75 → 33,8 %, and two of the
three servicios sent their informe (66,7 %).
"""

import re

import pytest
from django.urls import reverse

from compromisos.models import AvanceCompromiso
from reportes.models import Reporte
from tests.conftest import cliente
from tests.reportes.conftest import generar, texto_de

pytestmark = pytest.mark.django_db

# A figure with a decimal point before «%» («42.5 %», «101.00 %»): English formatting.
PUNTO_DECIMAL = re.compile(r"\d\.\d+\s?%")


@pytest.fixture
def anio(anio_con_datos):
    AvanceCompromiso.objects.filter(
        informe=anio_con_datos["osorno"], compromiso__codigo="C02"
    ).update(porcentaje=45)
    return anio_con_datos


def test_el_consolidado_pdf_escribe_coma_decimal_y_sus_filas_suman_el_total(anio, jefatura):
    reporte = generar(jefatura, "consolidado_pdf", periodo="avance_1")
    assert reporte.estado == Reporte.Estado.LISTO, reporte.error
    texto = texto_de(reporte)
    assert not PUNTO_DECIMAL.search(texto), PUNTO_DECIMAL.search(texto)
    assert "37,5 %" in texto  # Osorno's mean, in its row and its ministerio's
    assert "33,8 %" in texto  # the periodo's mean, halves rounded up
    assert "2 (66,7 %), 1 fuera de plazo" in texto  # sent over servicios, on the cover
    # Totals by tipo: the rows add up to the total row.
    assert (
        "Gobernación provincial / Delegación presidencial provincial 2 2 100,0 % 1 0 33,8 % 1 "
        "Gobierno regional 1 0 0,0 % 0 0 — 0 Total 3 2 66,7 % 1 0 33,8 % 1"
    ) in texto


def test_los_totales_por_grupo_suman_el_total_general(anio):
    from reportes import datos

    contenido = datos.consolidado(
        anio=anio["osorno"].formulacion.proceso.anio, periodo="avance_1", filtros={}
    )
    general = contenido["total_general"]
    for titulo, filas in contenido["totales"]:
        for cifra in ("servicios", "enviados", "atrasados", "aprobados", "observaciones_abiertas"):
            assert sum(f[cifra] for f in filas) == general[cifra], (titulo, cifra)


def test_el_resumen_ejecutivo_escribe_coma_decimal_en_tablas_y_graficos(anio, jefatura):
    reporte = generar(jefatura, "resumen_ejecutivo")
    assert reporte.estado == Reporte.Estado.LISTO, reporte.error
    texto = texto_de(reporte)
    assert not PUNTO_DECIMAL.search(texto), PUNTO_DECIMAL.search(texto)
    assert "33,8 %" in texto
    # The SVG bars' labels: Los Lagos' gobernaciones, mean of their four avances.
    assert "33,8 %" in texto.split("Por tipo de servicio", 1)[1]


def test_la_ficha_escribe_ponderadores_con_dos_decimales_y_avances_enteros(anio, analista):
    osorno = anio["osorno"].formulacion.servicio
    texto = texto_de(generar(analista, "ficha", servicio=osorno))
    assert not PUNTO_DECIMAL.search(texto), PUNTO_DECIMAL.search(texto)
    assert "100,00 %" in texto and "45 %" in texto and "1 medio" in texto
    assert "1 medios" not in texto


def test_las_paginas_escriben_coma_decimal_y_conteos_que_concuerdan(anio, jefatura, encargado):
    osorno = anio["osorno"]
    paginas = {
        "inicio jefatura": cliente(jefatura).get(reverse("inicio")),
        "tablero": cliente(jefatura).get(reverse("tablero:tablero"), {"periodo": "avance_1"}),
        "servicios del tablero": cliente(jefatura).get(
            reverse("tablero:servicio_lista"), {"periodo": "avance_1"}
        ),
        "formulación": cliente(encargado).get(
            reverse("compromisos:formulacion_detalle", args=[osorno.formulacion_id])
        ),
        "informe": cliente(encargado).get(reverse("compromisos:informe_detalle", args=[osorno.pk])),
        "inicio servicio": cliente(encargado).get(reverse("inicio")),
    }
    for nombre, respuesta in paginas.items():
        assert respuesta.status_code == 200, nombre
        html = respuesta.content.decode()
        assert not PUNTO_DECIMAL.search(html), (nombre, PUNTO_DECIMAL.search(html))
        assert not re.search(r"\b1 (servicios|informes|observaciones|compromisos)\b", html), (
            nombre,
            re.search(r"\b1 (servicios|informes|observaciones|compromisos)\b", html),
        )
    # The tablero's lists read the totals kept at each save (tablero/resumenes.py), which the
    # fixture's direct updates skip: only the form of their figures is checked there.
    assert re.search(r">\d+,\d %<", paginas["servicios del tablero"].content.decode())
    assert "100,00 %" in paginas["formulación"].content.decode()
    assert "45 %" in paginas["informe"].content.decode()
    # The tablero's card: one open remark, in the singular.
    assert "(1 abierta, 0 respondidas)" in paginas["tablero"].content.decode()
