"""The consultora's year-end validation of the demo's closed years, ratified by SUBDERE."""

import datetime

from django.utils import timezone

from compromisos.models import (
    EstadoRevision,
    FormulacionPMG,
    InformeAvance,
    MedioVerificacion,
    Proceso,
)
from servicios.models import Cartera
from validacion import validacion_final

E = EstadoRevision
P = InformeAvance.Periodo


# Verdicts of the demo's consultora: mostly cumple, some partial, a few not.
RESULTADOS_DEMO = ["cumple"] * 7 + ["parcial"] * 2 + ["no_cumple"]


FUNDAMENTOS_DEMO = {
    "cumple": "Los medios acreditan la implementación completa de la iniciativa en el plazo.",
    "parcial": "Se implementó en parte: falta el acto administrativo que formaliza la medida.",
    "no_cumple": "Los medios no acreditan avances verificables en la región.",
}


def validacion_final_demo(*, proceso: Proceso, consultora, analistas, azar, resumen) -> None:
    """Each servicio whose informe final was approved: verdicts, sending, ratification, DIPRES."""
    formulaciones = (
        FormulacionPMG.objects.filter(
            proceso=proceso, informes__periodo=P.FINAL, informes__estado=E.APROBADO
        )
        .select_related("servicio")
        .prefetch_related("compromisos")
        .order_by("pk")
    )
    # Ratified a week before the result is entered in DIPRES (never a date to come).
    registro = min(datetime.date(proceso.anio + 1, 1, 20), timezone.localdate())
    ratificacion = timezone.make_aware(
        datetime.datetime.combine(registro - datetime.timedelta(days=7), datetime.time(12))
    )
    por_pk = {analista.pk: analista for analista in analistas}
    analista_de = {
        servicio_id: por_pk[usuario_id]
        for servicio_id, usuario_id in Cartera.objects.filter(
            anio=proceso.anio, rol=Cartera.Rol.ANALISTA
        ).values_list("servicio_id", "usuario_id")
    }
    for formulacion in formulaciones:
        medios: dict[int, list[MedioVerificacion]] = {}
        for medio in MedioVerificacion.objects.filter(
            avance__informe__formulacion=formulacion,
            avance__informe__periodo=P.FINAL,
            eliminado_en__isnull=True,
        ).select_related("avance"):
            medios.setdefault(medio.avance.compromiso_id, []).append(medio)
        for compromiso in formulacion.compromisos.all():
            compromiso.formulacion = formulacion
            resultado = azar.choice(RESULTADOS_DEMO)
            validacion_final.iniciativa_validar(
                compromiso=compromiso,
                resultado=resultado,
                fundamento=FUNDAMENTOS_DEMO[resultado],
                medios=medios.get(compromiso.pk, []),
                usuario=consultora,
            )
            resumen.iniciativas_validadas += 1
        validacion_final.validacion_enviar(formulacion=formulacion, usuario=consultora)
        analista = analista_de[formulacion.servicio_id]
        validacion_final.validacion_ratificar(
            formulacion=formulacion, usuario=analista, momento=ratificacion
        )
        validacion_final.dipres_registrar(formulacion=formulacion, fecha=registro, usuario=analista)
