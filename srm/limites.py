"""Counters of how often something is asked within a time window, in the shared cache."""

import hashlib

from django.core.cache import cache


def clave(*partes: str) -> str:
    """A cache key for `partes` (addresses, e-mails) without their raw text in it."""
    return "limite:" + hashlib.sha256("\x1f".join(partes).lower().encode()).hexdigest()


def superado(nombre: str, maximo: int, segundos: int = 3600) -> bool:
    """Counts one more use of `nombre` in its window; True once past `maximo` uses."""
    if cache.add(nombre, 1, segundos):
        return maximo < 1
    try:
        return cache.incr(nombre) > maximo
    except ValueError:
        # The window ended between add and incr: this use opens a new one.
        cache.add(nombre, 1, segundos)
        return maximo < 1
