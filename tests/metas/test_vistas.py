"""The metas pages: who sees what (another unit → 404, wrong role → 403), the report form,
the approval, the drill-down, and fixed query counts at two sizes."""

from decimal import Decimal

import pytest
from django.urls import reverse

from metas import services
from metas.models import EstadoMedicion, Indicador, Unidad
from tests.conftest import cliente
from tests.metas.conftest import crear_indicador, evidencia
from tests.metas.test_crear import URLS_PROBADAS as URLS_DE_CREAR

pytestmark = pytest.mark.django_db

URLS_PROBADAS = {
    "metas:inicio",
    "metas:recalcular",
    "metas:departamento",
    "metas:unidad",
    "metas:indicador",
    "metas:medicion_reportar",
    "metas:medicion_transicionar",
    "metas:evidencia_descargar",
    *URLS_DE_CREAR,
}


@pytest.fixture
def reportada(indicador, encargado_unidad):
    return services.medicion_reportar(
        indicador=indicador,
        periodo=1,
        usuario=encargado_unidad,
        numerador=Decimal(9),
        denominador=Decimal(10),
        archivo=evidencia(),
    )


@pytest.fixture
def reportada_otra(indicador_otro, encargado_otra):
    return services.medicion_reportar(
        indicador=indicador_otro,
        periodo=1,
        usuario=encargado_otra,
        numerador=Decimal(9),
        denominador=Decimal(10),
        archivo=evidencia("otra"),
    )


def urls_de_lectura(indicador, medicion) -> list[str]:
    unidad = indicador.meta.unidad
    return [
        reverse("metas:unidad", args=[unidad.pk]),
        reverse("metas:indicador", args=[indicador.pk]),
        reverse("metas:evidencia_descargar", args=[medicion.evidencias.get().pk]),
    ]


def test_anonimo_va_al_ingreso(client, indicador):
    for url in [reverse("metas:inicio"), reverse("metas:unidad", args=[indicador.meta.unidad_id])]:
        respuesta = client.get(url)
        assert respuesta.status_code == 302 and respuesta.url.startswith(reverse("login"))


def test_encargado_ve_su_unidad_y_recibe_404_en_otra(encargado_unidad, reportada, reportada_otra):
    c = cliente(encargado_unidad)
    for url in urls_de_lectura(reportada.indicador, reportada):
        assert c.get(url).status_code == 200, url
    for url in urls_de_lectura(reportada_otra.indicador, reportada_otra):
        assert c.get(url).status_code == 404, url
    ajeno = reverse("metas:medicion_reportar", args=[reportada_otra.indicador_id, 2])
    assert c.get(ajeno).status_code == 404
    assert c.post(ajeno, {"numerador": "1", "denominador": "2"}).status_code == 404


def test_encargado_no_ve_departamentos_ni_la_division(encargado_unidad, unidad):
    c = cliente(encargado_unidad)
    assert c.get(reverse("metas:departamento", args=[unidad.departamento_id])).status_code == 403
    pagina = c.get(reverse("metas:inicio"))
    assert pagina.status_code == 200
    contenido = pagina.content.decode()
    assert "Departamento A" in contenido and "Departamento B" not in contenido
    # No link to a page that would refuse him.
    assert reverse("metas:departamento", args=[unidad.departamento_id]) not in contenido


def test_encargado_no_aprueba_su_propia_medicion(encargado_unidad, reportada):
    url = reverse("metas:medicion_transicionar", args=[reportada.pk, "aprobar"])
    assert cliente(encargado_unidad).post(url).status_code == 403
    reportada.refresh_from_db()
    assert reportada.estado == EstadoMedicion.REPORTADA


def test_jefe_de_otro_departamento_recibe_404(jefe_otro, reportada):
    c = cliente(jefe_otro)
    url = reverse("metas:medicion_transicionar", args=[reportada.pk, "aprobar"])
    assert c.post(url).status_code == 404
    depto = reportada.indicador.meta.unidad.departamento_id
    assert c.get(reverse("metas:departamento", args=[depto])).status_code == 404
    for url in urls_de_lectura(reportada.indicador, reportada):
        assert c.get(url).status_code == 404, url


