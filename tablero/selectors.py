"""Reads of the tablero: one aggregate query per figure, over the servicios the filters chose.

Every figure and the drill-down list behind it start from the same `Alcance` (the year's
formulaciones after the filters) and use the same annotations, so a list always holds as many
rows as the figure that links to it says.

Counts of compromisos, avances and remarks come from the running totals of tablero.models (one
row per formulación and per informe), so a figure adds up at most one row per servicio and year
whatever the number of compromisos behind it; states and dates come from the informes.
"""

import copy
import datetime
import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FilteredRelation,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    TextChoices,
    When,
)
from django.db.models.functions import Cast, Coalesce

from bitacora.models import Evento
from compromisos.models import (
    ESTADOS_APROBADOS,
    Compromiso,
    EstadoRevision,
    FormulacionPMG,
    Hito,
    InformeAvance,
    Proceso,
)
from compromisos.selectors import clave_de_hito, entregables_del_anio, proceso_vigente
from programa.models import CifraUniverso, EstadoParticipacion, Participacion
from servicios.models import Cartera, Ministerio, Region, Servicio, TipoServicio
from srm import formato, permisos
from tablero import cache
from tablero.models import ResumenFormulacion, ResumenInforme
from tablero.resumenes import CLASIFICACIONES, CONTEOS_COMPROMISOS
from validacion import cumplimiento as reglas_pmg
from validacion.models import ValidacionServicio

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
    # Which servicios, in words fit for a cache key (role and filters): the trend keeps each
    # year's row under it (tablero.cache.por_anio).
    servicios: str = ""
    # The year's universe (programa.Participacion) under the same filters and permissions.
    participaciones: QuerySet[Participacion] | None = None
    # Whether the ministerio or región filter is on: the source's figures are not split by them.
    filtra_grupo: bool = False


def anios_registrados() -> list[int]:
    """The years on record, newest first (kept with the catalogs)."""
    return cache.del_catalogo(
        "anios", lambda: list(Proceso.objects.order_by("-anio").values_list("anio", flat=True))
    )


def proceso_del_anio(anio: int | None, *, hoy: datetime.date) -> Proceso | None:
    """The proceso of a year, or the current one (compromisos.selectors.proceso_vigente) when
    no year is asked for or the year has none; kept with the catalogs. A copy: the
    process-wide memo keeps one."""
    proceso = None
    if anio is not None:
        proceso = cache.del_catalogo(
            "proceso", lambda: Proceso.objects.filter(anio=anio).first(), str(anio)
        )
    if proceso is None:
        proceso = cache.del_catalogo("proceso-vigente", proceso_vigente, str(hoy.year))
    return copy.copy(proceso)


def entregables(proceso: Proceso) -> list[tuple[str, str]]:
    """The year's deliverable kinds (clave, nombre) in order, the standard cycle's four periods
    when the year has no list of its own; kept with the catalogs."""
    return cache.del_catalogo(
        "entregables",
        lambda: [(tipo.clave, tipo.nombre) for tipo in entregables_del_anio(proceso.pk)],
        str(proceso.pk),
    )


def periodo_por_defecto(*, proceso: Proceso, hoy: datetime.date) -> str:
    """The last deliverable whose deadline has passed: where the year stands. Kept with the
    catalogs (hitos are one of them) for the day."""
    claves = [clave for clave, _ in entregables(proceso)]

    def vencido() -> str:
        hitos = (
            Hito.objects.filter(proceso=proceso, fecha_limite__lt=hoy)
            .filter(Q(entregable__isnull=False) | Q(etapa__in=claves))
            .select_related("entregable")
            .order_by("-fecha_limite", "-pk")
        )
        return next((c for c in map(clave_de_hito, hitos) if c in claves), claves[0])

    return cache.del_catalogo("periodo-por-defecto", vencido, str(proceso.pk), hoy.isoformat())


def _porcentaje(parte: int, total: int) -> float | None:
    return round(100 * parte / total, 1) if total else None


# --------------------------------------------------------------------------- informes


def _con_informe_del_periodo(formulaciones: QuerySet, periodo: str) -> QuerySet:
    """Each formulación joined to its informe of the periodo (at most one) as `del_periodo`:
    one row per servicio, so counts need no DISTINCT.

    The join reads the informe's ResumenInforme (its state, dates and totals in a narrow row),
    not the informe itself, whose long texts made the scan the costliest part of the page.
    """
    return formulaciones.order_by().annotate(
        del_periodo=FilteredRelation(
            "resumenes_informe", condition=Q(resumenes_informe__periodo=periodo)
        )
    )


