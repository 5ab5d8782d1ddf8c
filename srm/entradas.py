"""Parsers for the few values views read straight from a request (ids, years).

`str.isdigit()` accepts '²' and '١' that `int()` refuses, and an id past 64 bits overflows the
database driver: both used to answer 500. These parsers accept ASCII digits within the range of
a database id, and say "no" otherwise; the view then answers 400 or a message in Spanish.
"""

import re

# The largest value of a BigAutoField (PostgreSQL bigint, SQLite INTEGER).
MAXIMO_ID = 2**63 - 1
_DIGITOS = re.compile(r"[0-9]{1,19}")


def entero(valor: str | None, *, minimo: int = 0, maximo: int = MAXIMO_ID) -> int | None:
    """The integer written in `valor` with ASCII digits, within [minimo, maximo]; else None."""
    if valor is None or not _DIGITOS.fullmatch(valor):
        return None
    numero = int(valor)
    return numero if minimo <= numero <= maximo else None


def ids(valores: list[str], *, limite: int = 500) -> list[int] | None:
    """Database ids from a list of strings (a form's checkboxes); None if any is not one."""
    if len(valores) > limite:
        return None
    convertidos = [entero(valor, minimo=1) for valor in valores]
    if any(numero is None for numero in convertidos):
        return None
    return convertidos  # type: ignore[return-value]


def anio(valor: str | None) -> int | None:
    """A plausible process year (the SRM follows years since 2000)."""
    return entero(valor, minimo=1900, maximo=2999)
