"""A formulación chooses its sistemas from the year's programa marco and obeys its rules."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from compromisos.models import FormulacionPMG
from compromisos.services import formulacion_enviar, validar_contra_programa
from programa.models import ReglaPrioridad, SistemaPMG
from tests.compromisos.test_portal_formulacion import SIAC, enviar_formulacion, exencion, linea
from tests.conftest import cliente

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _catalogo(programa_2026):
    """The test year's catalogue: a copy of 2011's."""


def contenido(respuesta) -> str:
    return respuesta.content.decode()


def test_la_pagina_ofrece_los_sistemas_del_anio_con_marco_y_area(formulacion_osorno, encargado):
    pagina = contenido(
        cliente(encargado).get(
            reverse("compromisos:formulacion_editar", args=[formulacion_osorno.pk])
        )
    )
    assert "Marco Básico · Planificación / Control de Gestión · Descentralización" in pagina
    # 2011's own rows are not offered for 2026.
    de_2011 = SistemaPMG.objects.get(area__marco__programa__anio=2011, nombre="Descentralización")
    assert f'value="{de_2011.pk}"' not in pagina


def test_guardar_copia_marco_area_y_sistema_del_catalogo(formulacion_osorno, encargado):
    respuesta = enviar_formulacion(
        cliente(encargado), formulacion_osorno, [linea("Descentralización", "100.00")]
    )
    assert respuesta.status_code == 302
    fila = formulacion_osorno.lineas.get()
    assert (fila.marco, fila.area, fila.sistema) == (
        "Marco Básico",
        "Planificación / Control de Gestión",
        "Descentralización",
    )
    assert fila.sistema_catalogo.area.marco.programa.anio == 2026


def test_sistema_de_otro_anio_se_rechaza_sin_guardar(formulacion_osorno, encargado):
    de_2011 = SistemaPMG.objects.get(area__marco__programa__anio=2011, nombre="Descentralización")
    fila = {**linea("Descentralización", "100.00"), "sistema": str(de_2011.pk)}
    respuesta = enviar_formulacion(cliente(encargado), formulacion_osorno, [fila])
    assert "Ese sistema no es del programa marco 2026" in contenido(respuesta)
    # The saved line is untouched: still 2026's.
    assert formulacion_osorno.lineas.get().sistema_catalogo.area.marco.programa.anio == 2026


def test_sistema_comprometido_y_eximido_a_la_vez_se_explica(formulacion_osorno, encargado):
    respuesta = enviar_formulacion(
        cliente(encargado),
        formulacion_osorno,
        [linea("Descentralización", "60.00"), linea("Equidad de Género", "40.00")],
        [exencion("Equidad de Género")],
    )
    pagina = contenido(respuesta)
    assert "«Equidad de Género» no puede estar comprometido y eximido a la vez" in pagina
    assert 'value="60.00"' in pagina and 'value="40.00"' in pagina  # nothing typed lost
    assert "Motivo." in pagina
    assert list(formulacion_osorno.lineas.values_list("ponderador", flat=True)) == [
        Decimal("100.00")
    ]


def test_modificar_exige_un_sistema_comprometido(formulacion_osorno, encargado):
    respuesta = enviar_formulacion(
        cliente(encargado),
        formulacion_osorno,
        [linea("Descentralización", "100.00")],
        [exencion(SIAC, tipo="modificar", etapa="4")],
    )
    assert "«Sistema Integral de Información y Atención Ciudadana» no está entre los sistemas" in (
        contenido(respuesta)
    )
    assert not formulacion_osorno.exenciones.exists()


def test_etapa_que_el_sistema_no_tiene_se_explica(formulacion_osorno, encargado):
    SistemaPMG.objects.get(
        area__marco__programa__anio=2026, nombre="Descentralización"
    ).etapas.filter(numero=4).delete()
    respuesta = enviar_formulacion(
        cliente(encargado),
        formulacion_osorno,
        [linea("Descentralización", "100.00", etapa=4)],
        [exencion("Descentralización", tipo="modificar", etapa="4")],
    )
    pagina = contenido(respuesta)
    assert "«Descentralización» no tiene etapa IV en el programa marco 2026" in pagina
    assert "sus etapas son I, II, III" in pagina
    assert "no tiene etapa IV que modificar" in pagina


def test_ponderador_fuera_de_la_regla_del_anio_se_explica(
    programa_2026, formulacion_osorno, encargado
):
    ReglaPrioridad.objects.create(
        programa=programa_2026, prioridad="MENOR", ponderador_maximo=Decimal("10.00")
    )
    respuesta = enviar_formulacion(
        cliente(encargado),
        formulacion_osorno,
        [
            linea("Descentralización", "70.00", prioridad="ALTA"),
            linea("Equidad de Género", "30.00", prioridad="MENOR"),
        ],
    )
    pagina = contenido(respuesta)
    assert "prioridad menor: su ponderador debe ser a lo más 10.00 % en 2026; es 30.00 %" in pagina
    assert "menor a lo más 10.00 %" in pagina  # the rule is shown before it is broken


def test_anio_sin_catalogo_lo_dice_y_no_guarda(formulacion_osorno, encargado, programa_2026):
    formulacion_osorno.lineas.update(sistema_catalogo=None)
    programa_2026.marcos.all().delete()
    c = cliente(encargado)
    pagina = contenido(
        c.get(reverse("compromisos:formulacion_editar", args=[formulacion_osorno.pk]))
    )
    assert "El programa marco 2026 aún no tiene sistemas cargados" in pagina


def test_un_sistema_en_uso_no_se_borra_del_catalogo(programa_2026, formulacion_osorno):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        programa_2026.marcos.all().delete()


def test_linea_de_antes_del_catalogo_muestra_su_texto_y_pide_elegir(formulacion_osorno, encargado):
    formulacion_osorno.lineas.update(sistema="Gestión Territorial", sistema_catalogo=None)
    pagina = contenido(
        cliente(encargado).get(
            reverse("compromisos:formulacion_editar", args=[formulacion_osorno.pk])
        )
    )
    assert "Escrito antes del catálogo: «Marco Básico · Planificación / Control de Gestión · " in (
        pagina
    )
    assert "Gestión Territorial»" in pagina


def test_enviar_vuelve_a_revisar_las_reglas(formulacion_osorno, encargado):
    formulacion_osorno.lineas.update(etapa=3)
    SistemaPMG.objects.get(
        area__marco__programa__anio=2026, nombre="Descentralización"
    ).etapas.filter(numero=3).delete()
    with pytest.raises(ValidationError, match="no tiene etapa III"):
        formulacion_enviar(formulacion=formulacion_osorno, usuario=encargado)
    formulacion_osorno.refresh_from_db()
    assert formulacion_osorno.estado == "borrador"


def test_la_formulacion_2011_de_osorno_cumple_las_reglas_de_su_catalogo(referencias):
    formulacion = FormulacionPMG.objects.get(
        servicio__nombre="Gobernación Provincial de Osorno", proceso__anio=2011
    )
    lineas = [
        {
            "sistema_catalogo": f.sistema_catalogo,
            "etapa": f.etapa,
            "prioridad": f.prioridad,
            "ponderador": f.ponderador,
            "sistema": f.sistema,
        }
        for f in formulacion.lineas.select_related("sistema_catalogo")
    ]
    exenciones = [
        {
            "sistema_catalogo": e.sistema_catalogo,
            "tipo": e.tipo,
            "etapa": e.etapa,
            "sistema": e.sistema,
        }
        for e in formulacion.exenciones.select_related("sistema_catalogo")
    ]
    assert all(fila["sistema_catalogo"] is not None for fila in lineas + exenciones)
    validar_contra_programa(anio=2011, lineas=lineas, exenciones=exenciones)
    # Spelled exactly as the seed, in the catalogue and in the lines.
    for fila in formulacion.lineas.select_related("sistema_catalogo__area__marco"):
        catalogo = fila.sistema_catalogo
        assert (catalogo.area.marco.nombre, catalogo.area.nombre, catalogo.nombre) == (
            fila.marco,
            fila.area,
            fila.sistema,
        )
