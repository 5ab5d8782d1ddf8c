"""A jefe de departamento sets the metas and indicators of his units: the door decides (another
department's unit → 404, a role that does not create → 403), bad input keeps what was typed."""

import pytest
from django.urls import reverse

from bitacora.models import Evento
from metas.models import Indicador, MetaAnual
from tests.conftest import ANIO, cliente

pytestmark = pytest.mark.django_db

URLS_PROBADAS = {"metas:meta_crear", "metas:indicador_crear"}

INDICADOR = {
    "nombre": "Reportes mensuales entregados a tiempo",
    "tipo_formula": "cociente",
    "numerador": "Reportes entregados a más tardar el día 5",
    "denominador": "Reportes del período",
    "factor": "100",
    "acumulacion": "suma",
    "unidad_medida": "%",
    "valor_meta": "90",
    "tolerancia": "5",
    "sentido": "ascendente",
    "periodicidad": "mensual",
    "fuente_detalle": "Planilla de la unidad",
}


def test_el_jefe_crea_una_meta_y_su_indicador(jefe_depto, unidad, encargado_unidad):
    c = cliente(jefe_depto)
    pagina = c.get(reverse("metas:unidad", args=[unidad.pk]), {"anio": ANIO}).content.decode()
    assert reverse("metas:meta_crear", args=[unidad.pk]) in pagina
    respuesta = c.post(
        reverse("metas:meta_crear", args=[unidad.pk]),
        {"anio": ANIO, "nombre": "Reportes oportunos", "origen": "Convenio de desempeño"},
    )
    meta = MetaAnual.objects.get(nombre="Reportes oportunos")
    assert respuesta.status_code == 302
    assert respuesta["Location"] == reverse("metas:indicador_crear", args=[meta.pk])
    assert (meta.unidad, meta.anio) == (unidad, ANIO)
    formulario = c.get(respuesta["Location"])
    opciones = [str(v) for v, _ in formulario.context["formulario"].fields["responsable"].choices]
    assert str(encargado_unidad.pk) in opciones
    respuesta = c.post(
        reverse("metas:indicador_crear", args=[meta.pk]),
        {**INDICADOR, "responsable": encargado_unidad.pk},
    )
    indicador = Indicador.objects.get(meta=meta)
    assert respuesta.status_code == 302
    assert respuesta["Location"] == reverse("metas:indicador", args=[indicador.pk])
    assert indicador.fuente == Indicador.Fuente.REPORTADA
    assert (indicador.valor_meta, indicador.periodos, indicador.responsable) == (
        90,
        12,
        encargado_unidad,
    )
    assert set(Evento.objects.values_list("accion", flat=True)) >= {
        "meta.crear",
        "indicador.crear",
    }


def test_datos_malos_dicen_que_corregir_y_no_pierden_lo_escrito(jefe_depto, indicador):
    c = cliente(jefe_depto)
    url = reverse("metas:indicador_crear", args=[indicador.meta_id])
    respuesta = c.post(url, {**INDICADOR, "numerador": "", "valor_meta": "noventa"})
    assert respuesta.status_code == 400
    contenido = respuesta.content.decode()
    assert 'role="alert"' in contenido
    assert "Un cociente dice qué cuenta su numerador" in contenido
    assert INDICADOR["denominador"] in contenido
    # The same meta twice for the unit and year: the service's refusal, on the form.
    meta = indicador.meta
    respuesta = c.post(
        reverse("metas:meta_crear", args=[meta.unidad_id]), {"anio": ANIO, "nombre": meta.nombre}
    )
    assert respuesta.status_code == 400
    assert MetaAnual.objects.filter(nombre=meta.nombre).count() == 1


def test_quien_reporta_es_de_la_unidad(jefe_depto, indicador, encargado_otra):
    respuesta = cliente(jefe_depto).post(
        reverse("metas:indicador_crear", args=[indicador.meta_id]),
        {**INDICADOR, "responsable": encargado_otra.pk},
    )
    assert respuesta.status_code == 400
    assert not Indicador.objects.filter(nombre=INDICADOR["nombre"]).exists()


def test_otro_departamento_no_existe_para_el_jefe(jefe_depto, indicador_otro):
    c = cliente(jefe_depto)
    unidad_otra = indicador_otro.meta.unidad
    for url in (
        reverse("metas:meta_crear", args=[unidad_otra.pk]),
        reverse("metas:indicador_crear", args=[indicador_otro.meta_id]),
    ):
        assert c.get(url).status_code == 404
        assert c.post(url, {**INDICADOR, "anio": ANIO}).status_code == 404
    assert MetaAnual.objects.count() == 1 and Indicador.objects.count() == 1


@pytest.mark.parametrize("persona", ["encargado_unidad", "jefatura"])
def test_el_encargado_y_la_jefatura_no_crean(persona, request, indicador):
    usuario = request.getfixturevalue(persona)
    c = cliente(usuario)
    unidad = indicador.meta.unidad
    pagina = c.get(reverse("metas:unidad", args=[unidad.pk])).content.decode()
    assert reverse("metas:meta_crear", args=[unidad.pk]) not in pagina
    for url in (
        reverse("metas:meta_crear", args=[unidad.pk]),
        reverse("metas:indicador_crear", args=[indicador.meta_id]),
    ):
        assert c.get(url).status_code == 403
        assert c.post(url, {**INDICADOR, "anio": ANIO}).status_code == 403
    assert MetaAnual.objects.count() == 1 and Indicador.objects.count() == 1


# The unit for its jefe de departamento: the encargado's reads (test_vistas.CONSULTAS_UNIDAD)
# and the year's metas, to add indicators to.
CONSULTAS_UNIDAD_JEFE = 9


@pytest.mark.parametrize("cuantas", [1, 6])
def test_la_unidad_del_jefe_hace_consultas_fijas(
    cuantas, jefe_depto, unidad, django_assert_num_queries
):
    for numero in range(cuantas):
        MetaAnual.objects.create(unidad=unidad, anio=ANIO, nombre=f"Meta {numero}")
    url = reverse("metas:unidad", args=[unidad.pk])
    c = cliente(jefe_depto)
    with django_assert_num_queries(CONSULTAS_UNIDAD_JEFE):
        contenido = c.get(url, {"anio": ANIO}).content.decode()
    assert contenido.count("Agregar un indicador") == cuantas
