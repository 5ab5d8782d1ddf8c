"""The Excel of every quality score of a year, through the reports machinery, read back."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from calidad import services
from reportes.models import Reporte
from reportes.services import reporte_generar, reporte_solicitar
from servicios.models import Cartera
from tests.calidad.conftest import (
    ANIO_CALIDAD,
    calificar_todo,
    crear_modelo,
    responder_todo,
)
from tests.conftest import cliente
from tests.reportes.conftest import filas, generar, libro, texto_de

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


# --- The informe de resultados de la autoevaluación (PDF) of one GORE -----------------------


def _llevar_a_2012(gore, equipo_gore, admin, evaluador, analista_calidad, nivel: int = 3):
    """Los Lagos' 2012 autoevaluación against the 2012 model, validated at `nivel` of 5."""
    crear_modelo(2012, admin)
    for persona, rol in ((evaluador, Cartera.Rol.EVALUADOR), (analista_calidad, "analista")):
        Cartera.objects.create(anio=2012, rol=rol, usuario=persona, servicio=gore)
        persona.__dict__.pop("_srm_cartera", None)
    a = services.autoevaluacion_iniciar(servicio=gore, anio=2012, usuario=equipo_gore)
    responder_todo(a, equipo_gore)
    a = services.documento_transicionar(objeto=a, accion="enviar", usuario=equipo_gore)
    calificar_todo(a, evaluador, nivel=nivel)
    a = services.documento_transicionar(objeto=a, accion="evaluar", usuario=evaluador)
    return services.documento_transicionar(objeto=a, accion="validar", usuario=analista_calidad)


@pytest.fixture
def con_plan_en_ejecucion(validada, equipo_gore, analista_calidad):
    """Los Lagos 2011 (200 points) with a validated plan: one measure 60 % done."""
    plan = services.plan_crear(autoevaluacion=validada, usuario=equipo_gore)
    services.plan_metodologia_guardar(
        plan=plan, metodologia="Comité de calidad mensual.", usuario=equipo_gore
    )
    respuesta = validada.respuestas.select_related("elemento__criterio").get(
        elemento__criterio__numero=8, elemento__numero=1
    )
    medida = services.medida_crear(
        plan=plan,
        elemento=respuesta.elemento,
        descripcion="Tablero regional de resultados",
        tipo="mediano",
        responsable="División de Planificación",
        plazo=datetime.date(2012, 6, 30),
        costo=12_500_000,
        metodologia="Piloto y despliegue.",
        puntaje_esperado=Decimal(30),
        usuario=equipo_gore,
    )
    plan = services.documento_transicionar(objeto=plan, accion="enviar", usuario=equipo_gore)
    plan = services.documento_transicionar(objeto=plan, accion="validar", usuario=analista_calidad)
    services.medida_avanzar(
        medida=medida, avance=60, comentario="Piloto en marcha.", usuario=equipo_gore
    )
    return plan


def test_informe_pdf_de_un_gore_con_su_plan_y_los_dos_anios(
    con_plan_en_ejecucion, gore, equipo_gore, admin, evaluador, analista_calidad, jefatura
):
    _llevar_a_2012(gore, equipo_gore, admin, evaluador, analista_calidad, nivel=3)
    reporte = generar(jefatura, "calidad_pdf", anio=ANIO_CALIDAD, servicio=gore)
    assert reporte.estado == Reporte.Estado.LISTO, reporte.error
    assert reporte.nombre_archivo == "informe_calidad_gobierno_regional_de_los_lagos_2011.pdf"
    texto = texto_de(reporte)
    assert "Informe de resultados de la autoevaluación" in texto
    assert "Gobierno Regional de Los Lagos · 2011" in texto
    # Level 2 of 5 everywhere: each criterion 2/5 of its maximum (hand-computed), 200 in all.
    # (proposed at level 3: 27 of 45; evaluated at 2: 18, 40 %).
    assert "1. Criterio 1 45 27 18 40 %" in texto
    assert "Total 500" in texto
    assert "Puntaje validado por SUBDERE 200 de 500" in texto
    # 200 points and a validated plan: Nivel Calidad; the plan's 30 points reach 230 < 300.
    assert "Nivel que alcanza Nivel Calidad" in texto
    assert "Le faltan 100 puntos para el Nivel Calidad Avanzado." in texto
    assert "en el papel el GORE llegaría a 230 puntos, lo que no alcanza la meta de 300" in texto
    assert "Tablero regional de resultados" in texto and "60 %" in texto
    assert "12.500.000" in texto and "Piloto en marcha." in texto
    # Gaps ranked: criterion 8's elements (50 points each, 20 evaluated) lack 30 each, first.
    brechas = texto[texto.index("IV. Brechas") :]
    assert brechas.index("8.1 Elemento 8.1") < brechas.index("4.1 Elemento 4.1")
    assert brechas.index("4.1 Elemento 4.1") < brechas.index("1.1 Elemento 1.1")
    # What the model assumed, said in the report.
    assert (
        "Supuestos: la fuente no da el puntaje de los criterios 5, 6 y 7. "
        "Puntaje supuesto, a confirmar. Escala" in texto
    )
    # 2011 against 2012 (level 3 in 2012: 3/5 of each maximum).
    comparacion = texto[texto.index("VI. 2011 frente a 2012") :]
    assert "8. Criterio 8 40 60 +20" in comparacion
    assert "+20 200 300 Puntaje validado" in comparacion  # the total row, as pdftotext reads it


