"""Reads of the GORE quality system, scoped through srm.permisos, aggregated in the database."""

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, F, Prefetch, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from calidad.models import (
    Autoevaluacion,
    Criterio,
    MedidaMejora,
    MedioCalidad,
    ModeloGestion,
    NivelAcreditacion,
    PlanMejoras,
    RespuestaElemento,
)
from calidad.puntajes import nivel_de
from srm import permisos

CERO = Value(Decimal(0), output_field=DecimalField(max_digits=6, decimal_places=2))


def autoevaluaciones_visibles(*, usuario: Any) -> QuerySet[Autoevaluacion]:
    return permisos.visibles(usuario, Autoevaluacion).select_related(
        "servicio__region", "modelo", "plan", "acreditacion"
    )


def criterios_del_modelo(modelo: ModeloGestion) -> list[Criterio]:
    return list(modelo.criterios.order_by("numero"))


def tarjeta(autoevaluacion: Autoevaluacion) -> list[dict]:
    """The scorecard: each criterion's maximum against the points proposed and evaluated."""
    sumas = {
        fila["elemento__criterio_id"]: fila
        for fila in RespuestaElemento.objects.filter(autoevaluacion=autoevaluacion)
        .values("elemento__criterio_id")
        .annotate(propuesto=Sum("puntaje_propuesto"), evaluado=Sum("puntaje_evaluado"))
    }
    filas = []
    for criterio in autoevaluacion.modelo.criterios.order_by("numero"):
        suma = sumas.get(criterio.pk, {})
        evaluado = suma.get("evaluado")
        filas.append(
            {
                "criterio": criterio,
                "propuesto": suma.get("propuesto"),
                "evaluado": evaluado,
                "porcentaje": (
                    round(evaluado * 100 / criterio.puntaje_maximo)
                    if evaluado is not None
                    else None
                ),
            }
        )
    return filas


def _medios_con_versiones() -> Prefetch:
    return Prefetch(
        "medios",
        queryset=MedioCalidad.objects.select_related("eliminado_por").order_by("creado", "pk"),
    )


def _separar_versiones(objeto: RespuestaElemento | MedidaMejora) -> None:
    """Split the prefetched files into those in force and the history (earlier versions and
    withdrawn files), without another query: `medios_vigentes`, `medios_historial`."""
    medios = list(objeto.medios.all())
    reemplazados = {m.reemplaza_id for m in medios if m.reemplaza_id}
    por_pk = {m.pk: m for m in medios}
    for medio in medios:
        medio.anterior = por_pk.get(medio.reemplaza_id)
        medio.fue_reemplazado = medio.pk in reemplazados
    objeto.medios_vigentes = [m for m in medios if m.eliminado_en is None and not m.fue_reemplazado]
    objeto.medios_historial = [m for m in medios if m not in objeto.medios_vigentes]


def respuestas_de(autoevaluacion: Autoevaluacion) -> list[RespuestaElemento]:
    """The answers with their element, criterion and files (in force, and their history), in
    the model's order."""
    respuestas = list(
        autoevaluacion.respuestas.select_related("elemento__criterio").prefetch_related(
            _medios_con_versiones()
        )
    )
    for respuesta in respuestas:
        _separar_versiones(respuesta)
    return respuestas


def brechas(autoevaluacion: Autoevaluacion) -> QuerySet[RespuestaElemento]:
    """The elements furthest from their maximum first (by the evaluated points, else 0)."""
    return (
        autoevaluacion.respuestas.select_related("elemento__criterio")
        .annotate(
            brecha=F("elemento__puntaje_maximo") - Coalesce("puntaje_evaluado", CERO),
        )
        .filter(brecha__gt=0)
        .order_by("-brecha", "elemento__criterio__numero", "elemento__numero")
    )


def resumen_plan(plan: PlanMejoras) -> dict:
    """The plan's measures and whether they reach its target score on paper."""
    medidas = list(
        plan.medidas.select_related("elemento__criterio").prefetch_related(_medios_con_versiones())
    )
    for medida in medidas:
        _separar_versiones(medida)
    prometido = sum((m.puntaje_esperado for m in medidas), Decimal(0))
    base = plan.autoevaluacion.puntaje_validado or Decimal(0)
    return {
        "medidas": medidas,
        "prometido": prometido,
        "alcanzable": base + prometido,
        "alcanza_meta": base + prometido >= plan.meta_puntaje,
        "costo_total": sum(m.costo for m in medidas),
        "avance_medio": round(sum(m.avance for m in medidas) / len(medidas)) if medidas else 0,
    }