def test_jefe_aprueba_desde_su_departamento(jefe_depto, reportada):
    c = cliente(jefe_depto)
    depto = reportada.indicador.meta.unidad.departamento_id
    pagina = c.get(reverse("metas:departamento", args=[depto]))
    assert pagina.status_code == 200
    assert "Revisar y decidir" in pagina.content.decode()
    respuesta = c.post(
        reverse("metas:medicion_transicionar", args=[reportada.pk, "aprobar"]),
        {"volver": "departamento"},
    )
    assert respuesta.status_code == 302
    reportada.refresh_from_db()
    assert reportada.estado == EstadoMedicion.APROBADA


def test_jefe_no_reporta(jefe_depto, indicador):
    url = reverse("metas:medicion_reportar", args=[indicador.pk, 1])
    assert cliente(jefe_depto).get(url).status_code == 403


def test_devolver_sin_comentario_no_cambia_nada(jefe_depto, reportada):
    url = reverse("metas:medicion_transicionar", args=[reportada.pk, "devolver"])
    respuesta = cliente(jefe_depto).post(url, {"comentario": " "}, follow=True)
    assert "Indique qué debe corregir" in respuesta.content.decode()
    reportada.refresh_from_db()
    assert reportada.estado == EstadoMedicion.REPORTADA


def test_get_en_acciones_post_da_405(jefe_depto, reportada, jefatura):
    url = reverse("metas:medicion_transicionar", args=[reportada.pk, "aprobar"])
    assert cliente(jefe_depto).get(url).status_code == 405
    assert cliente(jefatura).get(reverse("metas:recalcular")).status_code == 405


@pytest.mark.parametrize("persona", ["encargado", "analista", "consultora", "sin_rol"])
def test_roles_del_pmg_no_ven_las_metas(request, persona, reportada):
    c = cliente(request.getfixturevalue(persona))
    assert c.get(reverse("metas:inicio")).status_code == 403
    # The door hides the rows from them as from an outsider.
    for url in urls_de_lectura(reportada.indicador, reportada):
        assert c.get(url).status_code == 404, url


def test_jefatura_lee_la_division_pero_no_aprueba_ni_reporta(jefatura, reportada, unidad):
    c = cliente(jefatura)
    pagina = c.get(reverse("metas:inicio"))
    assert pagina.status_code == 200
    assert "División de Desarrollo Regional" in pagina.content.decode()
    assert c.get(reverse("metas:departamento", args=[unidad.departamento_id])).status_code == 200
    url = reverse("metas:medicion_transicionar", args=[reportada.pk, "aprobar"])
    assert c.post(url).status_code == 403
    reportar = reverse("metas:medicion_reportar", args=[reportada.indicador_id, 2])
    assert c.get(reportar).status_code == 403


def test_recalcular_solo_admin(admin, jefatura, jefe_depto, encargado_unidad, unidad):
    assert cliente(admin).post(reverse("metas:recalcular"), {"anio": "2026"}).status_code == 302
    for persona in (jefatura, jefe_depto, encargado_unidad):
        assert cliente(persona).post(reverse("metas:recalcular")).status_code == 403


def test_el_inicio_lleva_a_las_metas(encargado_unidad, jefe_depto):
    for persona in (encargado_unidad, jefe_depto):
        respuesta = cliente(persona).get(reverse("inicio"))
        assert respuesta.status_code == 302 and respuesta.url == reverse("metas:inicio")


