"""The Excel of every quality score of a year, through the reports machinery, read back."""

from decimal import Decimal

import pytest
from django.urls import reverse

from reportes.models import Reporte
from tests.calidad.conftest import ANIO_CALIDAD
from tests.conftest import cliente
from tests.reportes.conftest import filas, generar, libro

pytestmark = pytest.mark.django_db


def test_excel_de_puntajes_por_criterio_y_por_elemento(validada, jefatura):
    reporte = generar(jefatura, "calidad_xlsx", anio=ANIO_CALIDAD)
    assert reporte.estado == Reporte.Estado.LISTO, reporte.error
    hojas = libro(reporte)
    assert hojas.sheetnames == ["Por criterio", "Por elemento"]
    (los_lagos,) = filas(hojas["Por criterio"])
    assert los_lagos["Gobierno regional"] == "Gobierno Regional de Los Lagos"
    # Level 2 of 5 everywhere: 2/5 of each criterion's maximum; 200 in all, no plan, no level.
    assert los_lagos["C1 Criterio 1 (máx. 45)"] == pytest.approx(18)
    assert los_lagos["C5 Criterio 5 (máx. 60, supuesto)"] == pytest.approx(24)
    assert los_lagos["Puntaje validado"] == pytest.approx(200)
    assert los_lagos["Nivel"] == "Sin nivel"
    elementos = filas(hojas["Por elemento"])
    assert len(elementos) == 16
    assert sum(Decimal(str(f["Puntaje evaluado"])) for f in elementos) == Decimal("200")


def test_el_reporte_de_calidad_se_pide_por_los_anios_del_modelo(modelo, jefatura, equipo_gore):
    pagina = cliente(jefatura).get(reverse("reportes:lista"))
    assert "Puntajes de calidad de los gobiernos regionales (Excel)" in pagina.content.decode()
    assert f'<option value="{ANIO_CALIDAD}"' in pagina.content.decode()
    respuesta = cliente(jefatura).post(
        reverse("reportes:solicitar"), {"tipo": "calidad_xlsx", "calidad_xlsx-anio": ANIO_CALIDAD}
    )
    assert respuesta.status_code == 302
    assert Reporte.objects.filter(tipo="calidad_xlsx", anio=ANIO_CALIDAD).exists()
    # The GORE team does not request it.
    assert (
        cliente(equipo_gore)
        .post(reverse("reportes:solicitar"), {"tipo": "calidad_xlsx", "calidad_xlsx-anio": 2011})
        .status_code
        == 403
    )
