"""Cumplimiento as the PMG computes it (issue 15, point 4).

Three steps, each a pure function over numbers, tested against hand computation:

1. The Descentralización sistema's result, by the year's regime (programa.ReglaCumplimiento):
   iniciativas implementadas (the consultora's «cumple») ÷ iniciativas comprometidas × 100
   against the year's meta. With the 2011 regime (sistema con etapas) the meta is the share of
   iniciativas that must cumplir for the sistema to cumplir its committed etapa (100: all). A
   «cumple parcialmente» stays the consultora's finding; it is not an implemented iniciativa.
   Only a validation SUBDERE ratified gives a result.
2. The servicio's weighted PMG cumplimiento: Σ ponderadores of the sistemas cumplidos (the
   other sistemas' results come from DIPRES: validacion.ResultadoSistema). Unknown while any
   sistema lacks its result.
3. The incentive tramo of the year (programa.TramoIncentivo, Ley 19.553 art. 6): the highest
   tramo whose minimum the cumplimiento reaches.

`cumplimiento_de` feeds them for any number of formulaciones in two queries (`regla_del_anio`
reads the year's rule in two more).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet

from compromisos.models import FormulacionPMG, LineaFormulacion
from compromisos.selectors import es_contraparte
from programa.models import Regimen, ReglaCumplimiento, TramoIncentivo
from srm import permisos
from validacion.models import ResultadoSistema, ValidacionServicio

CIEN = Decimal(100)
CENTESIMA = Decimal("0.01")
SIN_RESULTADO = "sin_resultado"


@dataclass(frozen=True)
class Regla:
    """The year's rule and tramos, read once (`regla_del_anio`)."""

    anio: int
    regimen: str = Regimen.ETAPAS
    meta: Decimal | None = None
    # (minimum cumplimiento, incentive), highest minimum first.
    tramos: tuple[tuple[Decimal, Decimal], ...] = ()
    fuente: str = ""
    # False when the year has no rule on record (the page says so).
    registrada: bool = True

    @property
    def nombre_regimen(self) -> str:
        return Regimen(self.regimen).label


@dataclass(frozen=True)
class ResultadoDescentralizacion:
    comprometidas: int
    implementadas: int
    valor: Decimal | None
    meta: Decimal | None
    cumple: bool | None
    # Why there is no result yet (cumple is None).
    motivo: str = ""


@dataclass
class Cumplimiento:
    """One servicio's year: Descentralización, every sistema, the weighted sum and the tramo."""

    formulacion_id: int
    anio: int
    servicio: str
    descentralizacion: ResultadoDescentralizacion
    lineas: list[dict] = field(default_factory=list)
    cumplimiento: Decimal | None = None
    incentivo: Decimal | None = None
    faltan: list[str] = field(default_factory=list)
    # The servicio's ministerio, tipo and región ids, for distributions by group.
    grupos: dict[str, int | None] = field(default_factory=dict)

    @property
    def tramo(self) -> str:
        """The tramo as a key: the incentive's text, or SIN_RESULTADO."""
        return SIN_RESULTADO if self.incentivo is None else str(self.incentivo)


# --------------------------------------------------------------------------- pure functions


def indicador(implementadas: int, comprometidas: int) -> Decimal | None:
    """Iniciativas implementadas ÷ comprometidas × 100, rounded to two decimals for display."""
    if comprometidas <= 0:
        return None
    return (Decimal(implementadas) * CIEN / Decimal(comprometidas)).quantize(
        CENTESIMA, rounding=ROUND_HALF_UP
    )


def alcanza(implementadas: int, comprometidas: int, meta: Decimal) -> bool:
    """implementadas / comprometidas × 100 ≥ meta, compared exactly (2 of 3 is 66,666…: it
    does not reach a meta of 66,67 although it displays as 66,67)."""
    return Decimal(implementadas) * CIEN >= meta * Decimal(comprometidas)


