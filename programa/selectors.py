"""Reads of the programa marco and the universe of a year."""

from django.db.models import Prefetch, QuerySet

from programa.models import (
    EstadoParticipacion,
    EtapaSistema,
    Participacion,
    ProgramaMarco,
    ReglaPrioridad,
    SistemaPMG,
)


def programa_del_anio(anio: int) -> ProgramaMarco | None:
    return ProgramaMarco.objects.filter(anio=anio).first()


def sistemas_del_anio(anio: int) -> QuerySet[SistemaPMG]:
    """The sistemas a formulación of `anio` chooses from, with marco, área and etapas."""
    return (
        SistemaPMG.objects.filter(area__marco__programa__anio=anio)
        .select_related("area__marco")
        .prefetch_related(Prefetch("etapas", queryset=EtapaSistema.objects.order_by("numero")))
    )


def reglas_del_anio(anio: int) -> dict[str, ReglaPrioridad]:
    return {regla.prioridad: regla for regla in ReglaPrioridad.objects.filter(programa__anio=anio)}


def catalogo_completo(programa: ProgramaMarco) -> QuerySet[SistemaPMG]:
    """The whole catalogue of a year, down to each requisito's medios (for its page)."""
    return (
        SistemaPMG.objects.filter(area__marco__programa=programa)
        .select_related("area__marco")
        .prefetch_related("etapas__requisitos__medios")
    )


def participantes(anio: int) -> QuerySet[Participacion]:
    """The servicios that take part in the PMG Descentralización of `anio`."""
    return Participacion.objects.filter(programa__anio=anio, estado=EstadoParticipacion.PARTICIPA)