def panorama_gore(*, usuario: Any, anio: int) -> dict:
    """The GORE side by side for a year: criteria as columns, with the level each reaches."""
    modelo = ModeloGestion.objects.filter(anio=anio).first()
    if modelo is None:
        return {"modelo": None, "criterios": [], "filas": []}
    criterios = criterios_del_modelo(modelo)
    autoevaluaciones = list(
        autoevaluaciones_visibles(usuario=usuario)
        .filter(anio=anio)
        .order_by("servicio__region__orden", "servicio__nombre")
    )
    puntos: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for fila in (
        RespuestaElemento.objects.filter(autoevaluacion__in=[a.pk for a in autoevaluaciones])
        .values("autoevaluacion_id", "elemento__criterio__numero")
        .annotate(evaluado=Sum("puntaje_evaluado"), propuesto=Sum("puntaje_propuesto"))
    ):
        puntos[fila["autoevaluacion_id"]][fila["elemento__criterio__numero"]] = (
            fila["evaluado"] if fila["evaluado"] is not None else fila["propuesto"]
        )
    filas = []
    for autoevaluacion in autoevaluaciones:
        celdas = []
        for criterio in criterios:
            valor = puntos[autoevaluacion.pk].get(criterio.numero)
            porcentaje = int(valor * 100 / criterio.puntaje_maximo) if valor is not None else None
            celdas.append({"valor": valor, "porcentaje": porcentaje, "clase": _clase(porcentaje)})
        plan = getattr(autoevaluacion, "plan", None)
        filas.append(
            {
                "autoevaluacion": autoevaluacion,
                "celdas": celdas,
                "total": sum((c["valor"] or Decimal(0) for c in celdas), Decimal(0)),
                "nivel": nivel_de(
                    autoevaluacion.puntaje_validado,
                    plan_validado=plan is not None and plan.estado == "validado",
                ),
            }
        )
    return {"modelo": modelo, "criterios": criterios, "filas": filas}


def _clase(porcentaje: int | None) -> str:
    """The heat map's band of a criterion's share of its maximum."""
    if porcentaje is None:
        return "calor-sin"
    if porcentaje >= 80:
        return "calor-5"
    if porcentaje >= 60:
        return "calor-4"
    if porcentaje >= 40:
        return "calor-3"
    if porcentaje >= 20:
        return "calor-2"
    return "calor-1"


def comparacion(*, usuario: Any, anio_antes: int, anio_despues: int) -> dict:
    """Each GORE's criteria in two years (evaluated points), with the difference."""
    modelo = ModeloGestion.objects.filter(anio=anio_despues).first() or (
        ModeloGestion.objects.filter(anio=anio_antes).first()
    )
    if modelo is None:
        return {"criterios": [], "filas": []}
    criterios = criterios_del_modelo(modelo)
    visibles = permisos.visibles(usuario, Autoevaluacion).filter(
        anio__in=[anio_antes, anio_despues]
    )
    puntos: dict[tuple[int, int], dict[int, Decimal]] = defaultdict(dict)
    nombres: dict[int, tuple[int, str]] = {}
    for fila in (
        RespuestaElemento.objects.filter(autoevaluacion__in=visibles)
        .values(
            "autoevaluacion__servicio_id",
            "autoevaluacion__servicio__nombre",
            "autoevaluacion__servicio__region__orden",
            "autoevaluacion__anio",
            "elemento__criterio__numero",
        )
        .annotate(evaluado=Sum("puntaje_evaluado"))
    ):
        servicio_id = fila["autoevaluacion__servicio_id"]
        nombres[servicio_id] = (
            fila["autoevaluacion__servicio__region__orden"] or 0,
            fila["autoevaluacion__servicio__nombre"],
        )
        puntos[(servicio_id, fila["autoevaluacion__anio"])][fila["elemento__criterio__numero"]] = (
            fila["evaluado"]
        )
    filas = []
    for servicio_id, (_, nombre) in sorted(nombres.items(), key=lambda par: par[1]):
        antes, despues = (
            puntos.get((servicio_id, anio_antes), {}),
            puntos.get((servicio_id, anio_despues), {}),
        )
        celdas = []
        for criterio in criterios:
            a, d = antes.get(criterio.numero), despues.get(criterio.numero)
            celdas.append(
                {
                    "antes": a,
                    "despues": d,
                    "diferencia": d - a if a is not None and d is not None else None,
                }
            )
        # A year not evaluated yet has no total (not 0).
        valores_a = [v for v in antes.values() if v is not None]
        valores_d = [v for v in despues.values() if v is not None]
        total_a = sum(valores_a, Decimal(0)) if valores_a else None
        total_d = sum(valores_d, Decimal(0)) if valores_d else None
        filas.append(
            {
                "nombre": nombre,
                "celdas": celdas,
                "total_antes": total_a,
                "total_despues": total_d,
                "diferencia": total_d - total_a
                if total_a is not None and total_d is not None
                else None,
            }
        )
    return {"criterios": criterios, "filas": filas}


