"""Reads of the División's metas, scoped to the user by the permission door."""

from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from bitacora.models import Evento
from metas.models import (
    Departamento,
    EstadoMedicion,
    Indicador,
    Medicion,
    MetaAnual,
    Semaforo,
    Unidad,
    nombre_periodo,
)
from srm import permisos


def anios(usuario: Any) -> list[int]:
    """The years with metas the user may see, newest first (one query)."""
    return list(
        permisos.visibles_division(usuario, MetaAnual)
        .order_by("-anio")
        .values_list("anio", flat=True)
        .distinct()
    )


def anio_vigente(disponibles: list[int], pedido: int | None) -> int:
    """The year asked for; else this year if it has metas, else the latest with metas."""
    if pedido is not None:
        return pedido
    hoy = timezone.localdate().year
    return hoy if hoy in disponibles or not disponibles else disponibles[0]


def indicadores(usuario: Any, *, anio: int, unidades: Any = None) -> QuerySet[Indicador]:
    """The year's indicators the user sees, with their unit and department and their
    approved measurements in period order (two queries)."""
    consulta = (
        _alcance(usuario, Indicador)
        .filter(meta__anio=anio)
        .select_related("meta__unidad__departamento")
        .prefetch_related(
            Prefetch(
                "mediciones",
                queryset=Medicion.objects.filter(estado=EstadoMedicion.APROBADA).order_by(
                    "periodo"
                ),
                to_attr="aprobadas",
            )
        )
        .order_by(
            "meta__unidad__departamento__nombre", "meta__unidad__nombre", "meta__nombre", "nombre"
        )
    )
    if unidades is not None:
        consulta = consulta.filter(meta__unidad__in=unidades)
    return consulta


@dataclass
class Tendencia:
    """The periods' results of an indicator and where the last one went."""

    puntos: list[tuple[str, Any]]
    direccion: str  # "sube", "baja", "igual" or ""

    @property
    def texto(self) -> str:
        return {"sube": "↑ sube", "baja": "↓ baja", "igual": "→ igual"}.get(self.direccion, "")


def tendencia(indicador: Indicador) -> Tendencia:
    puntos = [
        (nombre_periodo(indicador.periodicidad, m.periodo), m.resultado)
        for m in getattr(indicador, "aprobadas", [])
        if m.resultado is not None
    ]
    direccion = ""
    if len(puntos) >= 2:
        penultimo, ultimo = puntos[-2][1], puntos[-1][1]
        direccion = "sube" if ultimo > penultimo else "baja" if ultimo < penultimo else "igual"
    return Tendencia(puntos=puntos, direccion=direccion)


@dataclass
class GrupoUnidad:
    unidad: Unidad
    indicadores: list[Indicador] = field(default_factory=list)


@dataclass
class GrupoDepartamento:
    departamento: Departamento
    unidades: list[GrupoUnidad] = field(default_factory=list)
    resumen: dict[str, int] = field(default_factory=dict)


def _alcance(usuario: Any, modelo: type) -> QuerySet:
    """The rows the user sees; every row for a report the door already allowed (no user)."""
    if usuario is None:
        return modelo._default_manager.all()
    return permisos.visibles_division(usuario, modelo)


