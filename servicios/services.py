"""Writes of the registry that matter to the PMG year: carteras of analistas and consultora."""

from typing import Any

from django.db import transaction

from bitacora.services import evento_registrar
from servicios.avisos import avisar_asignacion
from servicios.models import Cartera
from srm import permisos

# How the actions this app logs read in a timeline (registered with bitacora.acciones).
DESCRIPCION_ACCIONES = {
    "cartera.asignar": "asignó el servicio a la cartera de un/a analista",
    "cartera.modificar": "cambió la asignación de cartera del servicio",
    "cartera.quitar": "quitó el servicio de la cartera de un/a analista",
    "consultora.asignar": "asignó el servicio a la consultora",
    "consultora.modificar": "cambió la asignación del servicio a la consultora",
    "consultora.quitar": "quitó el servicio a la consultora",
    "evaluador.asignar": "asignó el gobierno regional a un/a evaluador/a de calidad",
    "evaluador.modificar": "cambió la asignación del evaluador de calidad del gobierno regional",
    "evaluador.quitar": "quitó el gobierno regional a un/a evaluador/a de calidad",
}


def _persona(usuario: Any) -> str:
    return usuario.get_full_name() or usuario.username


def _prefijo(cartera: Cartera) -> str:
    return {Cartera.Rol.CONSULTORA: "consultora", Cartera.Rol.EVALUADOR: "evaluador"}.get(
        cartera.rol, "cartera"
    )


@transaction.atomic
def cartera_guardar(*, cartera: Cartera, usuario: Any, cambios: list[str]) -> Cartera:
    """Assign a servicio of a year to an analista or to the consultora (or change it); logged,
    and the consultora hears of each new assignment once the change commits."""
    permisos.exigir(usuario, "configuracion.administrar")
    es_nueva = cartera.pk is None
    if not es_nueva and not cambios:
        return cartera
    cartera.save()
    evento_registrar(
        usuario=usuario,
        accion=f"{_prefijo(cartera)}.{'asignar' if es_nueva else 'modificar'}",
        objeto=cartera,
        servicio_id=cartera.servicio_id,
        anio=cartera.anio,
        detalle={"persona": _persona(cartera.usuario), "cambios": cambios},
    )
    if es_nueva:
        avisar_asignacion(cartera=cartera)
    return cartera


@transaction.atomic
def cartera_quitar(*, cartera: Cartera, usuario: Any) -> None:
    """Remove an assignment; the log keeps who had the servicio and for which year."""
    permisos.exigir(usuario, "configuracion.administrar")
    evento_registrar(
        usuario=usuario,
        accion=f"{_prefijo(cartera)}.quitar",
        objeto=cartera,
        servicio_id=cartera.servicio_id,
        anio=cartera.anio,
        detalle={"persona": _persona(cartera.usuario)},
    )
    cartera.delete()
