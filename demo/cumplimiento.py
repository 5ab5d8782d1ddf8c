"""DIPRES's results for the demo's closed years: the sistemas other than Descentralización.

Descentralización's own result follows from the consultora's verdicts (validacion.cumplimiento);
the other sistemas' come from DIPRES, which the demo invents and says so in each row's note.
"""

from compromisos.models import LineaFormulacion, Proceso
from validacion.cumplimiento import es_descentralizacion
from validacion.models import ResultadoSistema


def resultados_dipres_demo(*, proceso: Proceso, azar) -> int:
    """Nine in ten sistemas cumplen; one query to read the lines, one to write the results."""
    lineas = (
        LineaFormulacion.objects.filter(formulacion__proceso=proceso, resultado_dipres__isnull=True)
        .order_by("formulacion_id", "orden", "pk")
        .values("pk", "sistema", "sistema_catalogo_id", "sistema_catalogo__es_contraparte_subdere")
    )
    nuevos = ResultadoSistema.objects.bulk_create(
        ResultadoSistema(
            linea_id=linea["pk"],
            cumple=azar.random() < 0.9,
            origen=ResultadoSistema.Origen.PLANILLA,
            nota="Dato de demostración (no es un resultado DIPRES real).",
        )
        for linea in lineas
        if not es_descentralizacion(linea)
    )
    return len(nuevos)
