"""The servicio's ficha: the registry's data, then one section per app that follows it.

servicios is the bottom of the house and imports no app above it: each app with something to
show about a servicio (its formulaciones, later its assistance or its quality model) registers
a section at start-up, in its AppConfig.ready.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from servicios.models import Servicio


@dataclass(frozen=True)
class Seccion:
    plantilla: str
    # (request, servicio) -> what the template needs, as `datos`; None hides the section.
    contexto: Callable[[HttpRequest, Servicio], dict[str, Any] | None]


_SECCIONES: dict[str, Seccion] = {}


def registrar_seccion(nombre: str, seccion: Seccion) -> None:
    """Add (or replace, if ready() runs again) a section of the ficha, in registration order."""
    _SECCIONES[nombre] = seccion


def secciones(request: HttpRequest, servicio: Servicio) -> list[dict[str, Any]]:
    """The ficha's sections for this request: each template with its data."""
    resultado = []
    for seccion in _SECCIONES.values():
        datos = seccion.contexto(request, servicio)
        if datos is not None:
            resultado.append({"plantilla": seccion.plantilla, "datos": datos})
    return resultado