def resultado_descentralizacion(
    *, regla: Regla | None, comprometidas: int, implementadas: int, ratificada: bool
) -> ResultadoDescentralizacion:
    """Cumple / no cumple of the Descentralización sistema under the year's rule."""
    meta = regla.meta if regla is not None else None
    valor = indicador(implementadas, comprometidas)

    def pendiente(motivo: str) -> ResultadoDescentralizacion:
        return ResultadoDescentralizacion(comprometidas, implementadas, valor, meta, None, motivo)

    if regla is None or not regla.registrada:
        return pendiente("El año no tiene regla de cumplimiento: la Unidad la ingresa.")
    if comprometidas == 0:
        return pendiente("Sin iniciativas comprometidas.")
    if not ratificada:
        return pendiente("La validación de la consultora aún no está ratificada por SUBDERE.")
    if meta is None:
        return pendiente("El año no tiene meta: la Unidad la ingresa en Administración.")
    return ResultadoDescentralizacion(
        comprometidas, implementadas, valor, meta, alcanza(implementadas, comprometidas, meta)
    )


def cumplimiento_ponderado(lineas: Iterable[tuple[Decimal, bool | None]]) -> Decimal | None:
    """Σ ponderadores of the sistemas cumplidos; None while any sistema lacks its result."""
    lineas = list(lineas)
    if not lineas or any(cumple is None for _, cumple in lineas):
        return None
    return sum((ponderador for ponderador, cumple in lineas if cumple), Decimal("0"))


def incentivo(
    cumplimiento: Decimal | None, tramos: Iterable[tuple[Decimal, Decimal]]
) -> Decimal | None:
    """The incentive of the highest tramo whose minimum `cumplimiento` reaches."""
    if cumplimiento is None:
        return None
    for minimo, porcentaje in sorted(tramos, reverse=True):
        if cumplimiento >= minimo:
            return porcentaje
    return None


# --------------------------------------------------------------------------- reads


def regla_del_anio(anio: int) -> Regla:
    """The year's rule and tramos (two queries). A year without a rule gets an unregistered
    one: no result is computed and the pages say so."""
    registro = ReglaCumplimiento.objects.filter(programa__anio=anio).first()
    tramos = tuple(
        TramoIncentivo.objects.filter(programa__anio=anio)
        .order_by("-cumplimiento_minimo")
        .values_list("cumplimiento_minimo", "porcentaje_incentivo")
    )
    if registro is None:
        return Regla(anio=anio, tramos=tramos, registrada=False)
    return Regla(
        anio=anio,
        regimen=registro.regimen,
        meta=registro.meta,
        tramos=tramos,
        fuente=registro.fuente,
    )


def es_descentralizacion(linea: dict) -> bool:
    """The line SUBDERE validates (compromisos.selectors.es_contraparte), from a values() row."""
    return es_contraparte(
        sistema_catalogo_id=linea["sistema_catalogo_id"],
        marcado=linea["sistema_catalogo__es_contraparte_subdere"],
        sistema=linea["sistema"],
    )


def reglas_de(anios: Iterable[int]) -> dict[int, Regla]:
    """The rules of several years in two queries (a servicio's ficha shows every year)."""
    anios = sorted(set(anios))
    registros = {
        r.programa.anio: r
        for r in ReglaCumplimiento.objects.filter(programa__anio__in=anios).select_related(
            "programa"
        )
    }
    tramos: dict[int, list] = {}
    for anio, minimo, porcentaje in (
        TramoIncentivo.objects.filter(programa__anio__in=anios)
        .order_by("-cumplimiento_minimo")
        .values_list("programa__anio", "cumplimiento_minimo", "porcentaje_incentivo")
    ):
        tramos.setdefault(anio, []).append((minimo, porcentaje))
    reglas = {}
    for anio in anios:
        registro = registros.get(anio)
        de_anio = tuple(tramos.get(anio, ()))
        reglas[anio] = (
            Regla(anio=anio, tramos=de_anio, registrada=False)
            if registro is None
            else Regla(
                anio=anio,
                regimen=registro.regimen,
                meta=registro.meta,
                tramos=de_anio,
                fuente=registro.fuente,
            )
        )
    return reglas