def test_informe_pdf_de_una_autoevaluacion_sin_validar_lo_dice(autoevaluacion, gore, jefatura):
    reporte = generar(jefatura, "calidad_pdf", anio=ANIO_CALIDAD, servicio=gore)
    assert reporte.estado == Reporte.Estado.LISTO, reporte.error
    texto = texto_de(reporte)
    assert "Puntaje validado por SUBDERE — de 500" in texto
    assert "La autoevaluación aún no tiene un puntaje validado." in texto
    assert "aún no tiene Plan de Mejoras" in texto
    assert "frente a" not in texto


def test_informe_pdf_de_un_anio_sin_autoevaluacion_falla_con_su_motivo(modelo, gore, jefatura):
    reporte = generar(jefatura, "calidad_pdf", anio=ANIO_CALIDAD, servicio=gore)
    assert reporte.estado == Reporte.Estado.ERROR
    assert reporte.error == (
        "Gobierno Regional de Los Lagos no tiene autoevaluación de calidad en 2011."
    )


def test_la_tarjeta_ofrece_el_informe_y_lo_pide_quien_puede(
    autoevaluacion, equipo_gore, equipo_otro, autoevaluacion_otra, evaluador, jefatura
):
    url = reverse("reportes:calidad_pdf", args=[autoevaluacion.pk])
    tarjeta = reverse("calidad:autoevaluacion_detalle", args=[autoevaluacion.pk])
    assert f'action="{url}"' in cliente(equipo_gore).get(tarjeta).content.decode()
    assert f'action="{url}"' not in cliente(evaluador).get(tarjeta).content.decode()
    anonimo = Client().post(url)
    assert anonimo.status_code == 302 and anonimo.url.startswith(reverse("login"))
    # Another GORE's team: not found; the evaluador (who sees it): not its role.
    assert cliente(equipo_otro).post(url).status_code == 404
    assert cliente(evaluador).post(url).status_code == 403
    assert cliente(equipo_gore).get(url).status_code == 405
    assert not Reporte.objects.exists()
    respuesta = cliente(equipo_gore).post(url)
    assert respuesta.status_code == 302 and respuesta.url == reverse("reportes:lista")
    for usuario in (equipo_gore, jefatura):
        cliente(usuario).post(url)
    pedidos = Reporte.objects.filter(tipo="calidad_pdf")
    assert pedidos.count() == 3
    assert {(r.servicio_id, r.anio) for r in pedidos} == {(autoevaluacion.servicio_id, 2011)}
    # Its file: the other GORE's team does not find it.
    reporte = pedidos.first()
    reporte_generar(reporte.pk)
    descargar = reverse("reportes:descargar", args=[reporte.pk])
    assert cliente(equipo_gore).get(descargar).status_code == 200
    assert cliente(equipo_otro).get(descargar).status_code == 404


