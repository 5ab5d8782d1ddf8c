"""Reads of the institutional registry, scoped through srm.permisos."""

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from servicios.models import Cartera, Servicio
from srm import permisos


def servicios_visibles(*, usuario: Any) -> QuerySet[Servicio]:
    return permisos.visibles(usuario, Servicio).select_related("ministerio", "tipo", "region")


def encargados_de(servicio_id: int) -> list:
    """The active encargados/as PMG of a servicio: who hears about its documents."""
    return list(
        get_user_model().objects.filter(membresias__servicio_id=servicio_id, is_active=True)
    )


def analistas_de(servicio_id: int, anio: int) -> list:
    """The active analistas with the servicio in their cartera that year."""
    return list(
        get_user_model().objects.filter(
            carteras__servicio_id=servicio_id,
            carteras__anio=anio,
            carteras__rol=Cartera.Rol.ANALISTA,
            is_active=True,
        )
    )


def consultoras_de(servicio_id: int, anio: int) -> list:
    """The active consultoras assigned to validate the servicio that year."""
    return list(
        get_user_model().objects.filter(
            carteras__servicio_id=servicio_id,
            carteras__anio=anio,
            carteras__rol=Cartera.Rol.CONSULTORA,
            is_active=True,
        )
    )
