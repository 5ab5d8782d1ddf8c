"""Reads of the tablero: one aggregate query per figure, over the servicios the filters chose.

Every figure and the drill-down list behind it start from the same `Alcance` (the year's
formulaciones after the filters) and use the same annotations, so a list always holds as many
rows as the figure that links to it says.
"""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import (
    Avg,
    Case,
    CharField,
    Count,
    DateField,
    F,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextChoices,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate
from django.db.models.lookups import GreaterThan, LessThan

from compromisos.models import (
    AvanceCompromiso,
    Compromiso,
    EstadoRevision,
    FormulacionPMG,
    Hito,
    InformeAvance,
    Proceso,
)
from servicios.models import Region
from validacion.models import Evento, Observacion, ValidacionServicio

Periodo = InformeAvance.Periodo
Resultado = ValidacionServicio.Resultado


@dataclass(frozen=True)
class Alcance:
    """What the tablero measures: a year, a periodo, and the servicios the filters chose."""

    proceso: Proceso
    periodo: str
    # The chosen servicios' formulaciones of the year, and of every year (for the trend).
    formulaciones: QuerySet[FormulacionPMG]
    todos_los_anios: QuerySet[FormulacionPMG]


def periodo_por_defecto(*, proceso: Proceso, hoy: datetime.date) -> str:
    """The last periodo whose deadline has passed: where the year stands. One query."""
    vencido = (
        Hito.objects.filter(proceso=proceso, etapa__in=Periodo.values, fecha_limite__lt=hoy)
        .order_by("-fecha_limite")
        .values_list("etapa", flat=True)
        .first()
    )
    return vencido or Periodo.AVANCE_1


def _porcentaje(parte: int, total: int) -> float | None:
    return round(100 * parte / total, 1) if total else None


# --------------------------------------------------------------------------- informes


def situacion_del_periodo(alcance: Alcance) -> QuerySet[FormulacionPMG]:
    """Each formulación with its informe of the periodo: state, sending, progress, remarks."""
    informe = InformeAvance.objects.filter(formulacion=OuterRef("pk"), periodo=alcance.periodo)
    avance = (
        AvanceCompromiso.objects.filter(
            informe__formulacion=OuterRef("pk"), informe__periodo=alcance.periodo
        )
        .values("informe__formulacion")
        .annotate(promedio=Avg("porcentaje"))
        .values("promedio")
    )
    pendientes = (
        Observacion.objects.filter(
            informe__formulacion=OuterRef("pk"), informe__periodo=alcance.periodo
        )
        .exclude(estado=Observacion.Estado.RESUELTA)
        .values("informe__formulacion")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return alcance.formulaciones.annotate(
        informe_id=Subquery(informe.values("pk")[:1]),
        informe_estado=Subquery(informe.values("estado")[:1]),
        informe_enviado_en=Subquery(informe.values("enviado_en")[:1]),
        informe_es_atrasado=Subquery(informe.values("es_atrasado")[:1]),
        avance_promedio=Subquery(avance),
        observaciones_pendientes=Coalesce(Subquery(pendientes), 0),
    )


def informes_por_estado(alcance: Alcance) -> dict:
    """Servicios by the state of their informe of the periodo, and how many came on time."""
    por_estado = {
        estado: Count("pk", filter=Q(informe_estado=estado)) for estado in EstadoRevision.values
    }
    cifras = situacion_del_periodo(alcance).aggregate(
        servicios=Count("pk"),
        sin_informe=Count("pk", filter=Q(informe_estado__isnull=True)),
        enviados=Count("pk", filter=Q(informe_enviado_en__isnull=False)),
        atrasados=Count("pk", filter=Q(informe_enviado_en__isnull=False, informe_es_atrasado=True)),
        con_observaciones=Count("pk", filter=Q(observaciones_pendientes__gt=0)),
        **por_estado,
    )
    cifras["a_tiempo"] = cifras["enviados"] - cifras["atrasados"]
    cifras["sin_enviar"] = cifras["servicios"] - cifras["enviados"]
    cifras["porcentaje_a_tiempo"] = _porcentaje(cifras["a_tiempo"], cifras["servicios"])
    cifras["estados"] = [
        {"valor": "sin_informe", "nombre": "Sin informe", "cantidad": cifras["sin_informe"]},
        *[
            {"valor": valor, "nombre": nombre, "cantidad": cifras[valor]}
            for valor, nombre in EstadoRevision.choices
        ],
    ]
    return cifras


def observaciones(alcance: Alcance) -> dict:
    """Remarks on the periodo's informes: open (the servicio must answer) and answered."""
    return Observacion.objects.filter(
        informe__formulacion__in=alcance.formulaciones, informe__periodo=alcance.periodo
    ).aggregate(
        abiertas=Count("pk", filter=Q(estado=Observacion.Estado.ABIERTA)),
        respondidas=Count("pk", filter=Q(estado=Observacion.Estado.RESPONDIDA)),
        resueltas=Count("pk", filter=Q(estado=Observacion.Estado.RESUELTA)),
    )


# --------------------------------------------------------------------------- compromisos


def compromisos_del_alcance(alcance: Alcance) -> QuerySet[Compromiso]:
    return Compromiso.objects.filter(formulacion__in=alcance.formulaciones)


def compromisos_por(alcance: Alcance, campo: str) -> list[dict]:
    """Compromisos of the year by complejidad, ámbito or tipo de medida (zeros included)."""
    choices = Compromiso._meta.get_field(campo).choices
    cantidades = dict(
        compromisos_del_alcance(alcance)
        .order_by()
        .values_list(campo)
        .annotate(total=Count("pk"))
        .values_list(campo, "total")
    )
    return [
        {"valor": valor, "nombre": nombre, "cantidad": cantidades.get(valor, 0)}
        for valor, nombre in choices
    ]


def validacion_de_iniciativas(alcance: Alcance) -> dict:
    """The consultora's verdicts on the year's iniciativas: cumple, parcial, no cumple, none."""
    cifras = compromisos_del_alcance(alcance).aggregate(
        total=Count("pk"),
        **{valor: Count("pk", filter=Q(validacion__resultado=valor)) for valor in Resultado.values},
    )
    validadas = sum(cifras[valor] for valor in Resultado.values)
    filas = [
        {"valor": valor, "nombre": nombre, "cantidad": cifras[valor]}
        for valor, nombre in Resultado.choices
    ]
    filas.append(
        {"valor": "sin_validar", "nombre": "Sin validar", "cantidad": cifras["total"] - validadas}
    )
    for fila in filas:
        fila["porcentaje"] = _porcentaje(fila["cantidad"], cifras["total"])
    return {
        "total": cifras["total"],
        "validadas": validadas,
        "porcentaje_validadas": _porcentaje(validadas, cifras["total"]),
        "filas": filas,
    }


# --------------------------------------------------------------------------- progress by group

GRUPOS = {
    "ministerio": ("servicio__ministerio", ["servicio__ministerio__sigla"]),
    "tipo": ("servicio__tipo", ["servicio__tipo__nombre"]),
    "region": (
        "servicio__region",
        ["servicio__region__codigo", "servicio__region__nombre", "servicio__region__orden"],
    ),
}


def avance_por(alcance: Alcance, grupo: str) -> list[dict]:
    """Servicios and their mean progress in the periodo's informes, by ministerio, tipo or región."""
    campo, etiquetas = GRUPOS[grupo]
    filas = (
        alcance.formulaciones.order_by()
        .values(campo, *etiquetas)
        .annotate(
            servicios=Count("pk", distinct=True),
            avance=Avg(
                "informes__avances__porcentaje", filter=Q(informes__periodo=alcance.periodo)
            ),
            aprobados=Count(
                "informes",
                distinct=True,
                filter=Q(
                    informes__periodo=alcance.periodo, informes__estado=EstadoRevision.APROBADO
                ),
            ),
        )
        .order_by(etiquetas[-1] if grupo != "ministerio" else campo)
    )
    resultado = []
    for fila in filas:
        resultado.append(
            {
                "id": fila[campo],
                "nombre": fila[etiquetas[1] if grupo == "region" else etiquetas[0]]
                or "Alcance nacional",
                "codigo": fila.get("servicio__region__codigo"),
                "servicios": fila["servicios"],
                "avance": round(fila["avance"], 1) if fila["avance"] is not None else None,
                "aprobados": fila["aprobados"],
            }
        )
    return resultado


def mapa_regional(filas_region: list[dict]) -> list[dict]:
    """The 16 regions north to south with their figures (none where no servicio reports)."""
    por_region = {fila["id"]: fila for fila in filas_region}
    mapa = []
    for region in Region.objects.order_by("orden"):
        fila = por_region.get(region.pk, {})
        avance = fila.get("avance")
        mapa.append(
            {
                "id": region.pk,
                "codigo": region.codigo,
                "nombre": region.nombre,
                "romano": region.numero_romano,
                "servicios": fila.get("servicios", 0),
                "avance": avance,
                # Five classes of 20 points for the choropleth; -1 when there is nothing.
                "nivel": -1 if avance is None else min(4, int(avance // 20)),
            }
        )
    return mapa


# --------------------------------------------------------------------------- trend


def tendencia(alcance: Alcance) -> list[dict]:
    """The chosen servicios year by year: on-time share and progress of the periodo, validation."""
    del_periodo = Q(informes__periodo=alcance.periodo)
    anios = (
        alcance.todos_los_anios.order_by()
        .values("proceso__anio")
        .annotate(
            servicios=Count("pk", distinct=True),
            enviados=Count(
                "informes",
                distinct=True,
                filter=del_periodo & Q(informes__enviado_en__isnull=False),
            ),
            atrasados=Count(
                "informes",
                distinct=True,
                filter=del_periodo
                & Q(informes__enviado_en__isnull=False, informes__es_atrasado=True),
            ),
            aprobados=Count(
                "informes",
                distinct=True,
                filter=del_periodo & Q(informes__estado=EstadoRevision.APROBADO),
            ),
        )
        .order_by("proceso__anio")
    )
    compromisos = {
        fila["formulacion__proceso__anio"]: fila
        for fila in Compromiso.objects.filter(formulacion__in=alcance.todos_los_anios)
        .order_by()
        .values("formulacion__proceso__anio")
        .annotate(
            total=Count("pk"),
            cumple=Count("pk", filter=Q(validacion__resultado=Resultado.CUMPLE)),
        )
    }
    resultado = []
    for fila in anios:
        anio = fila["proceso__anio"]
        del_anio = compromisos.get(anio, {"total": 0, "cumple": 0})
        a_tiempo = fila["enviados"] - fila["atrasados"]
        resultado.append(
            {
                "anio": anio,
                "servicios": fila["servicios"],
                "porcentaje_a_tiempo": _porcentaje(a_tiempo, fila["servicios"]),
                "porcentaje_aprobados": _porcentaje(fila["aprobados"], fila["servicios"]),
                "compromisos": del_anio["total"],
                "porcentaje_cumple": _porcentaje(del_anio["cumple"], del_anio["total"]),
            }
        )
    return resultado


def tablero(alcance: Alcance) -> dict:
    """Every figure of the tablero. One query each (regions: two)."""
    por_region = avance_por(alcance, "region")
    return {
        "informes": informes_por_estado(alcance),
        "observaciones": observaciones(alcance),
        "complejidad": compromisos_por(alcance, "complejidad"),
        "ambito": compromisos_por(alcance, "ambito"),
        "tipo_medida": compromisos_por(alcance, "tipo_medida"),
        "validacion": validacion_de_iniciativas(alcance),
        "por_ministerio": avance_por(alcance, "ministerio"),
        "por_tipo": avance_por(alcance, "tipo"),
        "por_region": por_region,
        "mapa": mapa_regional(por_region),
        "tendencia": tendencia(alcance),
    }


# --------------------------------------------------------------------------- hitos tracker

# Hitos whose fulfilment the SRM records: the formulación and the four informes.
ETAPAS_SEGUIDAS = ["formulacion", *Periodo.values]
ETIQUETAS_ETAPA = {"formulacion": "Formulación", **dict(Periodo.choices)}


class Situacion(TextChoices):
    A_TIEMPO = "a_tiempo", "A tiempo"
    ATRASADO = "atrasado", "Fuera de plazo"
    FALTA = "falta", "Falta (plazo vencido)"
    PENDIENTE = "pendiente", "Pendiente (en plazo)"
    NO_APLICA = "no_aplica", "Sin plazo en el calendario"


def _hito_aplicable(etapa: str) -> QuerySet[Hito]:
    """The calendar's hito of `etapa` for the outer formulación's year and kind of servicio."""
    return (
        Hito.objects.filter(proceso=OuterRef("proceso"), etapa=etapa)
        .filter(Q(tipos_servicio__isnull=True) | Q(tipos_servicio=OuterRef("servicio__tipo")))
        .order_by("fecha_limite", "pk")
    )


def seguimiento(formulaciones: QuerySet[FormulacionPMG], hoy: datetime.date) -> QuerySet:
    """Each formulación with, per followed hito, its deadline, sending date and situation.

    The formulación counts from its first submission (the event log; corrections resent later
    do not move it); an informe from `enviado_en`, late as decided when first sent
    (`es_atrasado`), and its deadline is the extension (`prorroga_hasta`) when one was given.
    """
    zona = ZoneInfo(settings.TIME_ZONE)
    primer_envio = (
        Evento.objects.filter(
            tipo_objeto__app_label="compromisos",
            tipo_objeto__model="formulacionpmg",
            objeto_id=OuterRef("pk"),
            accion="formulacion.enviar",
        )
        .order_by()
        .values("objeto_id")
        .annotate(primero=Min("momento"))
        .values("primero")
    )
    anotaciones: dict = {
        "hito_formulacion": Subquery(_hito_aplicable("formulacion").values("pk")[:1]),
        "plazo_formulacion": Subquery(_hito_aplicable("formulacion").values("fecha_limite")[:1]),
        "envio_formulacion": TruncDate(
            Coalesce(Subquery(primer_envio), F("enviada_en")), tzinfo=zona
        ),
    }
    for periodo in Periodo.values:
        informe = InformeAvance.objects.filter(formulacion=OuterRef("pk"), periodo=periodo)
        anotaciones[f"hito_{periodo}"] = Subquery(_hito_aplicable(periodo).values("pk")[:1])
        anotaciones[f"plazo_{periodo}"] = Coalesce(
            Subquery(informe.values("prorroga_hasta")[:1]),
            Subquery(_hito_aplicable(periodo).values("fecha_limite")[:1]),
            output_field=DateField(),
        )
        anotaciones[f"envio_{periodo}"] = TruncDate(
            Subquery(informe.values("enviado_en")[:1]), tzinfo=zona
        )
        anotaciones[f"atrasado_{periodo}"] = Subquery(informe.values("es_atrasado")[:1])
    anotadas = formulaciones.annotate(**anotaciones)
    situaciones: dict = {}
    for etapa in ETAPAS_SEGUIDAS:
        envio, plazo = F(f"envio_{etapa}"), F(f"plazo_{etapa}")
        # Conditions are tried in order; a comparison with a missing date is never true.
        tarde = (
            When(GreaterThan(envio, plazo), then=Value(Situacion.ATRASADO))
            if etapa == "formulacion"
            else When(
                **{f"envio_{etapa}__isnull": False, f"atrasado_{etapa}": True},
                then=Value(Situacion.ATRASADO),
            )
        )
        situaciones[f"situacion_{etapa}"] = Case(
            When(
                **{f"envio_{etapa}__isnull": True, f"plazo_{etapa}__isnull": True},
                then=Value(Situacion.NO_APLICA),
            ),
            tarde,
            When(**{f"envio_{etapa}__isnull": False}, then=Value(Situacion.A_TIEMPO)),
            When(LessThan(plazo, Value(hoy)), then=Value(Situacion.FALTA)),
            default=Value(Situacion.PENDIENTE),
            output_field=CharField(),
        )
    return anotadas.annotate(**situaciones)


def resumen_seguimiento(seguidas: QuerySet, etapa: str) -> dict[tuple[int | None, str], int]:
    """How many servicios are in each situation for one followed etapa, by applicable hito."""
    return {
        (fila[f"hito_{etapa}"], fila[f"situacion_{etapa}"]): fila["total"]
        for fila in seguidas.order_by()
        .values(f"hito_{etapa}", f"situacion_{etapa}")
        .annotate(total=Count("pk"))
    }


def itinerario(*, proceso: Proceso) -> list[Hito]:
    """The year's calendar with the kinds of servicio of each hito. Two queries."""
    return list(proceso.hitos.prefetch_related("tipos_servicio").order_by("fecha_limite", "pk"))


def calendario_con_cumplimiento(
    *, proceso: Proceso, seguidas: QuerySet, hoy: datetime.date, dias: int = 14
) -> dict:
    """The itinerary, each followed hito with its servicios by situation, and what is due soon.

    Two queries for the calendar and one per followed etapa, whatever the number of servicios.
    """
    hitos = itinerario(proceso=proceso)
    conteos: dict[int, dict[str, int]] = {}
    for etapa in ETAPAS_SEGUIDAS:
        for (hito_id, situacion), total in resumen_seguimiento(seguidas, etapa).items():
            if hito_id is not None:
                conteos.setdefault(hito_id, {})[situacion] = total
    hasta = hoy + datetime.timedelta(days=dias)
    for hito in hitos:
        hito.es_seguido = hito.etapa in ETAPAS_SEGUIDAS
        hito.conteos = {s: conteos.get(hito.pk, {}).get(s, 0) for s in Situacion.values}
        hito.por_entregar = hito.conteos[Situacion.PENDIENTE]
        hito.vence_pronto = hoy <= hito.fecha_limite <= hasta
    return {
        "hitos": hitos,
        "proximos": [hito for hito in hitos if hito.vence_pronto],
        "hasta": hasta,
    }


def filas_seguimiento(seguidas: QuerySet) -> list[dict]:
    """The tracker's grid: one row per servicio, one cell per followed etapa. One query."""
    filas = []
    for formulacion in seguidas.select_related(
        "servicio__tipo", "servicio__ministerio", "servicio__region"
    ).order_by("servicio__nombre"):
        filas.append(
            {
                "formulacion": formulacion,
                "servicio": formulacion.servicio,
                "celdas": [
                    {
                        "etapa": etapa,
                        "situacion": getattr(formulacion, f"situacion_{etapa}"),
                        "nombre": Situacion(getattr(formulacion, f"situacion_{etapa}")).label,
                        "plazo": getattr(formulacion, f"plazo_{etapa}"),
                        "envio": getattr(formulacion, f"envio_{etapa}"),
                    }
                    for etapa in ETAPAS_SEGUIDAS
                ],
            }
        )
    return filas
