"""Reads of the review workflow."""

from itertools import groupby

from django.db.models import Prefetch

from compromisos.models import InformeAvance
from validacion.models import Observacion, RespuestaObservacion


def observaciones_por_ronda(*, informe: InformeAvance) -> list[tuple[int, list[Observacion]]]:
    """Every observación of the informe with its thread, grouped by round, newest round first."""
    respuestas = RespuestaObservacion.objects.select_related("autor")
    observaciones = (
        informe.observaciones.select_related("autor", "avance__compromiso", "medio")
        .prefetch_related(Prefetch("respuestas", queryset=respuestas))
        .order_by("-ronda", "creado", "pk")
    )
    return [(ronda, list(grupo)) for ronda, grupo in groupby(observaciones, key=lambda o: o.ronda)]