def medidas_visibles(*, usuario: Any) -> QuerySet[MedidaMejora]:
    return permisos.visibles(usuario, MedidaMejora)


def anios_de_modelos() -> list[int]:
    return list(ModeloGestion.objects.order_by("-anio").values_list("anio", flat=True))


def filas_por_criterio(anio: int) -> tuple[list[Criterio], list[list]]:
    """Every GORE of a year with its points per criterion, total, state and level (for Excel):
    SUBDERE's report, unscoped like the other year-wide reports."""
    modelo = ModeloGestion.objects.filter(anio=anio).first()
    if modelo is None:
        return [], []
    criterios = criterios_del_modelo(modelo)
    autoevaluaciones = list(
        Autoevaluacion.objects.filter(anio=anio)
        .select_related("servicio__region", "plan", "acreditacion")
        .order_by("servicio__region__orden", "servicio__nombre")
    )
    puntos: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for fila in (
        RespuestaElemento.objects.filter(autoevaluacion__anio=anio)
        .values("autoevaluacion_id", "elemento__criterio__numero")
        .annotate(evaluado=Sum("puntaje_evaluado"))
    ):
        puntos[fila["autoevaluacion_id"]][fila["elemento__criterio__numero"]] = fila["evaluado"]
    filas = []
    for a in autoevaluaciones:
        plan = getattr(a, "plan", None) if hasattr(a, "plan") else None
        acreditacion = getattr(a, "acreditacion", None) if hasattr(a, "acreditacion") else None
        nivel = nivel_de(a.puntaje_validado, plan_validado=bool(plan and plan.estado == "validado"))
        filas.append(
            [
                a.servicio.region.nombre if a.servicio.region else "",
                a.servicio.nombre,
                a.get_estado_display(),
                *(puntos[a.pk].get(c.numero) for c in criterios),
                a.puntaje_validado,
                dict(NivelAcreditacion.choices).get(nivel, "Sin nivel") if nivel else "Sin nivel",
                plan.get_estado_display() if plan else "",
                acreditacion.resolucion if acreditacion else "",
            ]
        )
    return criterios, filas


def filas_por_elemento(anio: int) -> list[list]:
    return [
        [
            r.autoevaluacion.servicio.nombre,
            r.elemento.codigo,
            r.elemento.nombre,
            r.elemento.puntaje_maximo,
            r.nivel_propuesto,
            r.puntaje_propuesto,
            r.nivel_evaluado,
            r.puntaje_evaluado,
            r.observacion,
        ]
        for r in RespuestaElemento.objects.filter(autoevaluacion__anio=anio)
        .select_related("autoevaluacion__servicio", "elemento__criterio")
        .order_by(
            "autoevaluacion__servicio__region__orden",
            "elemento__criterio__numero",
            "elemento__numero",
        )
    ]


def gores_con_autoevaluacion(*, usuario: Any) -> QuerySet:
    """The GORE whose autoevaluación (of some year) this user sees, by name: the choices of
    the informe de resultados."""
    from servicios.models import Servicio

    return Servicio.objects.filter(
        pk__in=autoevaluaciones_visibles(usuario=usuario).values("servicio_id")
    ).order_by("nombre")