# Progress counts once the servicio sent its informe (a draft's 0 % is no figure yet).
ENVIADO = Q(del_periodo__isnull=False) & ~Q(del_periodo__estado=EstadoRevision.BORRADOR)
PENDIENTES = F("del_periodo__observaciones_abiertas") + F("del_periodo__observaciones_respondidas")


def situacion_del_periodo(alcance: Alcance) -> QuerySet[FormulacionPMG]:
    """Each formulación with its informe of the periodo: state, sending, progress, remarks."""
    return _con_informe_del_periodo(alcance.formulaciones, alcance.periodo).annotate(
        informe_id=F("del_periodo__informe_id"),
        informe_estado=F("del_periodo__estado"),
        informe_enviado_en=F("del_periodo__enviado_en"),
        informe_es_atrasado=F("del_periodo__es_atrasado"),
        avance_promedio=Case(
            When(
                ENVIADO & Q(del_periodo__avances__gt=0),
                then=Cast("del_periodo__avance_suma", FloatField()) / F("del_periodo__avances"),
            ),
            output_field=FloatField(),
        ),
        observaciones_pendientes=Coalesce(PENDIENTES, 0),
    )


# Each group of the progress charts: the servicio's column, and its catalog's name and order.
GRUPOS = {
    "ministerio": ("servicio__ministerio", Ministerio, "sigla", "partida"),
    "tipo": ("servicio__tipo", TipoServicio, "nombre", "orden"),
    "region": ("servicio__region", Region, "nombre", "orden"),
}
OBSERVACIONES = "del_periodo__observaciones_"


# --------------------------------------------------------------------------- SQL written here

# The few queries every first view after a write runs are written in SQL: building them through
# the ORM (filtered joins, aggregates, their converters) took longer than running them. Standard
# SQL, for PostgreSQL and SQLite, over the servicios the filters and permissions chose (the
# ORM's own subquery); tests/tablero/test_sql.py checks each returns the rows of the same query
# through the ORM.
TABLAS = {
    "formulaciones": FormulacionPMG._meta.db_table,
    "servicios": Servicio._meta.db_table,
    "resumenes_formulacion": ResumenFormulacion._meta.db_table,
    "resumenes_informe": ResumenInforme._meta.db_table,
}


def consultar(sql: str, formulaciones: QuerySet, *antes) -> tuple[list[str], list[tuple]]:
    """Column names and rows of `sql` over `formulaciones` (`{elegidas}` in it: their ids, as a
    subquery; `{<table>}`: the names in TABLAS). `antes`: the parameters before the subquery's.
    """
    elegidas, parametros = formulaciones.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql.format(elegidas=elegidas, **TABLAS), [*antes, *parametros])
        return [columna[0] for columna in cursor.description], cursor.fetchall()


_COMBINACIONES = """
SELECT
    s.ministerio_id AS "servicio__ministerio",
    s.tipo_id AS "servicio__tipo",
    s.region_id AS "servicio__region",
    r.estado AS "del_periodo__estado",
    COUNT(*) AS servicios,
    COUNT(r.enviado_en) AS enviados,
    SUM(CASE WHEN r.enviado_en IS NOT NULL AND r.es_atrasado THEN 1 ELSE 0 END) AS atrasados,
    SUM(r.avance_suma) AS suma,
    SUM(r.avances) AS avances,
    SUM(r.observaciones_abiertas) AS abiertas,
    SUM(r.observaciones_respondidas) AS respondidas,
    SUM(r.observaciones_resueltas) AS resueltas,
    SUM(
        CASE WHEN r.observaciones_abiertas > 0 OR r.observaciones_respondidas > 0 THEN 1 ELSE 0 END
    ) AS con_pendientes
FROM {formulaciones} f
JOIN {servicios} s ON s.id = f.servicio_id
LEFT JOIN {resumenes_informe} r ON r.formulacion_id = f.id AND r.periodo = %s
WHERE f.id IN ({elegidas})
GROUP BY s.ministerio_id, s.tipo_id, s.region_id, r.estado
"""


def combinaciones_del_periodo(alcance: Alcance) -> list[dict]:
    """The periodo's counts for each ministerio × tipo × región × state of the informe.

    One query over one row per servicio (its informe of the periodo and that informe's totals);
    it returns at most one row per servicio, usually a few dozen. The figures of the periodo
    (informes by state, remarks, progress by group, the year's point of the trend) each add up
    these rows, so they agree. The servicios are those the filters and permissions chose
    (`alcance.formulaciones`, as a subquery).
    """
    columnas, filas = consultar(_COMBINACIONES, alcance.formulaciones, alcance.periodo)
    return [dict(zip(columnas, fila, strict=True)) for fila in filas]


def _total(filas: list[dict], clave: str) -> int:
    return sum(fila[clave] or 0 for fila in filas)


