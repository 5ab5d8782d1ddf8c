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
    """Each servicio whose informe final was approved: verdicts, sending, ratification, DIPRES,
    in that order after the approval (the days of a real cycle, none of them in the future)."""
    formulaciones = (
        FormulacionPMG.objects.filter(
            proceso=proceso, informes__periodo=P.FINAL, informes__estado=E.APROBADO
        )
        .select_related("servicio")
        .prefetch_related("compromisos")
        .order_by("pk")
    )
    ahora = timezone.now()
    registro = min(datetime.date(proceso.anio + 1, 1, 20), timezone.localdate(ahora))
    aprobado_el = dict(
        InformeAvance.objects.filter(
            formulacion__proceso=proceso, periodo=P.FINAL, estado=E.APROBADO
        ).values_list("formulacion_id", "actualizado")
    )
    por_pk = {analista.pk: analista for analista in analistas}
    analista_de = {
        servicio_id: por_pk[usuario_id]
        for servicio_id, usuario_id in Cartera.objects.filter(
            anio=proceso.anio, rol=Cartera.Rol.ANALISTA
        ).values_list("servicio_id", "usuario_id")
    }
    for formulacion in formulaciones:
        # Validated within the days after the approval, ratified before the DIPRES registration.
        enviada = min(aprobado_el[formulacion.pk] + datetime.timedelta(days=5), ahora)
        ratificada = min(enviada + datetime.timedelta(days=3), ahora)
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
                momento=enviada,
            )
            resumen.iniciativas_validadas += 1
        validacion_final.validacion_enviar(
            formulacion=formulacion, usuario=consultora, momento=enviada
        )
        analista = analista_de[formulacion.servicio_id]
        validacion_final.validacion_ratificar(
            formulacion=formulacion, usuario=analista, momento=ratificada
        )
        # Registered in DIPRES on the given day (at noon), never before the ratification.
        dipres = max(registro, timezone.localdate(ratificada))
        validacion_final.dipres_registrar(
            formulacion=formulacion,
            fecha=dipres,
            usuario=analista,
            momento=min(
                max(
                    ratificada,
                    timezone.make_aware(datetime.datetime.combine(dipres, datetime.time(12, 0))),
                ),
                ahora,
            ),
        )
