"""The quality system's arithmetic, as pure functions: an element's points and the level.

Seed 002, slide 17: Nivel Calidad needs a validated score of 200 or more AND a validated Plan de
Mejoras; Nivel Calidad Avanzado needs 300 or more; Nivel Excelencia 400 or more.
"""

from decimal import ROUND_HALF_UP, Decimal

from calidad.models import (
    UMBRAL_AVANZADO,
    UMBRAL_CALIDAD,
    UMBRAL_EXCELENCIA,
    NivelAcreditacion,
)
from srm import formato

CENTESIMA = Decimal("0.01")


def puntaje_elemento(*, nivel: int, escala_maxima: int, puntaje_maximo: Decimal) -> Decimal:
    """Points of an element at a level of the scale: level ÷ top level × the element's maximum."""
    if not 0 <= nivel <= escala_maxima:
        raise ValueError(f"El nivel {nivel} está fuera de la escala 0–{escala_maxima}.")
    return (Decimal(nivel) * Decimal(puntaje_maximo) / Decimal(escala_maxima)).quantize(
        CENTESIMA, rounding=ROUND_HALF_UP
    )


def nivel_de(puntaje: Decimal | int | None, *, plan_validado: bool) -> str | None:
    """The level a validated score reaches; None when it reaches none."""
    if puntaje is None:
        return None
    if puntaje >= UMBRAL_EXCELENCIA:
        return NivelAcreditacion.EXCELENCIA
    if puntaje >= UMBRAL_AVANZADO:
        return NivelAcreditacion.AVANZADO
    if puntaje >= UMBRAL_CALIDAD and plan_validado:
        return NivelAcreditacion.CALIDAD
    return None


def _faltan(cantidad: Decimal | int, nivel: str) -> str:
    return f"Le {'falta' if cantidad == 1 else 'faltan'} {puntos(cantidad)} {'punto' if cantidad == 1 else 'puntos'} para el {nivel}."


def falta_para_nivel(puntaje: Decimal | int | None, *, plan_validado: bool) -> str:
    """What a GORE still lacks for the next level, in words."""
    if puntaje is None:
        return "La autoevaluación aún no tiene un puntaje validado."
    if puntaje >= UMBRAL_EXCELENCIA:
        return ""
    if puntaje >= UMBRAL_AVANZADO:
        return _faltan(UMBRAL_EXCELENCIA - puntaje, "Nivel Excelencia")
    if puntaje >= UMBRAL_CALIDAD:
        if plan_validado:
            return _faltan(UMBRAL_AVANZADO - puntaje, "Nivel Calidad Avanzado")
        return "Alcanza 200 puntos: le falta un Plan de Mejoras validado para el Nivel Calidad."
    return _faltan(UMBRAL_CALIDAD - puntaje, "Nivel Calidad")


def puntos(valor: Decimal | int | None) -> str:
    """A score as it reads in Chile: «203,33», «200» when whole, «—» when there is none."""
    if valor is None:
        return "—"
    valor = Decimal(valor)
    return formato.numero(valor, 0 if valor == valor.to_integral_value() else 2)