def informes_por_estado(combinaciones: list[dict]) -> dict:
    """Servicios by the state of their informe of the periodo, and how many came on time."""
    cifras = {
        clave: _total(combinaciones, clave) for clave in ("servicios", "enviados", "atrasados")
    }
    for estado in [None, *EstadoRevision.values]:
        cifras[estado or "sin_informe"] = _total(
            [f for f in combinaciones if f["del_periodo__estado"] == estado], "servicios"
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


def observaciones(combinaciones: list[dict]) -> dict:
    """Remarks on the periodo's informes: open (the servicio must answer) and answered."""
    return {
        "abiertas": _total(combinaciones, "abiertas"),
        "respondidas": _total(combinaciones, "respondidas"),
        "resueltas": _total(combinaciones, "resueltas"),
        "servicios": _total(combinaciones, "con_pendientes"),
    }


# --------------------------------------------------------------------------- compromisos


def compromisos_del_alcance(alcance: Alcance) -> QuerySet[Compromiso]:
    return Compromiso.objects.filter(formulacion__in=alcance.formulaciones)


# The year's compromisos: `total` and each count of the formulaciones' totals.
COLUMNAS_COMPROMISOS = {"total": "compromisos", **{campo: campo for campo in CONTEOS_COMPROMISOS}}
_SUMAS_DE_COMPROMISOS = (
    "SELECT "
    + ", ".join(f"SUM({columna})" for columna in COLUMNAS_COMPROMISOS.values())
    + " FROM {resumenes_formulacion} WHERE formulacion_id IN ({elegidas})"
)


def sumas_de_compromisos(alcance: Alcance) -> dict[str, int]:
    """The year's compromisos by each column of the formulaciones' totals (`total` for all).

    One query, kept under the year's compromisos version: an informe saved does not move it.
    """
    anio = alcance.proceso.anio

    def sumar(anios: list[int]) -> dict[int, dict[str, int]]:
        _, (sumas,) = consultar(_SUMAS_DE_COMPROMISOS, alcance.formulaciones)
        # No formulación: NULL sums.
        return {
            anio: {
                clave: valor or 0 for clave, valor in zip(COLUMNAS_COMPROMISOS, sumas, strict=True)
            }
        }

    return cache.por_anio(
        "compromisos", [anio], [alcance.servicios], sumar, clave_anio=cache.CLAVE_COMPROMISOS
    )[anio]


def compromisos_y_validacion(cifras: dict[str, int]) -> dict:
    """The year's compromisos by complejidad, ámbito and tipo de medida, and the consultora's
    verdicts (cumple, parcial, no cumple, none), from `sumas_de_compromisos`."""
    resultado: dict = {
        campo: [
            {"valor": valor, "nombre": nombre, "cantidad": cifras[f"{campo}_{valor}"]}
            for valor, nombre in Compromiso._meta.get_field(campo).choices
        ]
        for campo in CLASIFICACIONES
    }
    total = cifras["total"]
    validadas = sum(cifras[f"validacion_{valor}"] for valor in Resultado.values)
    filas = [
        {"valor": valor, "nombre": nombre, "cantidad": cifras[f"validacion_{valor}"]}
        for valor, nombre in Resultado.choices
    ]
    filas.append({"valor": "sin_validar", "nombre": "Sin validar", "cantidad": total - validadas})
    # Shares of the same total, rounded so that they add up to 100 % (not 99,9 or 100,1).
    repartidos = formato.porcentajes_que_suman([fila["cantidad"] for fila in filas])
    for fila, parte in zip(filas, repartidos, strict=True):
        fila["porcentaje"] = parte
    resultado["validacion"] = {
        "total": total,
        "validadas": validadas,
        "porcentaje_validadas": _porcentaje(validadas, total),
        "filas": filas,
    }
    return resultado


# --------------------------------------------------------------------------- progress by group


def avance_por_grupo(combinaciones: list[dict]) -> dict[str, list[dict]]:
    """Servicios and the mean progress of their compromisos in the periodo's informes, by
    ministerio, by tipo and by región (servicios of national scope: «Alcance nacional»).

    Each group adds up its combinations, so a mean is weighted by the avances behind it, as if
    each group had been asked on its own. As in the reports, a draft's progress is no figure.
    """
    nombres = nombres_de_grupos()
    grupos: dict[str, dict] = {grupo: {} for grupo in GRUPOS}
    for fila in combinaciones:
        for grupo, (campo, *_) in GRUPOS.items():
            # Servicios of national scope have no región.
            nombre, orden, codigo = nombres[grupo].get(fila[campo], ("Alcance nacional", 99, None))
            suma = grupos[grupo].setdefault(
                fila[campo],
                {
                    "id": fila[campo],
                    "nombre": nombre,
                    "orden": orden,
                    "codigo": codigo if grupo == "region" else None,
                    "servicios": 0,
                    "suma": 0,
                    "avances": 0,
                    "aprobados": 0,
                },
            )
            suma["servicios"] += fila["servicios"]
            estado = fila["del_periodo__estado"]
            if estado not in (None, EstadoRevision.BORRADOR):
                suma["suma"] += fila["suma"] or 0
                suma["avances"] += fila["avances"] or 0
            if estado in ESTADOS_APROBADOS:  # approved or certified
                suma["aprobados"] += fila["servicios"]
    resultado = {}
    for grupo, filas in grupos.items():
        for fila in filas.values():
            fila["avance"] = round(fila["suma"] / fila["avances"], 1) if fila["avances"] else None
        resultado[grupo] = sorted(filas.values(), key=lambda f: (f["orden"], f["nombre"]))
    return resultado


def nombres_de_grupos() -> dict[str, dict[int, tuple]]:
    """Name, order and code of every ministerio, tipo and región, kept with the catalogs: the
    figures group by ids and read the names from here instead of joining three tables."""

    def leer() -> dict[str, dict[int, tuple]]:
        return {
            grupo: {
                fila["pk"]: (fila[nombre], fila[orden], fila.get("codigo"))
                for fila in modelo.objects.values(
                    "pk", nombre, orden, *(["codigo"] if modelo is Region else [])
                )
            }
            for grupo, (_, modelo, nombre, orden) in GRUPOS.items()
        }

    return cache.del_catalogo("nombres-de-grupos", leer)


def mapa_regional(filas_region: list[dict]) -> list[dict]:
    """The 16 regions north to south with their figures (none where no servicio reports)."""
    por_region = {fila["id"]: fila for fila in filas_region}
    regiones = cache.del_catalogo(
        "regiones",
        lambda: list(
            Region.objects.order_by("orden").values("pk", "codigo", "nombre", "numero_romano")
        ),
    )
    mapa = []
    for region in regiones:
        fila = por_region.get(region["pk"], {})
        avance = fila.get("avance")
        mapa.append(
            {
                "id": region["pk"],
                "codigo": region["codigo"],
                "nombre": region["nombre"],
                "romano": region["numero_romano"],
                "servicios": fila.get("servicios", 0),
                "avance": avance,
                # Five classes of 20 points for the choropleth; -1 when there is nothing.
                "nivel": -1 if avance is None else min(4, int(avance // 20)),
            }
        )
    return mapa


# --------------------------------------------------------------------------- trend


def tendencia(
    alcance: Alcance, del_anio: Callable[[], tuple[list[dict], dict[str, int]]] | None = None
) -> list[dict]:
    """The chosen servicios year by year: on-time share and progress of the periodo, validation.

    Each year's row is kept under that year's version: a write recomputes its own year only,
    the other years come from the cache. The shown year's row adds up that year's figures
    (`del_anio`: its combinaciones and compromisos, when given) instead of asking again.
    """

    def calcular(anios: list[int]) -> dict[int, dict]:
        otros = [anio for anio in anios if anio != alcance.proceso.anio or del_anio is None]
        filas = _tendencia_de(alcance, otros) if otros else {}
        if len(otros) < len(anios):
            filas[alcance.proceso.anio] = _fila_de_tendencia(
                alcance.proceso.anio, _conteos_del_anio(*del_anio())
            )
        return filas

    filas = cache.por_anio(
        "tendencia", anios_registrados(), [alcance.periodo, alcance.servicios], calcular
    )
    # A year without formulaciones of these servicios has no point on the chart.
    return [filas[anio] for anio in sorted(filas) if filas[anio]["servicios"]]


CONTEOS_TENDENCIA = [
    "servicios",
    "informes",
    "enviados",
    "atrasados",
    "aprobados",
    "compromisos",
    "cumple",
]


def _tendencia_de(alcance: Alcance, anios: list[int]) -> dict[int, dict]:
    """The trend's rows of some years, from one row per formulación. One query."""
    enviado = Q(del_periodo__enviado_en__isnull=False)
    por_anio = {
        fila["proceso__anio"]: fila
        for fila in _con_informe_del_periodo(
            alcance.todos_los_anios.filter(proceso__anio__in=anios), alcance.periodo
        )
        .values("proceso__anio")
        .annotate(
            servicios=Count("pk"),
            informes=Count("del_periodo"),
            enviados=Count("del_periodo", filter=enviado),
            atrasados=Count("del_periodo", filter=enviado & Q(del_periodo__es_atrasado=True)),
            aprobados=Count("del_periodo", filter=Q(del_periodo__estado__in=ESTADOS_APROBADOS)),
            compromisos=Coalesce(Sum("resumen__compromisos"), 0),
            cumple=Coalesce(Sum("resumen__validacion_cumple"), 0),
        )
    }
    sin_datos = dict.fromkeys(CONTEOS_TENDENCIA, 0)
    return {anio: _fila_de_tendencia(anio, por_anio.get(anio, sin_datos)) for anio in anios}


def _conteos_del_anio(combinaciones: list[dict], compromisos: dict[str, int]) -> dict[str, int]:
    """What _tendencia_de counts for one year, added up from that year's figures."""
    return {
        "servicios": _total(combinaciones, "servicios"),
        "informes": _total(
            [f for f in combinaciones if f["del_periodo__estado"] is not None], "servicios"
        ),
        "enviados": _total(combinaciones, "enviados"),
        "atrasados": _total(combinaciones, "atrasados"),
        "aprobados": _total(
            [f for f in combinaciones if f["del_periodo__estado"] in ESTADOS_APROBADOS],
            "servicios",
        ),
        "compromisos": compromisos["total"],
        "cumple": compromisos["validacion_cumple"],
    }


def _fila_de_tendencia(anio: int, conteos: dict[str, int]) -> dict:
    a_tiempo = conteos["enviados"] - conteos["atrasados"]
    # A year with no informe of the periodo (2011 has none: its cycle had no informes de
    # avance) has no share to show: «sin datos», not 0 %.
    servicios_con_informe = conteos["servicios"] if conteos["informes"] else 0
    return {
        "anio": anio,
        "servicios": conteos["servicios"],
        "informes": conteos["informes"],
        "porcentaje_a_tiempo": _porcentaje(a_tiempo, servicios_con_informe),
        "porcentaje_aprobados": _porcentaje(conteos["aprobados"], servicios_con_informe),
        "compromisos": conteos["compromisos"],
        "porcentaje_cumple": _porcentaje(conteos["cumple"], conteos["compromisos"]),
    }


# --------------------------------------------------------------------------- universe


def universo(alcance: Alcance) -> dict:
    """The year's universe against its formulaciones: who takes part, who formulated, who is
    missing («Falta»), who is exempt or does another sistema (with the reason), beside the
    figures the source declares. Two queries. A year without universe data says so
    (`registrado` False) and the figures count the servicios with a formulación, as before.
    """
    anio = alcance.proceso.anio
    participaciones = alcance.participaciones
    if participaciones is None:
        participaciones = Participacion.objects.filter(programa__anio=anio)
    formulo = FormulacionPMG.objects.filter(proceso=alcance.proceso, servicio=OuterRef("servicio"))
    filas = list(
        participaciones.order_by("servicio__nombre")
        .values(
            "estado",
            "motivo",
            "otro_sistema",
            "servicio_id",
            "servicio__nombre",
            "servicio__tipo_id",
            "servicio__tipo__nombre",
            "servicio__ministerio_id",
        )
        .annotate(formulo=Exists(formulo))
    )
    cifras = list(
        CifraUniverso.objects.filter(programa__anio=anio).select_related("programa", "tipo")
    )
    participan = [f for f in filas if f["estado"] == EstadoParticipacion.PARTICIPA]
    faltan = [f for f in participan if not f["formulo"]]
    declaradas = [c for c in cifras if c.estado == EstadoParticipacion.PARTICIPA]
    # By kind of servicio, named as the source names it (2011: «Gobernaciones provinciales»).
    por_tipo: dict = {}

    def grupo_de(clave, nombre: str) -> dict:
        return por_tipo.setdefault(
            clave, {"nombre": nombre, "declarados": None, "nombrados": 0, "formularon": 0}
        )

    for cifra in declaradas:
        grupo_de(cifra.tipo_id or cifra.descripcion, cifra.descripcion)["declarados"] = (
            cifra.cantidad
        )
    for fila in participan:
        grupo = grupo_de(fila["servicio__tipo_id"], fila["servicio__tipo__nombre"])
        grupo["nombrados"] += 1
        grupo["formularon"] += fila["formulo"]
    for grupo in por_tipo.values():
        grupo["faltan"] = grupo["nombrados"] - grupo["formularon"]
        grupo["por_nombrar"] = (
            grupo["declarados"] - grupo["nombrados"]
            if grupo["declarados"] is not None and grupo["declarados"] > grupo["nombrados"]
            else 0
        )
    declarado = sum(c.cantidad or 0 for c in declaradas)
    return {
        "registrado": bool(filas or cifras),
        "participan": len(participan),
        "formularon": len(participan) - len(faltan),
        "faltan": faltan,
        "eximidos": [f for f in filas if f["estado"] == EstadoParticipacion.EXIMIDO],
        "otro_sistema": [f for f in filas if f["estado"] == EstadoParticipacion.OTRO_SISTEMA],
        "ministerios_nombrados": len({f["servicio__ministerio_id"] for f in participan}),
        "declarado": declarado,
        "ministerios_declarados": cifras[0].programa.ministerios_declarados if cifras else None,
        "fuente": cifras[0].programa.fuente_universo if cifras else "",
        "por_nombrar": max(declarado - len(participan), 0) if declaradas else 0,
        "cifras_no_participan": [c for c in cifras if c.estado != EstadoParticipacion.PARTICIPA],
        "por_tipo": list(por_tipo.values()),
        "filtra_grupo": alcance.filtra_grupo,
    }


# --------------------------------------------------------------------------- cumplimiento


def regla_del_anio(anio: int) -> reglas_pmg.Regla:
    """The year's cumplimiento rule and tramos, kept with the catalogs (they are one)."""
    return cache.del_catalogo(
        "regla-cumplimiento", lambda: reglas_pmg.regla_del_anio(anio), str(anio)
    )


def cumplimiento(alcance: Alcance) -> dict:
    """The servicios by incentive tramo, overall and by ministerio, tipo and región. Two
    queries (validacion.cumplimiento.cumplimiento_de) plus the year's rule, kept with the
    catalogs."""
    regla = regla_del_anio(alcance.proceso.anio)
    resultados = reglas_pmg.cumplimiento_de(alcance.formulaciones, regla)
    tramos = reglas_pmg.tramos_del_anio(regla)
    nombres = nombres_de_grupos()

    def contar(filtro) -> dict[str, int]:
        conteo = dict.fromkeys(tramos, 0)
        for resultado in resultados.values():
            if filtro(resultado):
                conteo[resultado.tramo] = conteo.get(resultado.tramo, 0) + 1
        return conteo

    grupos = {}
    for grupo in GRUPOS:
        ids = {r.grupos[grupo] for r in resultados.values()}
        filas = []
        for ident in ids:
            nombre, orden, _ = nombres[grupo].get(ident, ("Alcance nacional", 99, None))
            conteo = contar(lambda r, g=grupo, i=ident: r.grupos[g] == i)
            filas.append(
                {
                    "id": ident,
                    "nombre": nombre,
                    "orden": orden,
                    "cantidades": [conteo[t] for t in tramos],
                    "servicios": sum(conteo.values()),
                }
            )
        grupos[grupo] = sorted(filas, key=lambda f: (f["orden"], f["nombre"]))
    total = contar(lambda r: True)
    return {
        "regla": regla,
        "tramos": [{"valor": t, "nombre": reglas_pmg.etiqueta_tramo(t)} for t in tramos],
        "total": [
            {"valor": t, "nombre": reglas_pmg.etiqueta_tramo(t), "cantidad": total[t]}
            for t in tramos
        ],
        "servicios": len(resultados),
        **{f"por_{grupo}": filas for grupo, filas in grupos.items()},
    }


def tablero(alcance: Alcance) -> dict:
    """Every figure of the tablero in one query, whatever the number of servicios, plus one for
    the compromisos when they changed and one for the other years of the trend that did.

    The trend goes first: it reads the years' versions before the year is counted, so a write
    in between moves the version again and older figures never sit under the newer version.
    """
    del_anio = functools.cache(
        lambda: (combinaciones_del_periodo(alcance), sumas_de_compromisos(alcance))
    )
    serie = tendencia(alcance, del_anio)
    combinaciones, compromisos = del_anio()
    grupos = avance_por_grupo(combinaciones)
    return {
        "informes": informes_por_estado(combinaciones),
        "observaciones": observaciones(combinaciones),
        **compromisos_y_validacion(compromisos),
        "por_ministerio": grupos["ministerio"],
        "por_tipo": grupos["tipo"],
        "por_region": grupos["region"],
        "mapa": mapa_regional(grupos["region"]),
        "tendencia": serie,
        "universo": universo(alcance),
        "cumplimiento": cumplimiento(alcance),
    }


# --------------------------------------------------------------------------- hitos tracker

# Hitos whose fulfilment the SRM records: the formulación and the year's deliverables (the
# standard cycle's four informes below; a year with its own list: etapas_seguidas).
ETAPAS_SEGUIDAS = ["formulacion", *Periodo.values]
ETIQUETAS_ETAPA = {"formulacion": "Formulación", **dict(Periodo.choices)}


def etapas_seguidas(proceso: Proceso) -> list[tuple[str, str]]:
    """The tracker's columns for a year: the formulación, then the year's deliverable kinds."""
    return [("formulacion", "Formulación"), *entregables(proceso)]


class Situacion(TextChoices):
    A_TIEMPO = "a_tiempo", "A tiempo"
    ATRASADO = "atrasado", "Fuera de plazo"
    FALTA = "falta", "Falta (plazo vencido)"
    PENDIENTE = "pendiente", "Pendiente (en plazo)"
    NO_APLICA = "no_aplica", "Sin plazo en el calendario"


ETIQUETAS_SITUACION = dict(Situacion.choices)


def hito_aplicable(hitos: list[Hito], etapa: str, tipo_id: int) -> Hito | None:
    """The calendar's hito of `etapa` (or of the deliverable kind of that clave) for a kind of
    servicio: the earliest one that applies to that kind or to every kind, as
    compromisos.selectors.hitos_de_servicio decides. Hitos with their `entregable` selected."""
    return min(
        (
            hito
            for hito in hitos
            if clave_de_hito(hito) == etapa and (not _tipos(hito) or tipo_id in _tipos(hito))
        ),
        key=lambda hito: (hito.fecha_limite, hito.pk),
        default=None,
    )


def _tipos(hito: Hito) -> frozenset[int]:
    """The kinds a hito applies to (prefetched), read once per instance."""
    if "_tipos_ids" not in hito.__dict__:
        hito._tipos_ids = frozenset(tipo.pk for tipo in hito.tipos_servicio.all())
    return hito._tipos_ids


def situacion(
    *, envio: datetime.date | None, plazo: datetime.date | None, atrasado: bool, hoy: datetime.date
) -> str:
    """On time, late, missing or pending: the rule of the unit's spreadsheet."""
    if envio is not None:
        return Situacion.ATRASADO if atrasado else Situacion.A_TIEMPO
    if plazo is None:
        return Situacion.NO_APLICA
    return Situacion.FALTA if plazo < hoy else Situacion.PENDIENTE


_SEGUIMIENTO_INFORMES = """
SELECT formulacion_id, periodo, dia_envio, es_atrasado, prorroga_hasta
FROM {resumenes_informe}
WHERE formulacion_id IN ({elegidas})
"""


def seguimiento(
    formulaciones: QuerySet[FormulacionPMG],
    hitos: list[Hito],
    hoy: datetime.date,
    faltantes: list[dict] = (),
    etapas: list[str] | None = None,
) -> list[dict]:
    """Each servicio with, per followed hito, its deadline, delivery day and situation.

    Two queries over the totals (tablero.models): the formulaciones with the day of their first
    submission (corrections resent later do not move it), and their informes' narrow copies (in
    SQL written here). An informe counts from the day it was sent, late as decided when first sent
    (`es_atrasado`); its deadline is the extension (`prorroga_hasta`) when one was given, else
    the hito for the servicio's kind. Days are in Chile's time, kept when written; rows, not
    model instances: 150 servicios make 750 cells.

    `faltantes`: the servicios of the year's universe that never formulated (universo()'s
    «faltan»): a row each, every document missing or pending by its deadline. `etapas`: the
    columns (etapas_seguidas); the standard cycle's when not given.
    """
    etapas = ETAPAS_SEGUIDAS if etapas is None else etapas
    # Through the ORM: written in SQL over the ORM's subquery, PostgreSQL took longer to plan
    # its five tables than the ORM takes to build it.
    lista = list(
        formulaciones.order_by("servicio__nombre", "pk").values_list(
            "pk",
            "servicio__nombre",
            "servicio__tipo_id",
            "servicio__tipo__nombre",
            "resumen__dia_primer_envio",
        )
    )
    if faltantes:
        lista = sorted(
            [
                *lista,
                *(
                    (
                        None,
                        f["servicio__nombre"],
                        f["servicio__tipo_id"],
                        f["servicio__tipo__nombre"],
                        None,
                    )
                    for f in faltantes
                ),
            ],
            key=lambda fila: fila[1],
        )
    _, filas_informes = consultar(_SEGUIMIENTO_INFORMES, formulaciones)
    informes = {
        (formulacion_id, periodo): (dia, bool(atrasado), prorroga)
        for formulacion_id, periodo, dia, atrasado, prorroga in filas_informes
    }
    # Per kind of servicio, the hito of each etapa and its deadline.
    por_tipo = {
        tipo_id: [
            (etapa, hito.pk if hito else None, hito.fecha_limite if hito else None)
            for etapa in etapas
            for hito in [hito_aplicable(hitos, etapa, tipo_id)]
        ]
        for tipo_id in {fila[2] for fila in lista}
    }
    sin_informe = (None, False, None)
    # A grid holds few distinct days: each is written once.
    dia = functools.cache(lambda fecha: f"{fecha:%d-%m-%Y}")

    # Most cells of a column are alike (same deadline, same situation): each distinct cell is
    # computed once and shared, read-only, by the rows that have it.
    @functools.cache
    def celda(etapa, hito_id, plazo, envio, atrasado) -> dict:
        estado = situacion(envio=envio, plazo=plazo, atrasado=atrasado, hoy=hoy)
        return {
            "etapa": etapa,
            "hito_id": hito_id,
            "situacion": estado,
            "nombre": ETIQUETAS_SITUACION[estado],
            "plazo": plazo,
            "envio": envio,
            "detalle": (
                f"entregado {dia(envio)}" if envio else f"plazo {dia(plazo)}" if plazo else ""
            ),
        }

    filas = []
    for pk, servicio, tipo_id, tipo, primer_envio in lista:
        celdas = []
        for etapa, hito_id, plazo in por_tipo[tipo_id]:
            if etapa == "formulacion":
                envio = primer_envio
                atrasado = envio is not None and plazo is not None and envio > plazo
            else:
                envio, atrasado, prorroga = informes.get((pk, etapa), sin_informe)
                plazo = prorroga or plazo
            celdas.append(celda(etapa, hito_id, plazo, envio, bool(atrasado)))
        filas.append(
            {
                "formulacion_id": pk,
                "servicio": servicio,
                "tipo": tipo,
                "celdas": celdas,
                # A servicio of the universe without formulación: «Falta».
                "sin_formulacion": pk is None,
            }
        )
    return filas


def filtrar_filas(
    filas: list[dict], *, etapa: str | None, situacion: str | None, hito: int | None
) -> list[dict]:
    """The servicios behind one count of the itinerary: one situation in one etapa or hito."""
    if not etapa:
        return filas

    def coincide(celda: dict) -> bool:
        return (
            celda["etapa"] == etapa
            and (not situacion or celda["situacion"] == situacion)
            and (hito is None or celda["hito_id"] == hito)
        )

    return [fila for fila in filas if any(coincide(celda) for celda in fila["celdas"])]


def itinerario(*, proceso: Proceso) -> list[Hito]:
    """The year's calendar with the kinds of servicio of each hito, kept with the catalogs (two
    queries when a hito changed). Copies: calendario_con_cumplimiento sets the day's counts."""
    hitos = cache.del_catalogo(
        "itinerario",
        lambda: list(
            proceso.hitos.select_related("entregable")
            .prefetch_related("tipos_servicio")
            .order_by("fecha_limite", "pk")
        ),
        str(proceso.pk),
    )
    return [copy.copy(hito) for hito in hitos]


def calendario_con_cumplimiento(
    *,
    hitos: list[Hito],
    filas: list[dict],
    hoy: datetime.date,
    dias: int = 14,
    etapas: list[str] | None = None,
) -> dict:
    """The itinerary, each followed hito with its servicios by situation, and what is due soon.

    The counts come from the same cells as the grid, so each count and the servicios listed
    under it agree by construction.
    """
    conteos: dict[int, dict[str, int]] = {}
    for fila in filas:
        for celda in fila["celdas"]:
            if celda["hito_id"] is not None:
                por_situacion = conteos.setdefault(celda["hito_id"], {})
                por_situacion[celda["situacion"]] = por_situacion.get(celda["situacion"], 0) + 1
    hasta = hoy + datetime.timedelta(days=dias)
    seguidas = set(ETAPAS_SEGUIDAS if etapas is None else etapas)
    for hito in hitos:
        # The column a hito is the deadline of (its deliverable's clave, else its etapa).
        hito.clave = clave_de_hito(hito)
        hito.es_seguido = hito.clave in seguidas
        hito.conteos = {s: conteos.get(hito.pk, {}).get(s, 0) for s in Situacion.values}
        hito.por_entregar = hito.conteos[Situacion.PENDIENTE]
        hito.vence_pronto = hoy <= hito.fecha_limite <= hasta
    return {"hitos": hitos, "proximos": [h for h in hitos if h.vence_pronto], "hasta": hasta}


# --- The event log page -------------------------------------------------------------------


def registro(*, usuario: Any) -> QuerySet[Evento]:
    """The events this user may read (srm.permisos.registro_visible), newest first, with the
    person and the servicio of each."""
    return permisos.registro_visible(
        usuario, Evento.objects.select_related("usuario", "servicio").order_by("-momento", "-pk")
    )


def servicios_del_registro(*, usuario: Any) -> QuerySet[Servicio]:
    """The servicios the log page offers as a filter: an analista's cartera, or all of them."""
    servicios = Servicio.objects.only("pk", "nombre").order_by("nombre")
    if permisos.rol(usuario) == permisos.Rol.ANALISTA:
        servicios = servicios.filter(
            carteras__usuario=usuario, carteras__rol=Cartera.Rol.ANALISTA
        ).distinct()
    return servicios


def personas_del_registro() -> QuerySet:
    """The people the log page offers as a filter, by name."""
    return (
        get_user_model()
        .objects.only("pk", "username", "first_name", "last_name")
        .order_by("first_name", "last_name", "username")
    )