def test_formulario_de_reporte(encargado_unidad, indicador):
    c = cliente(encargado_unidad)
    url = reverse("metas:medicion_reportar", args=[indicador.pk, 1])
    sin_archivo = c.post(url, {"numerador": "3", "denominador": "4", "comentario": "Hola"})
    assert sin_archivo.status_code == 200
    contenido = sin_archivo.content.decode()
    assert 'role="alert"' in contenido and "Hola" in contenido
    respuesta = c.post(
        url, {"numerador": "3", "denominador": "4", "comentario": "Hola", "archivo": evidencia()}
    )
    assert respuesta.status_code == 302
    assert indicador.mediciones.get().estado == EstadoMedicion.REPORTADA
    # Reported: waits for the jefe, no longer editable.
    assert c.get(url, follow=True).redirect_chain[-1][0] == reverse(
        "metas:indicador", args=[indicador.pk]
    )


def test_periodo_inexistente_se_explica(encargado_unidad, indicador):
    url = reverse("metas:medicion_reportar", args=[indicador.pk, 9])
    respuesta = cliente(encargado_unidad).get(url, follow=True)
    assert "Ese período no se reporta" in respuesta.content.decode()


def crear_unidades(departamento, cantidad: int, desde: int) -> None:
    for numero in range(desde, desde + cantidad):
        unidad = Unidad.objects.create(departamento=departamento, nombre=f"Unidad {numero}")
        for orden in range(2):
            crear_indicador(unidad, nombre=f"Indicador {numero}-{orden}")


# The División for jefatura: session, user, groups; years; units; indicators; their approved
# measurements; the counts per light.
CONSULTAS_DIVISION = 8


def test_la_division_lee_lo_mismo_con_mas_unidades(jefatura, unidad, django_assert_num_queries):
    c = cliente(jefatura)
    crear_unidades(unidad.departamento, 2, 1)
    with django_assert_num_queries(CONSULTAS_DIVISION):
        assert c.get(reverse("metas:inicio")).status_code == 200
    crear_unidades(unidad.departamento, 6, 10)
    with django_assert_num_queries(CONSULTAS_DIVISION):
        assert c.get(reverse("metas:inicio")).status_code == 200


# A department for its jefe: session, user, groups; his units (door); the department; that it
# is one of his (door, through its units); years; measurements to approve; units; indicators;
# their measurements; the counts per light.
CONSULTAS_DEPARTAMENTO = 12


def test_el_departamento_lee_lo_mismo_con_mas_unidades(
    jefe_depto, unidad, django_assert_num_queries
):
    c = cliente(jefe_depto)
    url = reverse("metas:departamento", args=[unidad.departamento_id])
    crear_unidades(unidad.departamento, 2, 1)
    with django_assert_num_queries(CONSULTAS_DEPARTAMENTO):
        assert c.get(url).status_code == 200
    crear_unidades(unidad.departamento, 6, 10)
    with django_assert_num_queries(CONSULTAS_DEPARTAMENTO):
        assert c.get(url).status_code == 200


def test_la_pagina_del_indicador_calculado_muestra_las_filas(jefatura, unidad, proceso):
    indicador = crear_indicador(
        unidad,
        nombre="Medios con veredicto",
        fuente="calculada",
        computo="medios_con_veredicto",
    )
    pagina = cliente(jefatura).get(reverse("metas:indicador", args=[indicador.pk]))
    contenido = pagina.content.decode()
    assert "Cómo se calcula" in contenido and "Medios vigentes" in contenido
    assert isinstance(indicador, Indicador)


# A unit for its encargado: session, user, groups; his units (door); the unit with its
# department and jefe; years; indicators; their approved measurements.
CONSULTAS_UNIDAD = 8


def test_la_unidad_lee_lo_mismo_con_mas_indicadores(
    encargado_unidad, unidad, django_assert_num_queries
):
    c = cliente(encargado_unidad)
    url = reverse("metas:unidad", args=[unidad.pk])
    crear_indicador(unidad, nombre="Primero")
    with django_assert_num_queries(CONSULTAS_UNIDAD):
        assert c.get(url).status_code == 200
    for numero in range(8):
        crear_indicador(unidad, nombre=f"Otro {numero}")
    with django_assert_num_queries(CONSULTAS_UNIDAD):
        assert c.get(url).status_code == 200
