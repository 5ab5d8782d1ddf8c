"""The División's metas in Chromium with the demo data, checked by axe: an encargado de unidad
reports a measurement with its evidence, his jefe de departamento approves it, the indicator
turns red and the alert is recorded; jefatura sees the División and drills down to the rows
behind a computed indicator."""

import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from bitacora.models import Evento, Notificacion
from demo.archivos import pdf_minimo
from metas.models import Indicador, MetaAnual, Unidad

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def indicador_nuevo(datos_demo) -> Indicador:
    unidad = Unidad.objects.get(nombre="Unidad de Monitoreo y Mejoramiento de la Gestión")
    meta = MetaAnual.objects.create(
        unidad=unidad, anio=timezone.localdate().year, nombre="Capacitaciones a servicios"
    )
    return Indicador.objects.create(
        meta=meta,
        nombre="Servicios capacitados",
        numerador="Servicios que asistieron a una jornada",
        denominador="Servicios del PMG",
        valor_meta=Decimal("80"),
        tolerancia=Decimal("10"),
        periodicidad="trimestral",
    )


def test_encargado_reporta_jefe_aprueba_y_el_indicador_en_rojo_avisa(
    indicador_nuevo, live_server, pagina, ingresar, revisar_accesibilidad, tmp_path
):
    evidencia = tmp_path / "asistencia.pdf"
    evidencia.write_bytes(pdf_minimo("Lista de asistencia"))

    ingresar(pagina, live_server, "encargado_unidad", esperar_inicio=False)
    expect(pagina.locator("h1")).to_contain_text("Metas")
    revisar_accesibilidad(pagina)
    pagina.get_by_role("link", name="Servicios capacitados").click()
    expect(pagina.locator("h1")).to_have_text("Servicios capacitados")
    revisar_accesibilidad(pagina)
    pagina.get_by_role("link", name="Reportar T1").click()
    pagina.get_by_label("Numerador").fill("4")
    pagina.get_by_label("Denominador").fill("10")
    pagina.get_by_role("button", name="Guardar y reportar").click()
    # No evidence: the form says so, keeping what was typed.
    expect(pagina.get_by_role("alert")).to_contain_text("Evidencia")
    expect(pagina.get_by_label("Numerador")).to_have_value("4")
    revisar_accesibilidad(pagina)
    pagina.get_by_label("Evidencia").set_input_files(str(evidencia))
    pagina.get_by_label("Comentario").fill("Cuatro de diez servicios asistieron.")
    pagina.get_by_role("button", name="Guardar y reportar").click()
    expect(pagina.get_by_text("Medición reportada")).to_be_visible()
    expect(pagina.locator("#periodo-1")).to_contain_text("Reportada")
    expect(pagina.locator("#periodo-1")).to_contain_text("asistencia.pdf")

    pagina.context.clear_cookies()
    ingresar(pagina, live_server, "jefe_depto", esperar_inicio=False)
    pagina.get_by_role("link", name=re.compile("Departamento de Políticas")).first.click()
    expect(pagina.locator("#titulo-por-aprobar")).to_be_visible()
    revisar_accesibilidad(pagina)
    fila = pagina.locator("tr", has_text="Servicios capacitados").first
    fila.get_by_role("link", name="Revisar y decidir").click()
    pagina.get_by_role("button", name="Aprobar T1").click()
    expect(pagina.get_by_text("Medición aprobada.")).to_be_visible()
    expect(pagina.locator("#semaforo")).to_have_text("No cumplida")
    revisar_accesibilidad(pagina)

    # The alert: logged once and a notice for the unit's jefe and the department's.
    assert (
        Evento.objects.filter(accion="indicador.en_rojo", objeto_id=indicador_nuevo.pk).count() == 1
    )
    avisados = set(
        Notificacion.objects.filter(clave__startswith="metas.indicador_en_rojo").values_list(
            "destinatario__username", flat=True
        )
    )
    assert avisados == {"encargado_unidad", "jefe_depto"}

    pagina.context.clear_cookies()
    ingresar(pagina, live_server, "jefatura")
    pagina.get_by_role("navigation", name="Navegación principal").get_by_role(
        "link", name="Metas", exact=True
    ).click()
    expect(pagina.locator("h1")).to_contain_text("División de Desarrollo Regional")
    expect(pagina.locator("tr", has_text="Servicios capacitados")).to_contain_text("No cumplida")
    revisar_accesibilidad(pagina)
    pagina.get_by_role(
        "link", name="Informes de avance revisados dentro de 10 días hábiles"
    ).click()
    expect(pagina.locator("#detalle")).to_be_visible()
    expect(pagina.locator("#cifra-detalle")).to_contain_text("Del 01-01-")
    expect(pagina.locator("#filas-detalle tbody tr").first).to_contain_text("Informe de avance")
    revisar_accesibilidad(pagina)
    # Jefatura reads; it neither approves nor reports.
    expect(pagina.get_by_role("button", name=re.compile("Aprobar"))).to_have_count(0)


def test_el_jefe_crea_una_meta_con_su_indicador_y_pide_el_reporte_de_su_departamento(
    datos_demo, live_server, pagina, ingresar, revisar_accesibilidad
):
    ingresar(pagina, live_server, "jefe_depto", esperar_inicio=False)
    barra = pagina.get_by_role("navigation", name="Navegación principal")
    # His scope holds no servicio: the bar does not offer the (empty) list.
    expect(barra.get_by_role("link", name="Servicios", exact=True)).to_have_count(0)
    pagina.get_by_role(
        "link", name="Unidad de Monitoreo y Mejoramiento de la Gestión"
    ).first.click()
    pagina.get_by_role("link", name="Nueva meta").click()
    revisar_accesibilidad(pagina)
    pagina.get_by_label("Nombre").fill("Asesorías a servicios nuevos")
    pagina.get_by_role("button", name="Crear la meta").click()
    expect(pagina.get_by_text("Meta «Asesorías a servicios nuevos» creada")).to_be_visible()
    pagina.get_by_label("Nombre").fill("Servicios nuevos asesorados")
    pagina.locator("#id_valor_meta").fill("80")
    pagina.get_by_role("button", name="Crear el indicador").click()
    # Without what the quotient counts, the form says so and keeps what was typed.
    expect(pagina.get_by_role("alert")).to_contain_text("numerador")
    expect(pagina.get_by_label("Nombre")).to_have_value("Servicios nuevos asesorados")
    revisar_accesibilidad(pagina)
    pagina.locator("#id_numerador").fill("Servicios nuevos con una asesoría")
    pagina.locator("#id_denominador").fill("Servicios nuevos del año")
    pagina.get_by_role("button", name="Crear el indicador").click()
    expect(pagina.locator("h1")).to_have_text("Servicios nuevos asesorados")

    barra.get_by_role("link", name="Reportes").click()
    formulario = pagina.locator("section", has_text="Reporte mensual de metas por departamento")
    expect(formulario.get_by_label("Departamento")).to_contain_text("Departamento de Políticas")
    revisar_accesibilidad(pagina)
    formulario.get_by_role("button").click()
    expect(pagina.get_by_role("alert")).to_contain_text(
        "Se pidió «Reporte mensual de metas por departamento (PDF)»"
    )
    # His history shows it (the door: its department is his).
    historial = pagina.get_by_role("table", name=re.compile("Reportes pedidos"))
    expect(historial).to_contain_text("Departamento de Políticas")
