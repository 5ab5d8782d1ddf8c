"""Working days: weekends and the holidays in the table do not count; the start day does not."""

import datetime

import pytest

from habiles.calendario import CalendarioHabil, dias_habiles_entre, plazo_habil
from habiles.models import Feriado

pytestmark = pytest.mark.django_db

D = datetime.date


def test_los_feriados_legales_2011_vienen_cargados():
    # Fiestas Patrias 2011 fell on Sunday 18 and Monday 19 September; 17 was a Saturday.
    fechas = set(Feriado.objects.filter(fecha__year=2011).values_list("fecha", flat=True))
    assert {D(2011, 1, 1), D(2011, 9, 18), D(2011, 9, 19), D(2011, 12, 25)} <= fechas
    assert len(fechas) == 15


def test_un_plazo_salta_fin_de_semana_y_feriado():
    # Friday 16-09-2011 + 1 día hábil: Sat, Sun, Mon 19 (Glorias del Ejército) → Tue 20.
    assert plazo_habil(D(2011, 9, 16), 1) == D(2011, 9, 20)
    # Five working days from Monday 04-04-2011 (no holiday that week) end on Monday 11.
    assert plazo_habil(D(2011, 4, 4), 5) == D(2011, 4, 11)


def test_dias_habiles_entre_cuenta_desde_el_dia_siguiente():
    # 15-09-2011 (Thu) → 22-09-2011 (Thu): 16, 20, 21, 22 (19 is a holiday; 17–18 weekend).
    assert dias_habiles_entre(D(2011, 9, 15), D(2011, 9, 22)) == 4
    assert dias_habiles_entre(D(2011, 9, 22), D(2011, 9, 15)) == 0
    assert dias_habiles_entre(D(2011, 9, 15), D(2011, 9, 15)) == 0


def test_un_feriado_agregado_por_la_unidad_cuenta(django_assert_num_queries):
    Feriado.objects.create(fecha=D(2011, 4, 6), nombre="Feriado agregado", fuente="a mano")
    with django_assert_num_queries(1):
        calendario = CalendarioHabil(D(2011, 4, 1), D(2011, 4, 30))
    assert calendario.habiles_entre(D(2011, 4, 4), D(2011, 4, 8)) == 3
    assert not calendario.es_habil(D(2011, 4, 6))
    assert calendario.sumar(D(2011, 4, 5), 1) == D(2011, 4, 7)


def test_contar_a_mano_coincide_en_un_anio_entero():
    calendario = CalendarioHabil(D(2011, 1, 1), D(2011, 12, 31))
    a_mano = sum(
        1 for n in range(1, 365) if calendario.es_habil(D(2011, 1, 1) + datetime.timedelta(days=n))
    )
    assert calendario.habiles_entre(D(2011, 1, 1), D(2011, 12, 31)) == a_mano


def test_fuera_del_rango_leido_se_dice():
    calendario = CalendarioHabil(D(2011, 4, 1), D(2011, 4, 30))
    with pytest.raises(ValueError):
        calendario.es_habil(D(2011, 5, 2))


def test_el_calendario_del_catalogo_responde_lo_mismo_sin_consultas(django_assert_num_queries):
    leido = CalendarioHabil(D(2011, 9, 1), D(2011, 9, 30))
    CalendarioHabil(D(2011, 1, 1), D(2011, 1, 2), del_catalogo=True)  # reads and keeps them
    with django_assert_num_queries(0):
        guardado = CalendarioHabil(D(2011, 9, 1), D(2011, 9, 30), del_catalogo=True)
    assert guardado.feriados == leido.feriados == [D(2011, 9, 18), D(2011, 9, 19)]
    assert guardado.habiles_entre(D(2011, 9, 15), D(2011, 9, 22)) == 4


def test_un_feriado_agregado_se_ve_en_el_calendario_del_catalogo():
    CalendarioHabil(D(2011, 4, 1), D(2011, 4, 30), del_catalogo=True)  # kept
    Feriado.objects.create(fecha=D(2011, 4, 6), nombre="Feriado agregado", fuente="a mano")
    # A holiday is a catalog: its write moves the catalog version.
    assert not CalendarioHabil(D(2011, 4, 1), D(2011, 4, 30), del_catalogo=True).es_habil(
        D(2011, 4, 6)
    )
