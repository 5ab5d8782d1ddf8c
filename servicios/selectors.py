"""Reads of the institutional registry, scoped through srm.permisos."""

from typing import Any

from django.db.models import QuerySet

from servicios.models import Servicio
from srm import permisos


def servicios_visibles(*, usuario: Any) -> QuerySet[Servicio]:
    return permisos.visibles(usuario, Servicio).select_related("ministerio", "tipo", "region")
