"""The División's metas through the reportes machinery: the Excel of every measurement and the
monthly PDF per department, on demand and on Celery beat."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from openpyxl import load_workbook

from metas import services
from reportes.models import Reporte
from reportes.services import programar_reportes_de_metas, reporte_solicitar
from srm import permisos
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


def test_el_encargado_de_unidad_no_pide_estos_reportes(encargado_unidad, unidad, proceso):
    assert pedir(encargado_unidad, "metas_xlsx", anio=ANIO).status_code == 403
    assert cliente(encargado_unidad).get(reverse("reportes:lista")).status_code == 403
    assert not Reporte.objects.exists()


def test_el_jefe_de_departamento_pide_y_descarga_los_de_su_departamento(
    con_mediciones, proceso, jefe_depto, depto, django_capture_on_commit_callbacks
):
    pagina = cliente(jefe_depto).get(reverse("reportes:lista"))
    assert pagina.status_code == 200
    # Only his department to choose, no «Todos»; no PMG report among the kinds.
    formularios = pagina.context["formularios"]
    assert {f.tipo_reporte for f in formularios} == {"metas_xlsx", "metas_pdf"}
    for formulario in formularios:
        campo = formulario.fields["departamento"]
        assert list(campo.queryset) == [depto] and campo.required and campo.empty_label is None
    with django_capture_on_commit_callbacks(execute=True):
        assert pedir(jefe_depto, "metas_xlsx", anio=ANIO, departamento=depto.pk).status_code == 302
    reporte = Reporte.objects.get()
    assert reporte.estado == Reporte.Estado.LISTO, reporte.error
    hoja = load_workbook(io.BytesIO(reporte.archivo.read())).active
    filas = list(hoja.iter_rows(min_row=FILA_ENCABEZADO + 1, values_only=True))
    # Only his department's measurements: the other unit's is not in it.
    assert {f[1] for f in filas} == {"Unidad de Monitoreo y Mejoramiento de la Gestión"}
    historial = cliente(jefe_depto).get(reverse("reportes:lista")).content.decode()
    assert reverse("reportes:descargar", args=[reporte.pk]) in historial
    descarga = cliente(jefe_depto).get(reverse("reportes:descargar", args=[reporte.pk]))
    assert descarga.status_code == 200


def test_el_jefe_de_departamento_no_pide_otro_departamento_ni_toda_la_division(
    proceso, jefe_depto, depto, depto_otro
):
    # The form offers only his: another department, or none, is a field error.
    assert pedir(jefe_depto, "metas_pdf", anio=ANIO, departamento=depto_otro.pk).status_code == 400
    assert pedir(jefe_depto, "metas_pdf", anio=ANIO).status_code == 400
    # The service asks the door as well.
    for filtros in ({"departamento": depto_otro.pk}, {}):
        with pytest.raises(PermissionDenied):
            reporte_solicitar(usuario=jefe_depto, tipo="metas_pdf", anio=ANIO, filtros=filtros)
    assert not Reporte.objects.exists()


def test_el_jefe_ve_los_reportes_de_su_departamento_y_no_los_demas(
    proceso, jefe_depto, jefatura, depto, depto_otro, encargado, osorno
):
    programar_reportes_de_metas(hoy=datetime.date(ANIO, 8, 1))
    Reporte.objects.create(tipo="ficha", anio=ANIO, servicio=osorno, solicitado_por=encargado)
    suyo = Reporte.objects.get(tipo="metas_pdf", filtros__departamento=depto.pk)
    assert list(permisos.visibles(jefe_depto, Reporte)) == [suyo]
    # Another department's report, the whole División's Excel, a servicio's ficha: 404.
    for otro in Reporte.objects.exclude(pk=suyo.pk):
        respuesta = cliente(jefe_depto).get(reverse("reportes:descargar", args=[otro.pk]))
        assert respuesta.status_code == 404
    estado = cliente(jefe_depto).get(
        reverse("reportes:estado"), {"ids": ",".join(str(r.pk) for r in Reporte.objects.all())}
    )
    assert [r["id"] for r in estado.json()["reportes"]] == [suyo.pk]
    assert len(permisos.visibles(jefatura, Reporte)) == 4


@pytest.mark.parametrize("cuantos", [1, 6])
def test_la_pagina_de_reportes_del_jefe_hace_consultas_fijas(
    cuantos, proceso, jefe_depto, depto, django_assert_num_queries
):
    for mes in range(2, 2 + cuantos):
        programar_reportes_de_metas(hoy=datetime.date(ANIO, mes, 1))
    c = cliente(jefe_depto)
    # session, user, groups, years, his departments (once, cached on the user), count and page
    # of his runs, and the departments of the two forms' select (read once and shared by the
    # forms, reportes.views): the same whatever the number of runs.
    with django_assert_num_queries(CONSULTAS_PAGINA_JEFE):
        assert c.get(reverse("reportes:lista")).status_code == 200


CONSULTAS_PAGINA_JEFE = 8


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