def cumplimiento_de(
    formulaciones: QuerySet[FormulacionPMG], regla: Regla | dict[int, Regla]
) -> dict[int, Cumplimiento]:
    """Each formulación's cumplimiento under `regla`, in two queries: the formulaciones with
    their iniciativas counted by verdict, and their lines with DIPRES's results.

    `regla`: one rule for every formulación (one year), or the rule of each year.
    The iniciativas counted are those of the formulación's Descentralización line.
    """
    conteos = {
        fila["pk"]: fila
        for fila in formulaciones.order_by()
        .values(
            "pk",
            "proceso__anio",
            "servicio__nombre",
            "validacion__estado",
            "servicio__ministerio_id",
            "servicio__tipo_id",
            "servicio__region_id",
        )
        .annotate(
            # The iniciativas of the Descentralización line (a compromiso hangs off no other
            # line; one left without it, before its formulación had the line, counts nowhere).
            comprometidas=Count("compromisos", filter=Q(compromisos__linea__isnull=False)),
            implementadas=Count(
                "compromisos",
                filter=Q(
                    compromisos__linea__isnull=False,
                    compromisos__validacion__resultado=ValidacionServicio.Resultado.CUMPLE,
                ),
            ),
        )
    }
    lineas: dict[int, list[dict]] = {}
    for linea in (
        LineaFormulacion.objects.filter(formulacion__in=formulaciones.order_by().values("pk"))
        .order_by("formulacion_id", "orden", "pk")
        .values(
            "formulacion_id",
            "sistema",
            "ponderador",
            "sistema_catalogo_id",
            "sistema_catalogo__es_contraparte_subdere",
            "resultado_dipres__cumple",
            "resultado_dipres__origen",
            "resultado_dipres__nota",
        )
    ):
        lineas.setdefault(linea["formulacion_id"], []).append(linea)
    resultados = {}
    for pk, fila in conteos.items():
        del_anio = regla if isinstance(regla, Regla) else regla.get(fila["proceso__anio"])
        descentralizacion = resultado_descentralizacion(
            regla=del_anio,
            comprometidas=fila["comprometidas"],
            implementadas=fila["implementadas"],
            ratificada=fila["validacion__estado"] == ValidacionServicio.Estado.RATIFICADA,
        )
        filas = []
        for linea in lineas.get(pk, []):
            propia = es_descentralizacion(linea)
            cumple = descentralizacion.cumple if propia else linea["resultado_dipres__cumple"]
            if propia:
                origen = "Validación de la consultora, ratificada por SUBDERE"
            elif linea["resultado_dipres__origen"]:
                origen = ResultadoSistema.Origen(linea["resultado_dipres__origen"]).label
                if linea["resultado_dipres__nota"]:
                    # E.g. the demo's «Dato de demostración»: said on screen.
                    origen = f"{origen} · {linea['resultado_dipres__nota']}"
            else:
                origen = ""
            filas.append(
                {
                    "sistema": linea["sistema"],
                    "ponderador": linea["ponderador"],
                    "cumple": cumple,
                    "es_descentralizacion": propia,
                    "origen": origen,
                }
            )
        total = cumplimiento_ponderado((f["ponderador"], f["cumple"]) for f in filas)
        resultados[pk] = Cumplimiento(
            formulacion_id=pk,
            anio=fila["proceso__anio"],
            servicio=fila["servicio__nombre"],
            descentralizacion=descentralizacion,
            lineas=filas,
            cumplimiento=total,
            incentivo=incentivo(total, del_anio.tramos if del_anio else ()),
            faltan=[f["sistema"] for f in filas if f["cumple"] is None],
            grupos={
                grupo: fila[f"servicio__{grupo}_id"] for grupo in ("ministerio", "tipo", "region")
            },
        )
    return resultados


def etiqueta_tramo(tramo: str) -> str:
    return "Sin resultado" if tramo == SIN_RESULTADO else f"Incentivo {tramo.replace('.', ',')} %"


def tramos_del_anio(regla: Regla) -> list[str]:
    """The keys of the year's tramos, highest first, then SIN_RESULTADO."""
    return [*(str(porcentaje) for _, porcentaje in regla.tramos), SIN_RESULTADO]


def ficha_cumplimiento(request, servicio) -> dict | None:
    """The servicio's cumplimiento, year by year, in its ficha (servicios.ficha). Four queries
    whatever the number of years; hidden when the person sees no formulación of it."""
    formulaciones = permisos.visibles(request.user, FormulacionPMG).filter(servicio=servicio)
    anios = list(formulaciones.values_list("proceso__anio", flat=True))
    if not anios:
        return None
    reglas = reglas_de(anios)
    resultados = sorted(
        cumplimiento_de(formulaciones, reglas).values(), key=lambda c: c.anio, reverse=True
    )
    return {"resultados": resultados, "reglas": reglas}