def test_la_pagina_de_reportes_ofrece_al_gore_solo_su_informe(
    autoevaluacion, autoevaluacion_otra, gore, gore_otro, equipo_gore, encargado, jefatura, admin
):
    pagina = cliente(equipo_gore).get(reverse("reportes:lista"))
    (formulario,) = [
        f for f in pagina.context["formularios"] if f.tipo_reporte.value == "calidad_pdf"
    ]
    assert [s.pk for s in formulario.fields["gore"].queryset] == [gore.pk]
    assert formulario.fields["anio"].choices == [(2011, 2011)]
    # A servicio that is not a GORE is offered no GORE report.
    tipos = {
        f.tipo_reporte.value
        for f in cliente(encargado).get(reverse("reportes:lista")).context["formularios"]
    }
    assert "calidad_pdf" not in tipos
    # Jefatura chooses among every GORE with an autoevaluación.
    pagina = cliente(jefatura).get(reverse("reportes:lista"))
    (formulario,) = [
        f for f in pagina.context["formularios"] if f.tipo_reporte.value == "calidad_pdf"
    ]
    assert {s.pk for s in formulario.fields["gore"].queryset} == {gore.pk, gore_otro.pk}
    # Asking for another GORE's report through the form: refused, nothing saved.
    datos = {"tipo": "calidad_pdf", "calidad_pdf-anio": 2011, "calidad_pdf-gore": gore_otro.pk}
    assert cliente(equipo_gore).post(reverse("reportes:solicitar"), datos).status_code == 400
    # A year without its autoevaluación: said in Spanish.
    crear_modelo(2012, admin)
    datos = {"tipo": "calidad_pdf", "calidad_pdf-anio": 2012, "calidad_pdf-gore": gore.pk}
    respuesta = cliente(equipo_gore).post(reverse("reportes:solicitar"), datos)
    assert respuesta.status_code == 400
    assert (
        "Gobierno Regional de Los Lagos no tiene autoevaluación de calidad en 2012: elija otro año."
        in respuesta.content.decode()
    )
    assert not Reporte.objects.exists()
    datos["calidad_pdf-anio"] = 2011
    assert cliente(equipo_gore).post(reverse("reportes:solicitar"), datos).status_code == 302
    assert Reporte.objects.get().servicio_id == gore.pk


def test_el_servicio_de_reportes_exige_el_gore_aunque_no_pase_por_la_vista(
    autoevaluacion, autoevaluacion_otra, gore, gore_otro, equipo_gore, evaluador
):
    for usuario, servicio in ((equipo_gore, gore_otro), (evaluador, gore)):
        with pytest.raises(PermissionDenied):
            reporte_solicitar(usuario=usuario, tipo="calidad_pdf", anio=2011, servicio=servicio)
    assert not Reporte.objects.exists()


def test_los_reportes_del_pmg_no_ofrecen_los_anios_de_calidad(modelo, proceso, admin, jefatura):
    from compromisos.models import Proceso

    crear_modelo(2010, admin)  # a quality year without a PMG proceso
    anios_pmg = list(Proceso.objects.order_by("-anio").values_list("anio", flat=True))
    assert 2010 not in anios_pmg
    pagina = cliente(jefatura).get(reverse("reportes:lista"))
    anios = {
        f.tipo_reporte.value: [valor for valor, _ in f.fields["anio"].choices]
        for f in pagina.context["formularios"]
    }
    assert anios.pop("calidad_xlsx") == [ANIO_CALIDAD, 2010]
    assert anios and all(lista == anios_pmg for lista in anios.values())


def test_el_panorama_ofrece_el_excel_de_todos_los_puntajes(autoevaluacion, jefatura, equipo_gore):
    pagina = cliente(jefatura).get(reverse("calidad:panorama") + "?anio=2011").content.decode()
    assert 'name="tipo" value="calidad_xlsx"' in pagina
    assert 'name="calidad_xlsx-anio" value="2011"' in pagina


def test_la_pagina_de_reportes_hace_las_mismas_consultas_con_1_o_4_gore(
    modelo, gore, equipo_gore, jefatura, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from servicios.models import Membresia, Servicio

    def gore_con_informe(servicio):
        a = services.autoevaluacion_iniciar(
            servicio=servicio, anio=ANIO_CALIDAD, usuario=equipo_gore
        )
        generar(jefatura, "calidad_pdf", anio=ANIO_CALIDAD, servicio=a.servicio)

    gore_con_informe(gore)
    medidas, clientes = {}, {}
    for usuario in (jefatura, equipo_gore):
        c = clientes[usuario.pk] = cliente(usuario)
        c.get(reverse("reportes:lista"))
        with CaptureQueriesContext(connection) as pocos:
            c.get(reverse("reportes:lista"))
        medidas[usuario.pk] = len(pocos)
    otros = Servicio.objects.filter(tipo__codigo="gobierno-regional").exclude(pk=gore.pk)[:3]
    for otro in otros:
        Membresia.objects.create(usuario=equipo_gore, servicio=otro)
        equipo_gore.__dict__.pop("_srm_servicios", None)
        gore_con_informe(otro)
    for usuario in (jefatura, equipo_gore):
        with django_assert_num_queries(medidas[usuario.pk]):
            pagina = clientes[usuario.pk].get(reverse("reportes:lista"))
        assert pagina.content.decode().count("Informe de resultados de la autoevaluación") >= 5
