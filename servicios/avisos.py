"""Who hears about the registry's changes: the consultora of each servicio assigned to it."""

from bitacora.avisos import avisar
from servicios.models import Cartera


def avisar_asignacion(*, cartera: Cartera) -> None:
    """The consultora hears of each servicio assigned to it."""
    if cartera.rol != Cartera.Rol.CONSULTORA:
        return
    avisar(
        clave=f"cartera:{cartera.pk}",
        destinatarios=[cartera.usuario],
        asunto=f"[SRM] Validación asignada: {cartera.servicio.nombre} ({cartera.anio})",
        plantilla="servicios/correos/asignacion.txt",
        contexto={"cartera": cartera},
    )
