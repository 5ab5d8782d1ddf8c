"""The reports follow the year's deliverables (issue 16): 2011's planilla and consolidado speak
of the factibilidad and the programa de trabajo; a standard year keeps its four periods."""

import pytest

from compromisos.models import FormulacionPMG, InformeAvance
from reportes.forms import SolicitudReporteForm
from reportes.models import Reporte, TipoReporte
from srm.excel import FILA_ENCABEZADO
from tests.conftest import crear_informe
from tests.reportes.conftest import filas, generar, libro

pytestmark = pytest.mark.django_db


def test_la_planilla_2011_tiene_las_columnas_de_sus_entregables(referencias, jefatura, encargado):
    formulacion = FormulacionPMG.objects.get(
        servicio__nombre="Gobernación Provincial de Osorno", proceso__anio=2011
    )
    informe = crear_informe(formulacion, "factibilidad")
    assert informe.tipo.nombre == "Informe de factibilidad"
    hojas = libro(generar(jefatura, "planilla", anio=2011))
    (osorno,) = [
        f for f in filas(hojas["Servicios"]) if f["Servicio"] == "Gobernación Provincial de Osorno"
    ]
    assert osorno["Informe de factibilidad"] == "Borrador"
    assert osorno["Programa de trabajo"] == "Sin informe"
    assert "Informe de avance 1" not in osorno
    # Osorno's 2011 formulación in the fixture has no compromisos: the headings say it.
    encabezado = next(hojas["Compromisos"].iter_rows(min_row=FILA_ENCABEZADO, values_only=True))
    assert "% Informe de factibilidad" in encabezado and "% Avance 1" not in encabezado


def test_el_consolidado_de_la_factibilidad_2011(referencias, jefatura, encargado):
    reporte = generar(jefatura, "consolidado_xlsx", anio=2011, periodo="factibilidad")
    assert reporte.estado == Reporte.Estado.LISTO, reporte.error
    assert "Informe de factibilidad" in reporte.descripcion


def test_el_formulario_ofrece_los_entregables_del_anio(referencias, jefatura):
    def formulario(anio: int, periodo: str):
        tipo = TipoReporte.CONSOLIDADO_XLSX
        return SolicitudReporteForm(
            {f"{tipo}-anio": anio, f"{tipo}-periodo": periodo},
            usuario=jefatura,
            tipo=tipo,
            anios=[2011, 2026],
        )

    assert formulario(2011, "factibilidad").is_valid()
    rechazado = formulario(2011, "avance_1")
    assert not rechazado.is_valid()
    assert "2011 no tiene el entregable «Informe de avance 1»" in rechazado.errors["periodo"][0]
    # A year with no list of its own: the standard cycle, as before.
    assert formulario(2026, "avance_1").is_valid()
    assert (
        dict(InformeAvance.Periodo.choices).items()
        <= dict(formulario(2026, "avance_1").fields["periodo"].choices).items()
    )
