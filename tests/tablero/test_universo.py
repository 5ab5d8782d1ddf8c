"""The tablero and the tracker count against the year's universe (issue 15, point 2)."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from compromisos.models import FormulacionPMG
from programa.models import Participacion, ProgramaMarco
from servicios.models import Servicio
from tests.conftest import ANIO, cliente, crear_formulacion

pytestmark = pytest.mark.django_db

TABLERO = reverse("tablero:tablero")
HITOS = reverse("tablero:seguimiento")


def test_2011_muestra_las_cifras_de_la_semilla_002_y_la_nota(jefatura):
    for url in (TABLERO, HITOS):
        respuesta = cliente(jefatura).get(url, {"anio": 2011})
        html = respuesta.content.decode()
        assert (
            "La fuente declara <strong>148 servicios</strong> de <strong>19 ministerios</strong>"
            in html
        )
        for tipo, cantidad in (
            ("Gobiernos regionales", 15),
            ("Gobernaciones provinciales", 50),
            ("SERVIU", 13),
            ("Subsecretarías", 23),
            ("Servicios públicos nacionales", 47),
        ):
            assert (
                f'<th scope="row" class="fw-normal">{tipo}</th><td class="text-end">{cantidad}</td>'
                in html
            ), tipo
        # 29 named participants (15 GORE, 13 SERVIU, Osorno): a note says what is admin data.
        assert "El SRM nombra 29 de los 148 servicios" in html
        assert "los 119 que faltan por nombrar son datos que la Unidad completa" in html
        # The SERVIU of XIV and XV, in PMG Gestión Territorial, with their reason.
        assert html.count("en otro sistema (PMG Gestión Territorial). Motivo:") == 2
        assert "Intendencias" in html and "eximido" in html


def test_quien_participa_y_no_formula_aparece_como_falta(jefatura):
    html = cliente(jefatura).get(TABLERO, {"anio": 2011}).content.decode()
    # Osorno formulated; the other 28 named participants did not.
    assert "28 faltan" in html
    assert "Gobierno Regional de Arica y Parinacota" in html
    respuesta = cliente(jefatura).get(HITOS, {"anio": 2011})
    html = respuesta.content.decode()
    assert html.count("Falta formulación</span>") == 28
    assert "Gobierno Regional de Arica y Parinacota" in html


def test_un_anio_sin_universo_lo_dice_y_cuenta_las_formulaciones(jefatura, osorno, proceso):
    crear_formulacion(osorno, proceso)
    html = cliente(jefatura).get(TABLERO, {"anio": ANIO}).content.decode()
    assert f"El año {ANIO} no tiene universo registrado" in html
    assert "Falta formulación" not in cliente(jefatura).get(HITOS, {"anio": ANIO}).content.decode()


def test_registrar_una_participacion_mueve_el_tablero(jefatura, osorno, llanquihue, proceso):
    """The cached body follows the universe: a Participacion saved moves the data version."""
    crear_formulacion(osorno, proceso)
    c = cliente(jefatura)
    assert "no tiene universo registrado" in c.get(TABLERO, {"anio": ANIO}).content.decode()
    programa = ProgramaMarco.objects.create(anio=ANIO)
    Participacion.objects.create(programa=programa, servicio=osorno)
    Participacion.objects.create(programa=programa, servicio=llanquihue)
    html = c.get(TABLERO, {"anio": ANIO}).content.decode()
    assert "El SRM nombra 2 servicios que participan" in html and "1 falta" in html
    html = c.get(HITOS, {"anio": ANIO}).content.decode()
    assert html.count("Falta formulación</span>") == 1
    # Exempt: shown apart with its reason, no longer «Falta».
    Participacion.objects.filter(servicio=llanquihue).update(
        estado="eximido", motivo="Eximido por decreto."
    )
    Participacion.objects.get(servicio=llanquihue).save()
    html = c.get(TABLERO, {"anio": ANIO}).content.decode()
    assert "0 faltan" in html
    assert "Gobernación Provincial de Llanquihue: eximido. Motivo: Eximido por decreto." in html


def test_el_universo_sigue_los_filtros(jefatura):
    """The tipo filter narrows the named servicios like the formulaciones."""
    serviu = Servicio.objects.filter(tipo__codigo="serviu").first().tipo
    html = cliente(jefatura).get(TABLERO, {"anio": 2011, "tipo": serviu.pk}).content.decode()
    assert "El SRM nombra 13 servicios que participan" in html
    assert not FormulacionPMG.objects.filter(proceso__anio=2011, servicio__tipo=serviu).exists()
    cache.clear()


@pytest.mark.parametrize("nombre", ["tablero:tablero", "tablero:seguimiento"])
def test_mismas_consultas_con_universo_de_2_u_8_servicios(
    nombre, jefatura, proceso, analista, consultora, django_assert_num_queries
):
    """With a universe, the pages count the same queries whatever its size (half of it never
    formulates: «Falta»)."""
    from tests.tablero.test_consultas import CONSULTAS, FILTROS, poblar

    programa = ProgramaMarco.objects.create(anio=ANIO)
    c = cliente(jefatura)

    def sumar(cantidad):
        poblar(cantidad, proceso, analista, consultora)
        sin_universo = Servicio.objects.exclude(participaciones__programa=programa)
        for servicio in sin_universo.filter(formulaciones__proceso=proceso):
            Participacion.objects.create(programa=programa, servicio=servicio)
        for servicio in sin_universo.exclude(formulaciones__proceso=proceso)[:cantidad]:
            Participacion.objects.create(programa=programa, servicio=servicio)

    for cantidad in (2, 6):
        sumar(cantidad)
        cache.clear()
        with django_assert_num_queries(CONSULTAS[nombre]):
            html = c.get(reverse(nombre), FILTROS).content.decode()
        assert "Falta" in html


def test_el_excel_del_tablero_lleva_universo_y_tramos(jefatura):
    import io

    from openpyxl import load_workbook

    from srm.excel import FILA_ENCABEZADO

    respuesta = cliente(jefatura).get(TABLERO, {"anio": 2011, "formato": "xlsx"})
    libro = load_workbook(io.BytesIO(respuesta.content))
    universo = {
        f[0]: f[1:]
        for f in libro["Universo"].iter_rows(min_row=FILA_ENCABEZADO + 1, values_only=True)
    }
    assert universo["Gobernaciones provinciales"] == (50, 1, 1, 0)
    assert universo["Gobiernos regionales"] == (15, 15, 0, 15)
    otros = list(
        libro["Eximidos y otro sistema"].iter_rows(min_row=FILA_ENCABEZADO + 1, values_only=True)
    )
    assert len(otros) == 2 and all(f[4] for f in otros)
    tramos = libro["Cumplimiento por tramo"]
    encabezado = next(tramos.iter_rows(min_row=FILA_ENCABEZADO, values_only=True))
    assert "Incentivo 7,6 %" in encabezado and "Sin resultado" in encabezado
