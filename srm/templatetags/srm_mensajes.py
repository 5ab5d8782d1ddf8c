"""The messages of a page split in two: refusals (an error summary that takes the focus) and
the rest (dismissible notices)."""

from collections.abc import Iterable

from django import template
from django.contrib.messages import constants

register = template.Library()


@register.filter
def errores(mensajes: Iterable) -> list:
    return [m for m in mensajes if m.level >= constants.ERROR]


@register.filter
def avisos(mensajes: Iterable) -> list:
    return [m for m in mensajes if m.level < constants.ERROR]
