"""The level rules of seed 002 (slide 17) and the points of an element, by hand."""

from decimal import Decimal

import pytest

from calidad.models import NivelAcreditacion
from calidad.puntajes import falta_para_nivel, nivel_de, puntaje_elemento, puntos


@pytest.mark.parametrize(
    ("puntaje", "plan_validado", "nivel"),
    [
        (Decimal("199"), True, None),
        (Decimal("199.99"), True, None),
        (Decimal("200"), True, NivelAcreditacion.CALIDAD),
        (Decimal("200"), False, None),
        (Decimal("299"), True, NivelAcreditacion.CALIDAD),
        (Decimal("299"), False, None),
        (Decimal("300"), False, NivelAcreditacion.AVANZADO),
        (Decimal("300"), True, NivelAcreditacion.AVANZADO),
        (Decimal("399.99"), False, NivelAcreditacion.AVANZADO),
        (Decimal("400"), False, NivelAcreditacion.EXCELENCIA),
        (Decimal("500"), True, NivelAcreditacion.EXCELENCIA),
        (None, True, None),
    ],
)
def test_nivel_segun_puntaje_validado_y_plan(puntaje, plan_validado, nivel):
    assert nivel_de(puntaje, plan_validado=plan_validado) == nivel


def test_puntaje_de_un_elemento_es_nivel_sobre_escala_por_su_maximo():
    # 3 of 5 on an element worth 15 points: 9 points; 2 of 5 on 13,33: 5,332 → 5,33.
    assert puntaje_elemento(nivel=3, escala_maxima=5, puntaje_maximo=Decimal("15")) == Decimal("9")
    assert puntaje_elemento(nivel=2, escala_maxima=5, puntaje_maximo=Decimal("13.33")) == Decimal(
        "5.33"
    )
    assert puntaje_elemento(nivel=5, escala_maxima=5, puntaje_maximo=Decimal("20")) == Decimal("20")


def test_un_nivel_fuera_de_la_escala_se_rechaza():
    with pytest.raises(ValueError, match="fuera de la escala 0–5"):
        puntaje_elemento(nivel=6, escala_maxima=5, puntaje_maximo=Decimal("10"))


def test_lo_que_falta_se_dice_en_palabras():
    assert falta_para_nivel(Decimal("199"), plan_validado=True) == (
        "Le falta 1 punto para el Nivel Calidad."
    )
    assert falta_para_nivel(Decimal("350.5"), plan_validado=False) == (
        "Le faltan 49,50 puntos para el Nivel Excelencia."
    )
    assert "Plan de Mejoras validado" in falta_para_nivel(Decimal("250"), plan_validado=False)
    assert falta_para_nivel(Decimal("400"), plan_validado=False) == ""


def test_los_puntos_se_escriben_como_en_chile():
    assert puntos(Decimal("203.33")) == "203,33"
    assert puntos(Decimal("200.00")) == "200"
    assert puntos(None) == "—"
