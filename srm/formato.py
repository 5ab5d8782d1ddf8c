"""Figures, dates and counts as people in Chile read them: 1.234,5 · 6,0 % · 31-03-2026.

One helper for every layer: templates (the filters of compromisos' `srm_formato`), the tablero's
tables drawn in Python, PDFs and their SVG charts, mails and messages. Django's localisation
(LANGUAGE_CODE es-cl, srm/formatos) writes a decimal comma for values a template prints as they
are, but no thousands dot (USE_THOUSAND_SEPARATOR would also dot the ids some templates print),
and an f-string never passes through it. Spreadsheets keep typed numbers with number formats
(srm.excel), never these strings.

The number of decimals belongs to the kind of figure, the same on every page and report:
- shares and means (avance promedio, % en plazo, % que cumple): one decimal, «42,5 %»;
- the formulación's ponderadores, written with two decimals in the DIPRES form: «12,50 %»;
- a compromiso's avance and other whole percentages a person enters: none, «30 %».
"""

import datetime
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import timezone

SIN_DATO = "—"
DECIMALES_PORCENTAJE = 1
DECIMALES_PONDERADOR = 2


def _decimal(valor) -> Decimal | None:
    if valor is None or isinstance(valor, bool):
        return None
    try:
        # str(): a float's shortest form, so 2.675 rounds up as written, not as stored.
        return valor if isinstance(valor, Decimal) else Decimal(str(valor))
    except (InvalidOperation, ValueError):
        return None


def numero(valor, decimales: int = 0) -> str:
    """«1.234,5»: thousands with a dot, decimal comma, halves rounded away from zero; «—» for
    no figure."""
    if type(valor) is int:
        # The common case (counts), without Decimal: the tablero writes hundreds of them.
        return (
            f"{valor:,}".replace(",", ".") if decimales == 0 else numero(Decimal(valor), decimales)
        )
    cifra = _decimal(valor)
    if cifra is None or not cifra.is_finite():
        return SIN_DATO
    redondeada = cifra.quantize(Decimal(1).scaleb(-decimales), rounding=ROUND_HALF_UP)
    if redondeada == 0:
        # No «-0,0» for a small negative.
        redondeada = abs(redondeada)
    texto = f"{redondeada:,.{decimales}f}"
    return texto.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def porcentaje(valor, decimales: int = DECIMALES_PORCENTAJE) -> str:
    """A share of 100 as «42,5 %», or «—» when there is nothing to divide."""
    texto = numero(valor, decimales)
    return texto if texto == SIN_DATO else f"{texto} %"


def fraccion(valor, decimales: int = DECIMALES_PORCENTAJE) -> str:
    """A share of 1 (0.425) as «42,5 %»."""
    cifra = _decimal(valor)
    return porcentaje(None if cifra is None else cifra * 100, decimales)


def ponderador(valor) -> str:
    """A formulación's weight as «12,50 %»."""
    return porcentaje(valor, DECIMALES_PONDERADOR)


def fecha(valor) -> str:
    """«31-03-2026», always with the year; a moment is read in Chile's time."""
    if valor is None or valor == "":
        return SIN_DATO
    if isinstance(valor, datetime.datetime):
        valor = timezone.localtime(valor) if timezone.is_aware(valor) else valor
    return f"{valor:%d-%m-%Y}"


def fecha_hora(valor: datetime.datetime | None) -> str:
    """«31-03-2026 14:05», in Chile's time."""
    if valor is None:
        return SIN_DATO
    if timezone.is_aware(valor):
        valor = timezone.localtime(valor)
    return f"{valor:%d-%m-%Y %H:%M}"


def segun(cantidad, singular: str, plural: str) -> str:
    """The word that agrees with a count: one is singular, zero and the rest plural."""
    return singular if cantidad is not None and abs(cantidad) == 1 else plural


def plural(cantidad, singular: str, plural: str) -> str:
    """A count with the word that agrees with it: «1 observación», «2 observaciones»,
    «1.250 archivos»."""
    return f"{numero(cantidad)} {segun(cantidad, singular, plural)}"


def porcentajes_que_suman(
    cantidades: Sequence[int], decimales: int = DECIMALES_PORCENTAJE
) -> list[float | None]:
    """Each count's share of their sum, rounded so the shares shown add up to exactly 100.

    Rounding each share alone can show 33,3 + 33,3 + 33,3 = 99,9 under a total of 100 %: the
    units lost to rounding go to the largest remainders (Hamilton's method). None for every row
    when there is nothing to divide.
    """
    total = sum(cantidades)
    if not total:
        return [None] * len(cantidades)
    escala = 10**decimales
    exactos = [Decimal(c) * 100 * escala / total for c in cantidades]
    enteros = [int(e) for e in exactos]
    faltan = 100 * escala - sum(enteros)
    por_resto = sorted(range(len(exactos)), key=lambda i: (-(exactos[i] - enteros[i]), i))
    for indice in por_resto[:faltan]:
        enteros[indice] += 1
    return [entero / escala for entero in enteros]