def _evaluado_por_criterio(autoevaluacion_ids: list[int]) -> dict[int, dict[int, Decimal]]:
    puntos: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for fila in (
        RespuestaElemento.objects.filter(autoevaluacion__in=autoevaluacion_ids)
        .values("autoevaluacion_id", "elemento__criterio__numero")
        .annotate(evaluado=Sum("puntaje_evaluado"))
    ):
        puntos[fila["autoevaluacion_id"]][fila["elemento__criterio__numero"]] = fila["evaluado"]
    return puntos


def informe_de_resultados(*, servicio_id: int, anio: int) -> dict | None:
    """Everything the informe de resultados de la autoevaluación of a GORE and year says: the
    scorecard, the elements, the validated score and level, the gaps ranked, the Plan de
    Mejoras and its execution, and the other year beside this one when the GORE has both.
    Unscoped: the reports machinery asked the door when the report was requested."""
    autoevaluacion = (
        Autoevaluacion.objects.filter(servicio_id=servicio_id, anio=anio)
        .select_related("servicio__region", "modelo")
        .first()
    )
    if autoevaluacion is None:
        return None
    from calidad.puntajes import falta_para_nivel

    tarjeta_filas = tarjeta(autoevaluacion)
    plan = (
        PlanMejoras.objects.filter(autoevaluacion=autoevaluacion)
        .select_related("autoevaluacion")
        .first()
    )
    plan_validado = plan is not None and plan.estado == "validado"
    acreditacion = autoevaluacion.acreditacion if hasattr(autoevaluacion, "acreditacion") else None
    # The other year of the same GORE: the one before, else the one after.
    otra = (
        Autoevaluacion.objects.filter(servicio_id=servicio_id, anio__in=[anio - 1, anio + 1])
        .order_by("anio")
        .first()
    )
    comparacion_filas = []
    if otra is not None:
        antes, despues = sorted([autoevaluacion, otra], key=lambda a: a.anio)
        puntos = _evaluado_por_criterio([antes.pk, despues.pk])
        for fila in tarjeta_filas:
            numero = fila["criterio"].numero
            a, d = puntos[antes.pk].get(numero), puntos[despues.pk].get(numero)
            comparacion_filas.append(
                {
                    "criterio": fila["criterio"],
                    "antes": a,
                    "despues": d,
                    "diferencia": d - a if a is not None and d is not None else None,
                }
            )
        comparacion_datos = {
            "antes": antes,
            "despues": despues,
            "filas": comparacion_filas,
            "total_antes": antes.puntaje_validado,
            "total_despues": despues.puntaje_validado,
        }
    else:
        comparacion_datos = None
    evaluados = [f["evaluado"] for f in tarjeta_filas if f["evaluado"] is not None]
    propuestos = [f["propuesto"] for f in tarjeta_filas if f["propuesto"] is not None]
    return {
        "autoevaluacion": autoevaluacion,
        "modelo": autoevaluacion.modelo,
        "tarjeta": tarjeta_filas,
        "total_propuesto": sum(propuestos, Decimal(0)) if propuestos else None,
        "total_evaluado": sum(evaluados, Decimal(0)) if evaluados else None,
        "respuestas": list(
            autoevaluacion.respuestas.select_related("elemento__criterio").annotate(
                cantidad_medios=Count(
                    "medios",
                    filter=Q(
                        medios__eliminado_en__isnull=True,
                        medios__reemplazado_por__isnull=True,
                    ),
                )
            )
        ),
        "supuestos": [f["criterio"] for f in tarjeta_filas if f["criterio"].es_supuesto],
        "nivel": nivel_de(autoevaluacion.puntaje_validado, plan_validado=plan_validado),
        "falta": falta_para_nivel(autoevaluacion.puntaje_validado, plan_validado=plan_validado),
        "brechas": list(brechas(autoevaluacion)),
        "plan": plan,
        "resumen_plan": resumen_plan(plan) if plan is not None else None,
        "acreditacion": acreditacion,
        "incentivos": list(acreditacion.incentivos.all()) if acreditacion else [],
        "comparacion": comparacion_datos,
        "observaciones": list(autoevaluacion.observaciones.select_related("autor")),
    }