def panorama(
    usuario: Any, *, anio: int, departamento: Departamento | None = None
) -> list[GrupoDepartamento]:
    """Departments → units → indicators the user sees (every one when `usuario` is None, for
    the reports), with each department's count of indicators per light (four queries: units,
    indicators, their measurements, the counts)."""
    unidades = _alcance(usuario, Unidad).select_related("departamento__jefe", "jefe")
    if departamento is not None:
        unidades = unidades.filter(departamento=departamento)
    grupos: dict[int, GrupoDepartamento] = {}
    por_unidad: dict[int, GrupoUnidad] = {}
    for unidad in unidades.order_by("departamento__nombre", "nombre"):
        grupo = grupos.setdefault(
            unidad.departamento_id, GrupoDepartamento(departamento=unidad.departamento)
        )
        por_unidad[unidad.pk] = GrupoUnidad(unidad=unidad)
        grupo.unidades.append(por_unidad[unidad.pk])
    filtro = {"meta__unidad__departamento": departamento} if departamento is not None else {}
    for indicador in indicadores(usuario, anio=anio).filter(**filtro):
        indicador.tendencia = tendencia(indicador)
        if indicador.meta.unidad_id in por_unidad:
            por_unidad[indicador.meta.unidad_id].indicadores.append(indicador)
    conteos = (
        _alcance(usuario, Indicador)
        .filter(meta__anio=anio, **filtro)
        .values("meta__unidad__departamento")
        .annotate(**{luz: Count("pk", filter=Q(semaforo=luz)) for luz in Semaforo.values})
    )
    for fila in conteos:
        grupo = grupos.get(fila["meta__unidad__departamento"])
        if grupo is not None:
            grupo.resumen = {luz: fila[luz] for luz in Semaforo.values}
    return list(grupos.values())


def por_aprobar(usuario: Any, *, departamento: Departamento) -> QuerySet[Medicion]:
    """The department's measurements waiting for its jefe's approval (one query)."""
    return (
        permisos.visibles_division(usuario, Medicion)
        .filter(
            estado=EstadoMedicion.REPORTADA,
            indicador__meta__unidad__departamento=departamento,
        )
        .select_related("indicador__meta__unidad", "reportada_por")
        .order_by("reportada_en", "pk")
    )


def mediciones_por_periodo(indicador: Indicador) -> dict[int, Medicion]:
    """Every measurement of an indicator with its evidence (two queries)."""
    return {
        m.periodo: m
        for m in indicador.mediciones.select_related("reportada_por").prefetch_related("evidencias")
    }


def historia(indicador: Indicador) -> list:
    """The indicator's and its measurements' events, newest first (two queries)."""
    ids = list(indicador.mediciones.values_list("pk", flat=True))
    return list(
        Evento.objects.filter(
            Q(tipo_objeto=ContentType.objects.get_for_model(Medicion), objeto_id__in=ids)
            | Q(tipo_objeto=ContentType.objects.get_for_model(Indicador), objeto_id=indicador.pk)
        )
        .select_related("usuario")
        .order_by("-momento", "-pk")[:50]
    )


def mediciones_del_anio(anio: int, departamento_id: int | None = None) -> list[list[Any]]:
    """Every measurement of the year's indicators, as rows of the Excel report (one query)."""
    mediciones = (
        Medicion.objects.filter(indicador__meta__anio=anio)
        .select_related("indicador__meta__unidad__departamento", "reportada_por")
        .annotate(evidencias_n=Count("evidencias"))
        .order_by(
            "indicador__meta__unidad__departamento__nombre",
            "indicador__meta__unidad__nombre",
            "indicador__nombre",
            "periodo",
        )
    )
    if departamento_id is not None:
        mediciones = mediciones.filter(indicador__meta__unidad__departamento_id=departamento_id)
    filas = []
    for medicion in mediciones:
        indicador = medicion.indicador
        filas.append(
            [
                indicador.meta.unidad.departamento.nombre,
                indicador.meta.unidad.nombre,
                indicador.meta.nombre,
                indicador.nombre,
                nombre_periodo(indicador.periodicidad, medicion.periodo),
                medicion.numerador,
                medicion.denominador,
                medicion.valor,
                medicion.resultado,
                indicador.unidad_medida,
                indicador.valor_meta,
                "Calculada por el SRM" if medicion.es_calculada else medicion.get_estado_display(),
                medicion.reportada_por.get_full_name() or medicion.reportada_por.username
                if medicion.reportada_por
                else "",
                medicion.reportada_en,
                medicion.evidencias_n,
                medicion.comentario,
            ]
        )
    return filas
