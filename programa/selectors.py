"""Reads of the programa marco and the universe of a year."""

from django.db.models import Count, Prefetch, QuerySet

from programa.models import (
    CifraUniverso,
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


def universo(anio: int) -> dict:
    """The year's universe: what the source declares beside the servicios named in the SRM.

    One query for the declared figures, one for the named participations counted by kind of
    servicio and state, one for the ministerios of the named participants.
    """
    cifras = list(CifraUniverso.objects.filter(programa__anio=anio).select_related("tipo"))
    nombrados = {
        (fila["servicio__tipo__nombre"], fila["estado"]): fila["cantidad"]
        for fila in Participacion.objects.filter(programa__anio=anio)
        .values("servicio__tipo__nombre", "estado")
        .annotate(cantidad=Count("pk"))
    }
    ministerios = participantes(anio).values("servicio__ministerio").distinct().count()
    programa = programa_del_anio(anio)
    return {
        "cifras": cifras,
        "total_declarado": sum(
            c.cantidad or 0 for c in cifras if c.estado == EstadoParticipacion.PARTICIPA
        ),
        "ministerios_declarados": programa.ministerios_declarados if programa else None,
        "nombrados": nombrados,
        "total_nombrado": sum(
            n for (_, estado), n in nombrados.items() if estado == EstadoParticipacion.PARTICIPA
        ),
        "ministerios_nombrados": ministerios,
    }
