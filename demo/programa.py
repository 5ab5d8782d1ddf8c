"""The demo years' programa marco and universe: a copy of the latest year with a catalogue."""

from typing import Any

from programa.models import EstadoParticipacion, Participacion, ProgramaMarco
from programa.services import programa_copiar
from servicios.models import Servicio


def programa_demo(anio: int, servicios: list[Servicio], admin: Any) -> ProgramaMarco:
    """The year's catalogue (copied, logged, from the latest earlier one) and its participants."""
    programa = ProgramaMarco.objects.filter(anio=anio).first()
    if programa is None or not programa.marcos.exists():
        origen = (
            ProgramaMarco.objects.filter(anio__lt=anio, marcos__isnull=False)
            .order_by("-anio")
            .first()
        )
        if origen is not None:
            programa = programa_copiar(origen=origen, anio=anio, usuario=admin)
        elif programa is None:
            programa = ProgramaMarco.objects.create(anio=anio)
    ya_estan = set(programa.participaciones.values_list("servicio_id", flat=True))
    Participacion.objects.bulk_create(
        Participacion(
            programa=programa,
            servicio=servicio,
            estado=EstadoParticipacion.PARTICIPA,
            fuente="Datos de demostración",
        )
        for servicio in servicios
        if servicio.pk not in ya_estan
    )
    return programa
