"""The traffic light of an indicator: its value so far, a linear projection to the year's
last period, and whether that projection meets the meta within its tolerance.

The meta is a year-end target, so the light judges the projection: with one measurement the
projection is that value; with more, the least-squares line through the periods' results,
read at the last period of the year. A line can leave the range the indicator lives in: a
percentage share (a quotient × 100 in %) is held between 0 and 100.
"""

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from metas.models import Indicador, Medicion, Semaforo

DOS_DECIMALES = Decimal("0.01")
CERO, CIEN = Decimal("0"), Decimal("100")


def _redondear(valor: Decimal | None) -> Decimal | None:
    return None if valor is None else valor.quantize(DOS_DECIMALES, rounding=ROUND_HALF_UP)


def acumulado(indicador: Indicador, mediciones: Iterable[Medicion]) -> Decimal | None:
    """The year's value so far: Σ numerador / Σ denominador × factor, or the last period's
    figure (a value, or a quotient that states a situation at a date)."""
    mediciones = sorted(mediciones, key=lambda m: m.periodo)
    if (
        indicador.tipo_formula == Indicador.TipoFormula.VALOR
        or indicador.acumulacion == Indicador.Acumulacion.ULTIMO
    ):
        resultados = [m.resultado for m in mediciones if m.resultado is not None]
        return _redondear(resultados[-1]) if resultados else None
    numerador = sum((m.numerador or 0 for m in mediciones), Decimal(0))
    denominador = sum((m.denominador or 0 for m in mediciones), Decimal(0))
    if not denominador:
        return None
    return _redondear(numerador / denominador * indicador.factor)


def limites(indicador: Indicador) -> tuple[Decimal, Decimal] | None:
    """The range a percentage share lives in: a quotient × 100 in % counts a part of its
    denominator, so it can be neither above 100 nor below 0. Other indicators are open."""
    es_porcentaje = (
        indicador.tipo_formula == Indicador.TipoFormula.COCIENTE
        and indicador.factor == CIEN
        and indicador.unidad_medida.strip() == "%"
    )
    return (CERO, CIEN) if es_porcentaje else None


def proyeccion(indicador: Indicador, mediciones: Iterable[Medicion]) -> Decimal | None:
    """The least-squares line through (periodo, resultado), read at the year's last period."""
    puntos = [
        (Decimal(m.periodo), m.resultado)
        for m in sorted(mediciones, key=lambda m: m.periodo)
        if m.resultado is not None
    ]
    if not puntos:
        return None
    if len(puntos) == 1:
        return _redondear(puntos[0][1])
    n = Decimal(len(puntos))
    media_x = sum(x for x, _ in puntos) / n
    media_y = sum(y for _, y in puntos) / n
    varianza = sum((x - media_x) ** 2 for x, _ in puntos)
    pendiente = sum((x - media_x) * (y - media_y) for x, y in puntos) / varianza
    proyectado = media_y + pendiente * (Decimal(indicador.periodos) - media_x)
    rango = limites(indicador)
    if rango is not None:
        proyectado = min(max(proyectado, rango[0]), rango[1])
    return _redondear(proyectado)


def semaforo(indicador: Indicador, valor: Decimal | None) -> str:
    """Cumplida when the value meets the meta; en riesgo within the tolerance; else no cumplida."""
    if valor is None:
        return Semaforo.SIN_DATOS
    meta, tolerancia = indicador.valor_meta, indicador.tolerancia
    # How far the value falls short of the meta, in the indicator's direction.
    es_descendente = indicador.sentido == Indicador.Sentido.DESCENDENTE
    distancia = valor - meta if es_descendente else meta - valor
    if distancia <= 0:
        return Semaforo.CUMPLIDA
    if distancia <= tolerancia:
        return Semaforo.EN_RIESGO
    return Semaforo.NO_CUMPLIDA
