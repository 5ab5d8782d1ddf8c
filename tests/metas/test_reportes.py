"""The División's metas through the reportes machinery: the Excel of every measurement and the
monthly PDF per department, on demand and on Celery beat."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from metas import services
from reportes.models import Reporte
from reportes.services import programar_reportes_de_metas
from srm.excel import FILA_ENCABEZADO
from tests.conftest import ANIO, cliente
from tests.metas.conftest import evidencia

pytestmark = pytest.mark.django_db


@pytest.fixture
def con_mediciones(indicador, indicador_otro, encargado_unidad, jefe_depto, encargado_otra):
    for numero, (ind, usuario) in enumerate(
        [
            (indicador, encargado_unidad),
            (indicador, encargado_unidad),
            (indicador_otro, encargado_otra),
        ]
    ):
        periodo = 1 if ind == indicador_otro else numero + 1
        medicion = services.medicion_reportar(
            indicador=ind,
            periodo=periodo,
            usuario=usuario,
            numerador=Decimal(7),
            denominador=Decimal(10),
            archivo=evidencia(f"respaldo {numero}"),
        )
        if ind == indicador and periodo == 1:
            services.medicion_transicionar(medicion=medicion, accion="aprobar", usuario=jefe_depto)


def pedir(usuario, tipo: str, **campos):
    datos = {"tipo": tipo, **{f"{tipo}-{campo}": valor for campo, valor in campos.items()}}
    return cliente(usuario).post(reverse("reportes:solicitar"), datos)


def test_jefatura_pide_el_excel_de_todas_las_mediciones(
    con_mediciones, proceso, jefatura, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert pedir(jefatura, "metas_xlsx", anio=ANIO).status_code == 302
    reporte = Reporte.objects.get()
    assert reporte.estado == Reporte.Estado.LISTO, reporte.error
    hoja = load_workbook(io.BytesIO(reporte.archivo.read())).active
    filas = list(hoja.iter_rows(min_row=FILA_ENCABEZADO + 1, values_only=True))
    assert len(filas) == 3
    assert [(f[1], f[4], f[11]) for f in filas] == [
        ("Unidad de Monitoreo y Mejoramiento de la Gestión", "T1", "Aprobada"),
        ("Unidad de Monitoreo y Mejoramiento de la Gestión", "T2", "Reportada"),
        ("Unidad B", "T1", "Reportada"),
    ]
    assert filas[0][8] == 70 and filas[0][14] == 1


def test_el_pdf_de_un_departamento(
    con_mediciones, proceso, jefatura, depto, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert pedir(jefatura, "metas_pdf", anio=ANIO, departamento=depto.pk).status_code == 302
    reporte = Reporte.objects.get()
    assert reporte.estado == Reporte.Estado.LISTO, reporte.error
    assert reporte.filtros["departamento"] == depto.pk
    assert reporte.archivo.read().startswith(b"%PDF")


def test_jefe_de_departamento_y_encargado_no_piden_estos_reportes(
    jefe_depto, encargado_unidad, proceso
):
    for persona in (jefe_depto, encargado_unidad):
        assert pedir(persona, "metas_xlsx", anio=ANIO).status_code == 403
    assert not Reporte.objects.exists()


def test_el_calendario_programa_un_pdf_por_departamento_y_el_excel_una_vez(depto, depto_otro):
    hoy = datetime.date(ANIO, 8, 1)
    nuevos = programar_reportes_de_metas(hoy=hoy)
    assert sorted((r.tipo, r.anio, r.filtros.get("departamento")) for r in nuevos) == sorted(
        [
            ("metas_xlsx", ANIO, None),
            ("metas_pdf", ANIO, depto.pk),
            ("metas_pdf", ANIO, depto_otro.pk),
        ]
    )
    assert programar_reportes_de_metas(hoy=hoy + datetime.timedelta(days=1)) == []
    # January's run reports on December of the year before.
    enero = programar_reportes_de_metas(hoy=datetime.date(ANIO + 1, 1, 1))
    assert {r.anio for r in enero} == {ANIO}
