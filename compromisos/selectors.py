"""Reads of the compromisos app, scoped by the caller through srm.permisos."""

import copy
import datetime
import itertools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    When,
)
from django.urls import reverse
from django.utils import timezone

from bitacora.models import Evento
from compromisos.models import (
    ENTREGABLES_ESTANDAR,
    AvanceCompromiso,
    Compromiso,
    EstadoRevision,
    FormulacionPMG,
    Hito,
    HitoCompromiso,
    InformeAvance,
    Instantanea,
    LineaFormulacion,
    MedioComprometido,
    MedioVerificacion,
    Proceso,
    TipoEntregable,
    TipoMedio,
    VinculoRequisito,
)
from formularios import services as formularios
from formularios.models import Plantilla, Pregunta, Seccion
from programa.models import EtapaSistema, MedioRequerido, RequisitoTecnico
from servicios.models import Cartera, Servicio
from srm import catalogo, permisos


def normalizar(texto: str) -> str:
    """Compare names as people write them: no accents, case, spacing around / and -."""
    sin_tildes = "".join(
        c for c in unicodedata.normalize("NFKD", texto or "") if not unicodedata.combining(c)
    )
    return re.sub(r"\s*([/-])\s*", r"\1", " ".join(sin_tildes.casefold().split()))


def es_contraparte(*, sistema_catalogo_id: int | None, marcado: bool | None, sistema: str) -> bool:
    """The one rule for the line SUBDERE reviews (Descentralización): its catalogue sistema
    says so (`marcado`: its `es_contraparte_subdere`); a line written before the catalogue,
    by its name. The data migration of Compromiso.linea freezes the same rule."""
    if sistema_catalogo_id is not None:
        return bool(marcado)
    return normalizar(sistema) == "descentralizacion"


def con_lo_comprometido(compromisos: list[Compromiso]) -> list[Compromiso]:
    """Hangs on each compromiso what its formulación's page shows of it, read as columns (no
    model rows, no prefetch): its regiones' names in order (`nombres_regiones`), its hitos
    (`hitos_comprometidos`: date, description, by date) and its promised medios
    (`medios_prometidos`: description, kind's name). Three queries; none without
    compromisos."""
    por_id = {compromiso.pk: compromiso for compromiso in compromisos}
    for compromiso in compromisos:
        compromiso.nombres_regiones = []
        compromiso.hitos_comprometidos = []
        compromiso.medios_prometidos = []
    if not por_id:
        return compromisos
    regiones = (
        Compromiso.regiones.through.objects.filter(compromiso_id__in=por_id)
        .order_by("region__orden")
        .values_list("compromiso_id", "region__nombre")
    )
    for compromiso_id, nombre in regiones:
        por_id[compromiso_id].nombres_regiones.append(nombre)
    hitos = (
        HitoCompromiso.objects.filter(compromiso_id__in=por_id)
        .order_by("fecha_comprometida", "orden")
        .values_list("compromiso_id", "fecha_comprometida", "descripcion")
    )
    for compromiso_id, fecha, descripcion in hitos:
        por_id[compromiso_id].hitos_comprometidos.append((fecha, descripcion))
    medios = (
        MedioComprometido.objects.filter(compromiso_id__in=por_id)
        .order_by("orden", "pk")
        .values_list("compromiso_id", "descripcion", "tipo")
    )
    for compromiso_id, descripcion, tipo in medios:
        # As MedioComprometido.get_tipo_display names it.
        por_id[compromiso_id].medios_prometidos.append(
            (descripcion, _NOMBRES_TIPO_MEDIO.get(tipo, tipo))
        )
    return compromisos


_NOMBRES_TIPO_MEDIO = dict(TipoMedio.choices)


def es_linea_contraparte(linea: LineaFormulacion) -> bool:
    """`es_contraparte` for a line (reads its catalogue sistema when linked)."""
    return es_contraparte(
        sistema_catalogo_id=linea.sistema_catalogo_id,
        marcado=linea.sistema_catalogo.es_contraparte_subdere
        if linea.sistema_catalogo_id is not None
        else None,
        sistema=linea.sistema,
    )


def linea_contraparte(*, formulacion_id: int) -> LineaFormulacion | None:
    """The formulación's Descentralización line, the one its compromisos serve. One query."""
    lineas = LineaFormulacion.objects.filter(formulacion_id=formulacion_id).select_related(
        "sistema_catalogo"
    )
    return next(
        (linea for linea in lineas.order_by("orden", "pk") if es_linea_contraparte(linea)), None
    )


@dataclass
class EtapaComprometida:
    """The etapa the Descentralización line commits, with its requisitos técnicos."""

    etapa: EtapaSistema | None = None
    requisitos: list[RequisitoTecnico] = field(default_factory=list)
    # False for an informe whose kind reports on no etapa: its pages show no requisitos section.
    aplica: bool = True


def etapa_comprometida(
    *, formulacion_id: int, tipo: TipoEntregable | None = None
) -> EtapaComprometida:
    """The committed etapa of the formulación's Descentralización line (in the catalogue), its
    requisitos in order and the medios each asks for (`medios_requeridos`). With `tipo` (an
    informe's kind, its form selected): nothing when that kind does not report on the etapa
    (TipoEntregable.informa_sobre). One query: which etapa; the etapa with its requisitos is
    catalogue data of the programa marco, kept under the catalog version (srm.catalogo; three
    queries when it changed)."""
    etapa_id = (
        EtapaSistema.objects.filter(
            sistema__es_contraparte_subdere=True,
            sistema__lineas__formulacion_id=formulacion_id,
            numero=F("sistema__lineas__etapa"),
        )
        .order_by("sistema__lineas__orden")
        .values_list("pk", flat=True)
        .first()
    )
    guardada = (
        None
        if etapa_id is None
        else catalogo.del_catalogo(
            "etapa-con-requisitos", lambda: _etapa_con_requisitos(etapa_id), str(etapa_id)
        )
    )
    if guardada is None:
        return EtapaComprometida()
    # Copies: the value is shared by every request of the process, and the pages hang their
    # verdicts, links and forms on each requisito.
    etapa = copy.copy(guardada[0])
    if tipo is not None and not tipo.informa_sobre(etapa):
        return EtapaComprometida(aplica=False)
    return EtapaComprometida(
        etapa=etapa, requisitos=[copy.copy(requisito) for requisito in guardada[1]]
    )


def _etapa_con_requisitos(
    etapa_id: int,
) -> tuple[EtapaSistema, list[RequisitoTecnico]] | None:
    """An etapa of the catalogue with its sistema, its requisitos in order and the medios each
    asks for (`medios_requeridos`). Three queries."""
    etapa = (
        EtapaSistema.objects.filter(pk=etapa_id)
        .select_related("sistema")
        .prefetch_related(
            Prefetch(
                "requisitos",
                queryset=RequisitoTecnico.objects.order_by("orden", "pk").prefetch_related(
                    Prefetch(
                        "medios",
                        queryset=MedioRequerido.objects.order_by("orden", "pk"),
                        to_attr="medios_requeridos",
                    )
                ),
                to_attr="lista_requisitos",
            )
        )
        .first()
    )
    if etapa is None:
        return None
    return etapa, etapa.__dict__.pop("lista_requisitos")


def vinculos_por_requisito(
    *, informe_id: int | None = None, formulacion_id: int | None = None, periodo: str = ""
) -> dict[int, set[int]]:
    """The files the servicio linked to each requisito in an informe (or in the informe of
    `periodo` of a formulación). One query."""
    filtro = (
        {"informe_id": informe_id}
        if informe_id is not None
        else {"informe__formulacion_id": formulacion_id, "informe__periodo": periodo}
    )
    vinculos: dict[int, set[int]] = {}
    # No order: the default one (informe first) joined the year and the servicio to sort
    # rows that go into sets (≈2 ms of planning in PostgreSQL).
    for requisito_id, medio_id in (
        VinculoRequisito.objects.filter(**filtro).order_by().values_list("requisito_id", "medio_id")
    ):
        vinculos.setdefault(requisito_id, set()).add(medio_id)
    return vinculos


def programa_del_anio(anio: int) -> str:
    """The programme's name in a year (2007: «PMG Gestión Territorial»), for headings. One
    query; a year not yet created has the current name."""
    programa = Proceso.objects.filter(anio=anio).values_list("programa", flat=True).first()
    return programa or Proceso._meta.get_field("programa").default


def procesos() -> list[Proceso]:
    """Every year, the newest first: a catalog, kept under the catalog version (srm/catalogo.py).
    The rows are shared by the requests of a process: read them, never change them."""
    return catalogo.del_catalogo("procesos", lambda: list(Proceso.objects.order_by("-anio")))


def vigente_entre(procesos: list[Proceso], anio: int) -> Proceso | None:
    """The current process among `procesos` (newest first): the latest year up to `anio`, or the
    oldest one when every year is later."""
    return next((p for p in procesos if p.anio <= anio), None) or (
        procesos[-1] if procesos else None
    )


def proceso_vigente() -> Proceso | None:
    """This year's process, or the latest one when this year has none yet (a copy: the years
    are kept with the catalogs)."""
    vigente = vigente_entre(procesos(), timezone.localdate().year)
    return copy.copy(vigente) if vigente is not None else None


def hitos_de_servicio(*, proceso: Proceso, servicio: Servicio) -> QuerySet[Hito]:
    """The calendar that applies to a servicio: hitos for its kind, or for every kind (the rule
    `aplica_a` says in Python, for the calendars kept with the catalogs)."""
    return _hitos_de_tipo(proceso_id=proceso.pk, tipo_servicio_id=servicio.tipo_id)


def _hitos_de_tipo(*, proceso_id: int, tipo_servicio_id: int | None) -> QuerySet[Hito]:
    return (
        Hito.objects.filter(proceso_id=proceso_id)
        .filter(Q(tipos_servicio__isnull=True) | Q(tipos_servicio=tipo_servicio_id))
        .distinct()
        .order_by("fecha_limite", "pk")
    )


def aplica_a(hito: Hito, tipo_id: int | None) -> bool:
    """hitos_de_servicio's rule on a hito of `calendario_del_anio`: it applies to every kind of
    servicio (no kinds), or to this one."""
    return not hito.tipos_ids or tipo_id in hito.tipos_ids


def calendario_del_anio(proceso_id: int) -> list[Hito]:
    """The year's hitos in date order, each with its `entregable` and `tipos_ids` (the kinds of
    servicio it applies to; empty: every kind). Catalogs only: kept under the catalog version
    (two queries when not kept). Shared by the requests of a process: never change them."""
    return catalogo.del_catalogo(
        "calendario-del-anio", lambda: _calendario_del_anio(proceso_id), str(proceso_id)
    )


def _calendario_del_anio(proceso_id: int) -> list[Hito]:
    hitos = list(
        Hito.objects.filter(proceso_id=proceso_id)
        .select_related("entregable")
        .prefetch_related("tipos_servicio")
        .order_by("fecha_limite", "pk")
    )
    for hito in hitos:
        hito.tipos_ids = frozenset(tipo.pk for tipo in hito.tipos_servicio.all())
        # What is kept is what is read: the ids, not the kinds' rows.
        hito._prefetched_objects_cache = {}
    return hitos


def calendario_de_servicio(*, proceso_id: int, tipo_id: int | None) -> list[Hito]:
    """hitos_de_servicio from the calendar kept with the catalogs: no query."""
    return [hito for hito in calendario_del_anio(proceso_id) if aplica_a(hito, tipo_id)]


def clave_de_hito(hito: Hito) -> str:
    """What a hito is the deadline of: its deliverable kind's clave when it points at one (with
    `entregable` selected), else its etapa (the standard cycle's hitos: etapa «avance_1» is the
    deadline of the kind «avance_1»). A hito of etapa «formulacion» pointing at the kind
    «factibilidad» (2011) is that kind's deadline, not the formulación's."""
    return hito.entregable.clave if hito.entregable_id else hito.etapa


def hitos_por_clave(
    *, proceso_id: int, tipo_servicio_id: int | None, de_la_base: bool = False
) -> dict[str, Hito]:
    """The calendar of a kind of servicio in a year (calendario_de_servicio, kept with the
    catalogs: no query while they do not change): the earliest hito of each deliverable, by
    its clave (clave_de_hito). Shared by the requests of a process: read, do not modify.
    `de_la_base`: read from the database, for the writes a deadline decides (a copy kept by a
    process must never decide them)."""
    calendario = _calendario_del_anio(proceso_id) if de_la_base else calendario_del_anio(proceso_id)
    hitos: dict[str, Hito] = {}
    for hito in calendario:
        if aplica_a(hito, tipo_servicio_id):
            # They come by date: the first of each deliverable is its deadline.
            hitos.setdefault(clave_de_hito(hito), hito)
    return hitos


def hito_de_periodo(
    *, formulacion: FormulacionPMG, periodo: str, de_la_base: bool = False
) -> Hito | None:
    """The calendar's hito of an informe's periodo (its kind), for the formulación's kind of
    servicio. No query while the catalogs do not change (hitos_por_clave), unless
    `de_la_base`."""
    return hitos_por_clave(
        proceso_id=formulacion.proceso_id,
        tipo_servicio_id=formulacion.servicio.tipo_id,
        de_la_base=de_la_base,
    ).get(periodo)


# How a form the seeds do not show starts its description (fixtures entregables_2007/2011).
SUPUESTO = "Supuesto de la demostración"


def supuesto_de(tipo: TipoEntregable | None) -> str:
    """What the demo assumed about a kind's form (the seed is silent), or ""."""
    if tipo is None or tipo.formulario_id is None:
        return ""
    descripcion = tipo.formulario.descripcion
    return descripcion.splitlines()[0] if descripcion.startswith(SUPUESTO) else ""


def entregables_estandar(proceso_id: int | None) -> list[TipoEntregable]:
    """The standard cycle's kinds, unsaved: the list of a year that has not built its own."""
    return [
        TipoEntregable(proceso_id=proceso_id, clave=clave, nombre=nombre, orden=orden)
        for orden, (clave, nombre, _) in enumerate(ENTREGABLES_ESTANDAR, start=1)
    ]


class _EntregablesPorAnio(dict):
    """Kinds by process id; a process without its own list has the standard cycle."""

    def __missing__(self, proceso_id: int) -> list[TipoEntregable]:
        self[proceso_id] = entregables_estandar(proceso_id)
        return self[proceso_id]


def entregables_por_anio(procesos: Any) -> dict[int, list[TipoEntregable]]:
    """Each process's deliverable kinds in order, by process id; the standard cycle for a
    process without its own list. `procesos`: ids or Proceso rows. Kept with the catalogs
    (entregables_del_anio)."""
    por_anio = _EntregablesPorAnio()
    for proceso in procesos:
        pk = getattr(proceso, "pk", proceso)
        por_anio[pk] = entregables_del_anio(pk)
    return por_anio


def nombres_de_entregables() -> dict[int, str]:
    """Each kind of deliverable's name by id, kept under the catalog version: a list of informes
    names a kind without joining its table (one more table for the planner on every page)."""
    return catalogo.del_catalogo(
        "nombres-de-entregables",
        lambda: dict(TipoEntregable.objects.values_list("pk", "nombre")),
    )


def nombre_de_periodo(periodo: str, tipo_id: int) -> str:
    """An informe's periodo as InformeAvance.get_periodo_display names it (the standard cycle's
    names, else its kind's), from its columns: the kinds' names are kept with the catalogs."""
    return _NOMBRES_PERIODO.get(periodo) or nombres_de_entregables()[tipo_id]


_NOMBRES_PERIODO = dict(InformeAvance.Periodo.choices)


def periodos_a_elegir(
    proceso_id: int | None = None, *, anio: int | None = None
) -> list[tuple[str, str]]:
    """The deliverables a filter offers (clave, nombre): the year's (by process or by year), or
    with no year chosen the standard cycle's then every other year's kinds, newest year first.
    One query, kept under the catalog version (the kinds are a catalog: srm/catalogo.py)."""
    return catalogo.del_catalogo(
        "periodos-a-elegir",
        lambda: _periodos_a_elegir(proceso_id, anio),
        str(proceso_id),
        str(anio),
    )


def _periodos_a_elegir(proceso_id: int | None, anio: int | None) -> list[tuple[str, str]]:
    filas = TipoEntregable.objects.order_by("-proceso__anio", "orden", "pk")
    if proceso_id is not None:
        filas = filas.filter(proceso_id=proceso_id)
    if anio is not None:
        filas = filas.filter(proceso__anio=anio)
    elegibles: dict[str, str] = {}
    if proceso_id is None and anio is None:
        elegibles = {clave: nombre for clave, nombre, _ in ENTREGABLES_ESTANDAR}
    for clave, nombre in filas.values_list("clave", "nombre"):
        elegibles.setdefault(clave, nombre)
    if not elegibles:
        elegibles = {clave: nombre for clave, nombre, _ in ENTREGABLES_ESTANDAR}
    return list(elegibles.items())


def entregables_del_anio(proceso: Proceso | int) -> list[TipoEntregable]:
    """The year's deliverable kinds in order, with their form; the standard cycle when it has
    none. Catalogs only (kinds and forms): kept under the catalog version, one query when not
    kept. Shared by the requests of a process: never change them."""
    pk = getattr(proceso, "pk", proceso)
    return catalogo.del_catalogo("entregables-del-anio", lambda: _entregables_del_anio(pk), str(pk))


def _entregables_del_anio(proceso_id: int) -> list[TipoEntregable]:
    tipos = list(
        TipoEntregable.objects.filter(proceso_id=proceso_id)
        .select_related("formulario")
        .order_by("orden", "pk")
    )
    return tipos or entregables_estandar(proceso_id)


def plazos_por_tipo_de_servicio(*, proceso: Proceso) -> dict[int, list[tuple[str, str]]]:
    """For each kind of the year, its deadlines: (to whom it applies, dates), from the hitos that
    point at it (or, in the standard cycle, have its clave as etapa). Three queries."""
    plazos: dict[int, list[tuple[str, str]]] = {}
    tipos = {tipo.clave: tipo.pk for tipo in proceso.entregables.all()}
    for hito in (
        proceso.hitos.filter(Q(entregable__isnull=False) | Q(etapa__in=list(tipos)))
        .select_related("entregable")
        .prefetch_related("tipos_servicio")
        .order_by("fecha_limite", "pk")
    ):
        tipo_id = hito.entregable_id or tipos.get(hito.etapa)
        aplica = ", ".join(tipo.nombre for tipo in hito.tipos_servicio.all()) or "Todos"
        fechas = (
            f"{hito.fecha_inicio:%d-%m-%Y} al {hito.fecha_limite:%d-%m-%Y}"
            if hito.fecha_inicio
            else f"{hito.fecha_limite:%d-%m-%Y}"
        )
        plazos.setdefault(tipo_id, []).append((aplica, fechas))
    return plazos


def plazo_informe(informe: InformeAvance, *, de_la_base: bool = False) -> datetime.date | None:
    """Deadline of an informe: its extension if granted, else the calendar's hito for its kind
    (`de_la_base`: read from the database, see hitos_por_clave)."""
    if informe.prorroga_hasta:
        return informe.prorroga_hasta
    hito = hito_de_periodo(
        formulacion=informe.formulacion, periodo=informe.periodo, de_la_base=de_la_base
    )
    return hito.fecha_limite if hito else None


def proximos_hitos(
    *, proceso: Proceso, servicio: Servicio, desde: datetime.date, limite: int = 3
) -> list[Hito]:
    """The servicio's next hitos from `desde` (from the calendar kept with the catalogs)."""
    proximos = (
        hito
        for hito in calendario_de_servicio(proceso_id=proceso.pk, tipo_id=servicio.tipo_id)
        if hito.fecha_limite >= desde
    )
    return list(itertools.islice(proximos, limite))


# Days before its deadline that an informe opens when the calendar gives no start date.
DIAS_APERTURA_POR_DEFECTO = 30


def fecha_apertura(
    *, plazo: datetime.date | None, inicio: datetime.date | None
) -> datetime.date | None:
    """When an informe opens for the servicio: the hito's start, or some days before its deadline."""
    if inicio is not None:
        return inicio
    return plazo - datetime.timedelta(days=DIAS_APERTURA_POR_DEFECTO) if plazo else None


@dataclass
class PeriodoInforme:
    """One of the year's deliverables of a formulación (the standard cycle: its four reporting
    periods), with or without its informe."""

    periodo: str
    nombre: str
    informe: InformeAvance | None
    plazo: datetime.date | None
    apertura: datetime.date | None
    tipo: TipoEntregable | None = None

    @property
    def supuesto(self) -> str:
        return supuesto_de(self.tipo)

    @property
    def esta_abierto(self) -> bool:
        return self.apertura is not None and self.apertura <= timezone.localdate()

    @property
    def esta_vencido(self) -> bool:
        enviado = self.informe is not None and self.informe.estado != EstadoRevision.BORRADOR
        return not enviado and self.plazo is not None and self.plazo < timezone.localdate()


def periodos_de_formulacion(
    *, formulacion: FormulacionPMG, informes: Iterable[InformeAvance] | None = None
) -> list[PeriodoInforme]:
    """The year's deliverables with their informe (if opened), deadline for the servicio's kind
    and opening date. One query (the informes), none when the caller read them (`informes`):
    the kinds and the calendar are kept with the catalogs."""
    tipos = entregables_del_anio(formulacion.proceso_id)
    hitos: dict[str, Hito] = {}
    for hito in calendario_de_servicio(
        proceso_id=formulacion.proceso_id, tipo_id=formulacion.servicio.tipo_id
    ):
        # The earliest hito of each deliverable (they come by date).
        hitos.setdefault(clave_de_hito(hito), hito)
    if informes is None:
        informes = formulacion.informes.order_by()
    informes = {informe.periodo: informe for informe in informes}
    periodos = []
    for tipo in tipos:
        periodo, nombre = tipo.clave, tipo.nombre
        hito, informe = hitos.get(periodo), informes.get(periodo)
        plazo = hito.fecha_limite if hito else None
        if informe is not None:
            informe.plazo = informe.prorroga_hasta or plazo
        periodos.append(
            PeriodoInforme(
                periodo=periodo,
                nombre=nombre,
                informe=informe,
                plazo=informe.plazo if informe else plazo,
                apertura=fecha_apertura(plazo=plazo, inicio=hito.fecha_inicio if hito else None),
                tipo=tipo,
            )
        )
    return periodos


def informes_por_revisar(*, usuario: Any, proceso: Proceso) -> QuerySet[InformeAvance]:
    """Informes of the analista's cartera waiting for SUBDERE, the longest-waiting first."""
    return (
        permisos.visibles(usuario, InformeAvance)
        .filter(
            formulacion__proceso=proceso,
            estado__in=[EstadoRevision.ENVIADO, EstadoRevision.EN_REVISION],
            formulacion__servicio__carteras__usuario=usuario,
            formulacion__servicio__carteras__anio=proceso.anio,
            formulacion__servicio__carteras__rol=Cartera.Rol.ANALISTA,
        )
        .select_related("formulacion__servicio__tipo")
        .order_by("enviado_en", "pk")
    )


def asignaciones_consultora(*, usuario: Any, proceso: Proceso) -> QuerySet[FormulacionPMG]:
    """The formulaciones the consultora validates this year, with the state of their informe final."""
    final = InformeAvance.objects.filter(
        formulacion=OuterRef("pk"), periodo=InformeAvance.Periodo.FINAL
    )
    return (
        permisos.visibles(usuario, FormulacionPMG)
        .filter(proceso=proceso)
        .select_related("servicio__tipo", "servicio__region")
        .annotate(
            estado_final=Subquery(final.values("estado")[:1]),
            total_compromisos=Count("compromisos", distinct=True),
            # Those ready to validate come first.
            lista_para_validar=Case(
                When(estado_final=EstadoRevision.APROBADO, then=True),
                default=False,
                output_field=BooleanField(),
            ),
        )
        .order_by("-lista_para_validar", "servicio__nombre")
    )


def en_cartera_del_analista(usuario: Any, ruta_servicio: str, ruta_anio: str) -> Q:
    """The row's servicio is in the analista's cartera for the row's year. A join, not an
    EXISTS: a servicio has one analista a year (`cartera_unica_por_rol`), so it repeats no row,
    PostgreSQL plans both alike, and the ORM compiles a join in about half the time."""
    carteras = f"{ruta_servicio}__carteras"
    return Q(
        **{
            f"{carteras}__usuario": usuario,
            f"{carteras}__rol": Cartera.Rol.ANALISTA,
            f"{carteras}__anio": F(ruta_anio),
        }
    )


def resumen_cartera(*, usuario: Any, proceso: Proceso) -> dict:
    """The analista's cartera of the year in figures, in one query."""
    return InformeAvance.objects.filter(
        formulacion__proceso=proceso,
        formulacion__servicio__carteras__usuario=usuario,
        formulacion__servicio__carteras__anio=proceso.anio,
        formulacion__servicio__carteras__rol=Cartera.Rol.ANALISTA,
    ).aggregate(
        servicios=Count("formulacion__servicio", distinct=True),
        observados=Count("pk", filter=Q(estado=EstadoRevision.OBSERVADO)),
        aprobados=Count("pk", filter=Q(estado=EstadoRevision.APROBADO)),
        atrasados=Count("pk", filter=Q(es_atrasado=True)),
    )


def panorama_anual(*, proceso: Proceso) -> dict:
    """The year at a glance for jefatura: informes by periodo and estado (one query), the
    formulaciones and their compromisos in figures (one query); the year's deliverables are
    kept with the catalogs."""
    # No order: the default one would join the year and the servicio for nothing.
    informes = InformeAvance.objects.filter(formulacion__proceso=proceso).order_by()
    por_estado = {estado: Count("pk", filter=Q(estado=estado)) for estado in EstadoRevision.values}
    filas = {
        fila["periodo"]: fila
        for fila in informes.values("periodo").annotate(
            total=Count("pk"), atrasados=Count("pk", filter=Q(es_atrasado=True)), **por_estado
        )
    }
    periodos = [
        {"periodo": periodo, "nombre": nombre, **filas.get(periodo, {"total": 0, "atrasados": 0})}
        for periodo, nombre in ((t.clave, t.nombre) for t in entregables_del_anio(proceso))
    ]
    for fila in periodos:
        fila["estados"] = [
            (etiqueta, fila.get(valor, 0)) for valor, etiqueta in EstadoRevision.choices
        ]
    # One formulación per servicio and year: counting formulaciones counts servicios. The
    # cartera and the compromisos are asked per row (EXISTS, a count): no join repeats rows.
    con_analista = Cartera.objects.filter(
        servicio=OuterRef("servicio"), anio=proceso.anio, rol=Cartera.Rol.ANALISTA
    )
    compromisos = (
        Compromiso.objects.filter(formulacion=OuterRef("pk"))
        .order_by()
        .values("formulacion")
        .annotate(total=Count("pk"))
        .values("total")
    )
    formulaciones = FormulacionPMG.objects.filter(proceso=proceso).aggregate(
        total=Count("pk"),
        aprobadas=Count("pk", filter=Q(estado=EstadoRevision.APROBADO)),
        servicios_con_analista=Count("pk", filter=Exists(con_analista)),
        compromisos=Sum(Subquery(compromisos)),
    )
    return {
        "periodos": periodos,
        "formulaciones": formulaciones,
        "total_compromisos": formulaciones.pop("compromisos") or 0,
    }


def periodos_hasta(periodo: str, tipo_id: int | None = None) -> list[str]:
    """The informes of the year up to `periodo`, in order: avance 1, 2, 3, final; for a year's
    own kind (`tipo_id`: the informe's kind), the kinds of its year up to it (one query)."""
    periodos = list(InformeAvance.Periodo.values)
    if periodo in periodos:
        return periodos[: periodos.index(periodo) + 1]
    if tipo_id is None:
        return [periodo]
    del_anio = TipoEntregable.objects.filter(
        proceso_id=Subquery(TipoEntregable.objects.filter(pk=tipo_id).values("proceso_id"))
    ).order_by("orden", "pk")
    claves = list(del_anio.values_list("clave", flat=True))
    return claves[: claves.index(periodo) + 1] if periodo in claves else [periodo]


def entregas_del_anio(*, informe: InformeAvance) -> dict[int, str]:
    """For each promised medio of the formulación delivered so far in the year (in this informe
    or an earlier one, by a current file), the periodo of its first delivery. One query (two
    for a year's own kind: its order)."""
    orden = periodos_hasta(informe.periodo, informe.tipo_id)
    entregas = (
        MedioVerificacion.objects.filter(
            avance__informe__formulacion=informe.formulacion_id,
            avance__informe__periodo__in=orden,
            medio_comprometido__isnull=False,
            eliminado_en__isnull=True,
            reemplazado_por__isnull=True,
        )
        .values_list("medio_comprometido_id", "avance__informe__periodo")
        .order_by()
        .distinct()
    )
    primeras: dict[int, str] = {}
    for prometido, periodo in entregas:
        if prometido not in primeras or orden.index(periodo) < orden.index(primeras[prometido]):
            primeras[prometido] = periodo
    return primeras


@dataclass
class ArchivosDelInforme:
    """The current files of an informe (neither deleted nor replaced), by avance and by form
    question, in upload order; each with the versions it replaced (`versiones_anteriores`,
    newest first)."""

    por_avance: dict[int, list[MedioVerificacion]] = field(default_factory=dict)
    por_pregunta: dict[int, list[MedioVerificacion]] = field(default_factory=dict)


def _vigentes_con_versiones(medios: list[MedioVerificacion]) -> list[MedioVerificacion]:
    """The current files among `medios` (every file of their informe, or of its questions, in
    upload order), each with the chain of versions it replaced: a replacement stays in the
    informe (and the avance or question) of the file it replaces."""
    por_pk = {medio.pk: medio for medio in medios}
    reemplazados = {medio.reemplaza_id for medio in medios if medio.reemplaza_id}
    vigentes = []
    for medio in medios:
        if medio.eliminado_en is not None or medio.pk in reemplazados:
            continue
        medio.versiones_anteriores = []
        anterior = medio.reemplaza_id
        while anterior in por_pk:
            medio.versiones_anteriores.append(por_pk[anterior])
            anterior = por_pk[anterior].reemplaza_id
        vigentes.append(medio)
    return vigentes


def archivos_del_informe(*, informe_id: int) -> ArchivosDelInforme:
    """Every file of the informe in one query (the current ones, the versions they replaced,
    the deleted ones: a handful more rows than the current files), split here: what the pages
    of an informe read three times before (the avances' files, their earlier versions and
    the questions' files)."""
    archivos = ArchivosDelInforme()
    # Explicit order within the parent: the default one joins the avance, the informe, the
    # formulación, its year and servicio (see docs/rendimiento.md).
    medios = list(
        MedioVerificacion.objects.filter(informe_id=informe_id)
        .select_related("subido_por", "medio_comprometido")
        .order_by("subido_en", "pk")
    )
    for medio in _vigentes_con_versiones(medios):
        if medio.avance_id is not None:
            archivos.por_avance.setdefault(medio.avance_id, []).append(medio)
        else:
            archivos.por_pregunta.setdefault(medio.pregunta_id, []).append(medio)
    return archivos


def avances_para_editar(
    *, informe: InformeAvance, archivos: ArchivosDelInforme | None = None
) -> list[AvanceCompromiso]:
    """The informe's avances with their compromiso, promised medios and current files (each
    with the versions it replaced). Four queries; three with `archivos` already read
    (archivos_del_informe).

    Promised medios count over the year: one delivered in an earlier informe stays delivered,
    and the checklist says in which informe (`lista_medios`: (medio, where delivered or "")).
    """
    if archivos is None:
        archivos = archivos_del_informe(informe_id=informe.pk)
    # Explicit orders within the parent: the models' default ordering starts with the parent,
    # whose own ordering ends in the formulación's year and servicio name, and would join
    # four more tables to every query of the page (see docs/rendimiento.md).
    avances = list(
        informe.avances.select_related("compromiso")
        .prefetch_related(
            Prefetch(
                "compromiso__medios_comprometidos",
                queryset=MedioComprometido.objects.order_by("orden", "pk"),
            ),
        )
        .order_by("compromiso__codigo")
    )
    entregas = entregas_del_anio(informe=informe)
    nombres = dict(InformeAvance.Periodo.choices)
    if any(periodo not in nombres for periodo in entregas.values()):
        # A year's own kinds (issue 16): their names.
        nombres |= dict(
            TipoEntregable.objects.filter(
                clave__in=set(entregas.values()), proceso__formulaciones=informe.formulacion_id
            ).values_list("clave", "nombre")
        )
    for avance in avances:
        avance.medios_vigentes = archivos.por_avance.get(avance.pk, [])
        avance.lista_medios = [
            (
                prometido,
                (
                    "en este informe"
                    if entregas.get(prometido.pk) == informe.periodo
                    else f"en el {nombres[entregas[prometido.pk]]}"
                )
                if prometido.pk in entregas
                else "",
            )
            for prometido in avance.compromiso.medios_comprometidos.all()
        ]
        total = len(avance.lista_medios)
        avance.completitud = (
            round(100 * sum(1 for _, donde in avance.lista_medios if donde) / total)
            if total
            else 100
        )
    return avances


def con_formulario(queryset: QuerySet[InformeAvance]) -> QuerySet[InformeAvance]:
    """Informes with their kind's form and their filled form, and whether the form has sections
    (a subquery in the same query: a form of only built-in blocks costs nothing more)."""
    return queryset.select_related("tipo__formulario", "llenado__plantilla").annotate(
        con_secciones=Exists(
            Seccion.objects.filter(
                Q(plantilla=OuterRef("tipo__formulario"))
                | Q(plantilla=OuterRef("llenado__plantilla"))
            )
        )
    )


def plantilla_del_informe(informe: InformeAvance) -> Plantilla:
    """The form an informe is filled with: the one its answers were given to, else its kind's."""
    return informe.llenado.plantilla if informe.llenado_id else informe.tipo.formulario


def preguntas_del_informe(informe: InformeAvance) -> QuerySet[Pregunta]:
    """The questions of the form the informe is filled with (plantilla_del_informe), as a
    query: no read of the filled form first."""
    if informe.llenado_id:
        return Pregunta.objects.filter(seccion__plantilla__llenados=informe.llenado_id)
    return Pregunta.objects.filter(seccion__plantilla=informe.tipo.formulario_id)


def observaciones_por_pregunta(rondas: list[tuple[int, list]]) -> dict[int, list]:
    """The review's remarks (already read, by round) on each question, by question id."""
    por_pregunta: dict[int, list] = {}
    for _, observaciones in rondas:
        for observacion in observaciones:
            if observacion.pregunta_id:
                por_pregunta.setdefault(observacion.pregunta_id, []).append(observacion)
    return por_pregunta


def formulario_leido(
    *,
    informe: InformeAvance,
    rondas: list[tuple[int, list]],
    veredictos: dict[int, Any],
    archivos: ArchivosDelInforme,
) -> dict | None:
    """The informe's form read as the paper form (formularios.services.arbol_con_respuestas),
    each question with the review's remarks on it (`observaciones_leidas`, from `rondas`) and
    its current files (`medios_vigentes`, from `archivos`: archivos_del_informe), each file
    with its verdict (from `veredictos`, by file id). None for a form of built-in blocks only;
    three queries otherwise.

    The informe comes with `con_secciones` (con_formulario)."""
    if not informe.con_secciones:
        return None
    secciones = formularios.arbol_con_respuestas(plantilla_del_informe(informe), informe.llenado)
    medios = archivos.por_pregunta
    observaciones = observaciones_por_pregunta(rondas)
    for pregunta in formularios.preguntas_en_orden(secciones):
        pregunta.observaciones_leidas = observaciones.get(pregunta.pk, [])
        pregunta.medios_vigentes = medios.get(pregunta.pk, [])
        for medio in pregunta.medios_vigentes:
            medio.veredicto = veredictos.get(medio.pk)
    return {"secciones": secciones, "hay_respuestas": informe.llenado_id is not None}


def preguntas_sin_medios(*, informe: InformeAvance) -> list:
    """The questions of the informe's form still short of the medios they ask for, in reading
    order, each with `medios_adjuntos` (formularios.services.preguntas_sin_medios)."""
    medios = medios_de_preguntas(informe_id=informe.pk)
    return formularios.preguntas_sin_medios(
        plantilla_del_informe(informe),
        {pregunta_id: len(lista) for pregunta_id, lista in medios.items()},
    )


def archivos_de_requisito(avances: Any, preguntas: Any = ()) -> dict[int, str]:
    """The informe's current files a requisito can rest on, by id, with how they are named:
    each compromiso's («código · archivo») then each form question's («número · archivo»).
    From what the page already read: `avances` and `preguntas` with `medios_vigentes`."""
    archivos = {
        medio.pk: f"{avance.compromiso.codigo} · {medio.nombre_original}"
        for avance in avances
        for medio in avance.medios_vigentes
    }
    for pregunta in preguntas:
        for medio in getattr(pregunta, "medios_vigentes", ()):
            archivos[medio.pk] = f"{pregunta.numero} · {medio.nombre_original}"
    return archivos


def medios_de_preguntas(*, informe_id: int) -> dict[int, list[MedioVerificacion]]:
    """The current files of the informe's form questions, by question id, in upload order;
    each with the versions it replaced (`versiones_anteriores`, newest first). One query (the
    pages of an informe read them with the rest of its files: archivos_del_informe)."""
    medios = list(
        MedioVerificacion.objects.filter(informe_id=informe_id, pregunta__isnull=False)
        .select_related("subido_por")
        .order_by("subido_en", "pk")
    )
    por_pregunta: dict[int, list[MedioVerificacion]] = {}
    for medio in _vigentes_con_versiones(medios):
        por_pregunta.setdefault(medio.pregunta_id, []).append(medio)
    return por_pregunta


def procesos_por_formular(*, servicio: Servicio) -> QuerySet[Proceso]:
    """Current and coming years for which the servicio has not started its formulación."""
    vigente = proceso_vigente()
    if vigente is None:
        return Proceso.objects.none()
    return (
        Proceso.objects.filter(anio__gte=vigente.anio)
        .exclude(formulaciones__servicio=servicio)
        .order_by("anio")
    )


def servicios_del_inicio(*, usuario: Any, proceso: Proceso) -> list[Servicio]:
    """The user's servicios (ministerio, tipo, región), each with its formulaciones of the open
    years and of `proceso` (`formulaciones_leidas`, each with its `informes_leidos`): what the
    servicio's home shows, read once for its pending work (pendientes_servicio) and the year's
    section (resumen_servicios). Three queries, whatever the number of servicios, years and
    informes (none for the formulaciones when there is no servicio, nor for the informes when
    there is no formulación).

    Each formulación gets its servicio and its year (the years kept with the catalogs: shared,
    read-only) and each informe its formulación by hand: the ORM's prefetch machinery and the
    year's join cost more than the rows (0.3–0.5 ms of CPU, of ~2.5)."""
    procesos = {abierto.pk: abierto for abierto in procesos_abiertos()}
    procesos.setdefault(proceso.pk, proceso)
    servicios = list(
        permisos.visibles(usuario, Servicio)
        .select_related("tipo", "ministerio", "region")
        .only("nombre", "tipo__nombre", "ministerio__nombre", "region__nombre")
    )
    por_id = {servicio.pk: servicio for servicio in servicios}
    for servicio in servicios:
        servicio.formulaciones_leidas = []
    # Through the door too (which formulaciones a user sees is its rule, not the servicios'),
    # limited to the servicios read.
    formulaciones: dict[int, FormulacionPMG] = {}
    if por_id:
        for formulacion in (
            permisos.visibles(
                usuario,
                FormulacionPMG,
                FormulacionPMG.objects.filter(
                    servicio__in=list(por_id), proceso__in=list(procesos)
                ),
            )
            .only("servicio_id", "proceso_id", "estado", "enviada_en")
            .order_by()
        ):
            formulacion.servicio = por_id[formulacion.servicio_id]
            formulacion.proceso = procesos[formulacion.proceso_id]
            formulacion.informes_leidos = []
            formulacion.servicio.formulaciones_leidas.append(formulacion)
            formulaciones[formulacion.pk] = formulacion
    if formulaciones:
        # What the home shows of each (no long texts); by periodo, so in no order (the
        # default one joins the year and the servicio).
        for informe in (
            InformeAvance.objects.filter(formulacion__in=list(formulaciones))
            .only(
                "formulacion_id", "periodo", "estado", "enviado_en", "es_atrasado", "prorroga_hasta"
            )
            .order_by()
        ):
            informe.formulacion = formulaciones[informe.formulacion_id]
            informe.formulacion.informes_leidos.append(informe)
    return servicios


def resumen_servicios(
    *, usuario: Any, servicios: list[Servicio], proceso: Proceso, hoy: datetime.date
) -> list[dict]:
    """For each of the user's servicios (servicios_del_inicio): this year's formulación, its
    periods and next deadlines. No query, but the membership (the permission door) and, for a
    servicio with no formulación this year, its latest one."""
    resumen = []
    for servicio in servicios:
        formulacion = next(
            (f for f in servicio.formulaciones_leidas if f.proceso_id == proceso.pk), None
        )
        anterior = (
            None
            if formulacion is not None
            else FormulacionPMG.objects.filter(servicio=servicio, proceso__anio__lt=proceso.anio)
            .select_related("proceso")
            .order_by("-proceso__anio")
            .first()
        )
        resumen.append(
            {
                "servicio": servicio,
                "formulacion": formulacion,
                "formulacion_anterior": anterior,
                "puede_informar": permisos.puede(usuario, "informe.editar", servicio),
                "periodos": (
                    periodos_de_formulacion(
                        formulacion=formulacion, informes=formulacion.informes_leidos
                    )
                    if formulacion
                    else []
                ),
                "proximos_hitos": proximos_hitos(proceso=proceso, servicio=servicio, desde=hoy),
            }
        )
    return resumen


def ultima_devolucion(*, formulacion: FormulacionPMG) -> Evento | None:
    """SUBDERE's latest return of a formulación, with what it asked to correct."""
    if formulacion.estado != EstadoRevision.OBSERVADO:
        return None
    return (
        Evento.objects.filter(
            tipo_objeto=ContentType.objects.get_for_model(FormulacionPMG),
            objeto_id=formulacion.pk,
            accion="formulacion.observar",
        )
        .select_related("usuario")
        .order_by("-momento", "-pk")
        .first()
    )


# --- Work that waits on someone, across every open process (the homes) ---------------------


def procesos_abiertos() -> list[Proceso]:
    """The years whose work may still be open, oldest first: the current one, the previous one
    (its informe final, validation and ratification run into January–March) and any year to
    come. From the years kept with the catalogs: no query."""
    todos = procesos()
    vigente = vigente_entre(todos, timezone.localdate().year)
    if vigente is None:
        return []
    return [proceso for proceso in reversed(todos) if proceso.anio >= vigente.anio - 1]


class Calendario:
    """Every hito of some processes (ids or rows), to date many documents: from the calendars
    kept with the catalogs (calendario_del_anio), no query when kept."""

    def __init__(self, procesos: Any) -> None:
        self._hitos: dict[tuple[int, str], list[Hito]] = {}
        for proceso in procesos:
            proceso_id = getattr(proceso, "pk", proceso)
            for hito in calendario_del_anio(proceso_id):
                self._hitos.setdefault((proceso_id, clave_de_hito(hito)), []).append(hito)

    def hito(self, *, proceso_id: int, tipo_id: int, etapa: str) -> Hito | None:
        """The hito of an etapa (or of a deliverable kind, by its clave: clave_de_hito) that
        applies to a kind of servicio (hitos_de_servicio's rule)."""
        return next(
            (h for h in self._hitos.get((proceso_id, etapa), []) if aplica_a(h, tipo_id)), None
        )

    def plazo(self, *, proceso_id: int, tipo_id: int, etapa: str) -> datetime.date | None:
        hito = self.hito(proceso_id=proceso_id, tipo_id=tipo_id, etapa=etapa)
        return hito.fecha_limite if hito else None


@dataclass
class Pendiente:
    """One document waiting on someone: what it is, what to do and by when."""

    anio: int
    servicio: Servicio
    documento: str
    url: str
    objeto: Any
    que_hacer: str
    plazo: datetime.date | None = None
    desde: datetime.datetime | None = None
    # False when the deadline is someone else's (the servicio's sending deadline shown to the
    # analista who reviews what it sent): it orders the list but is not this person's delay.
    plazo_propio: bool = True

    @property
    def vencido(self) -> bool:
        return self.plazo_propio and self.plazo is not None and self.plazo < timezone.localdate()


def ordenar_pendientes(pendientes: list[Pendiente]) -> list[Pendiente]:
    """Oldest deadline first; those with no deadline last, the longest-waiting first."""
    lejano = datetime.date.max
    return sorted(
        pendientes,
        key=lambda p: (
            p.plazo is None,
            p.plazo or lejano,
            p.desde.timestamp() if p.desde else float("inf"),
            p.anio,
            p.servicio.nombre,
        ),
    )


QUE_HACER_SERVICIO = {
    EstadoRevision.BORRADOR: "Completar y enviar a SUBDERE",
    EstadoRevision.OBSERVADO: "Responder las observaciones y reenviar",
}


def pendientes_servicio(
    *, servicios: list[Servicio], hoy: datetime.date
) -> dict[str, list[Pendiente]]:
    """The formulaciones and informes of every open year of the user's servicios (read by
    servicios_del_inicio): what the servicio must fill, answer or resend (`por_hacer`) and what
    SUBDERE has (`en_subdere`). No query: the open years, their calendars and deliverable kinds
    are kept with the catalogs."""
    procesos = procesos_abiertos()
    abiertos = {proceso.pk for proceso in procesos}
    formulaciones = sorted(
        (
            formulacion
            for servicio in servicios
            for formulacion in servicio.formulaciones_leidas
            if formulacion.proceso_id in abiertos
        ),
        key=lambda formulacion: (formulacion.proceso.anio, formulacion.servicio.nombre),
    )
    calendario = Calendario(procesos)
    entregables = entregables_por_anio(procesos)
    por_hacer: list[Pendiente] = []
    en_subdere: list[Pendiente] = []

    def clasificar(pendiente: Pendiente, estado: str) -> None:
        if estado in QUE_HACER_SERVICIO:
            pendiente.que_hacer = QUE_HACER_SERVICIO[estado]
            por_hacer.append(pendiente)
        elif estado in (EstadoRevision.ENVIADO, EstadoRevision.EN_REVISION):
            pendiente.que_hacer = "En revisión en SUBDERE"
            en_subdere.append(pendiente)

    for formulacion in formulaciones:
        servicio, anio = formulacion.servicio, formulacion.proceso.anio
        tipo_id = servicio.tipo_id
        clasificar(
            Pendiente(
                anio=anio,
                servicio=servicio,
                documento=f"Formulación {anio}",
                url=reverse("compromisos:formulacion_detalle", args=[formulacion.pk]),
                objeto=formulacion,
                que_hacer="",
                plazo=calendario.plazo(
                    proceso_id=formulacion.proceso_id, tipo_id=tipo_id, etapa="formulacion"
                ),
                desde=formulacion.enviada_en,
            ),
            formulacion.estado,
        )
        if formulacion.estado != EstadoRevision.APROBADO:
            continue
        informes = {informe.periodo: informe for informe in formulacion.informes_leidos}
        for tipo in entregables[formulacion.proceso_id]:
            periodo, nombre = tipo.clave, tipo.nombre
            hito = calendario.hito(
                proceso_id=formulacion.proceso_id, tipo_id=tipo_id, etapa=periodo
            )
            informe = informes.get(periodo)
            plazo = hito.fecha_limite if hito else None
            if informe is None:
                apertura = fecha_apertura(plazo=plazo, inicio=hito.fecha_inicio if hito else None)
                if apertura is not None and apertura <= hoy:
                    por_hacer.append(
                        Pendiente(
                            anio=anio,
                            servicio=servicio,
                            documento=f"{nombre} {anio}",
                            url=reverse("compromisos:formulacion_detalle", args=[formulacion.pk]),
                            objeto=None,
                            que_hacer="Abrir y completar el informe",
                            plazo=plazo,
                        )
                    )
                continue
            clasificar(
                Pendiente(
                    anio=anio,
                    servicio=servicio,
                    documento=f"{nombre} {anio}",
                    url=reverse(
                        "compromisos:informe_editar"
                        if informe.es_editable
                        else "compromisos:informe_detalle",
                        args=[informe.pk],
                    ),
                    objeto=informe,
                    que_hacer="",
                    plazo=informe.prorroga_hasta or plazo,
                    desde=informe.enviado_en,
                ),
                informe.estado,
            )
    return {
        "por_hacer": ordenar_pendientes(por_hacer),
        "en_subdere": ordenar_pendientes(en_subdere),
    }


def archivos_de_instantanea(*, instantanea: Instantanea) -> list[dict]:
    """The files a snapshot froze, per compromiso (`codigo`) and then per form question
    (`codigo`: the question's name, `pregunta_id`), with the stored file of each (to download
    and re-hash; None if the SRM no longer finds one with that content). One query."""
    avances = instantanea.contenido.get("avances", {})
    # Snapshots taken before the questions' files (issue 16) have none.
    preguntas = instantanea.contenido.get("medios_preguntas", {})
    firmas = {sha for datos in avances.values() for sha in datos.get("medios", {})} | {
        sha for datos in preguntas.values() for sha in datos["medios"]
    }
    guardados: dict[tuple[str, str], MedioVerificacion] = {}
    for medio in (
        MedioVerificacion.objects.filter(informe=instantanea.informe_id, sha256__in=firmas)
        .select_related("avance__compromiso")
        .order_by(F("eliminado_en").desc(nulls_first=True), "pk")
    ):
        donde = (
            medio.avance.compromiso.codigo
            if medio.avance_id is not None
            else f"pregunta-{medio.pregunta_id}"
        )
        # A file withdrawn and uploaded again has two rows: the current one is kept.
        guardados.setdefault((donde, medio.sha256), medio)
    return [
        {
            "codigo": codigo,
            "nombre": datos["nombre"],
            "sha256": sha,
            "medio": guardados.get((codigo, sha)),
        }
        for codigo in sorted(avances)
        for sha, datos in avances[codigo].get("medios", {}).items()
    ] + [
        {
            "codigo": preguntas[clave]["pregunta"],
            "pregunta_id": int(clave),
            "nombre": datos["nombre"],
            "sha256": sha,
            "medio": guardados.get((f"pregunta-{clave}", sha)),
        }
        for clave in sorted(preguntas, key=int)
        for sha, datos in preguntas[clave]["medios"].items()
    ]


def ultima_verificacion(*, instantanea: Instantanea) -> Evento | None:
    """The latest integrity check of a snapshot, from the log."""
    return (
        Evento.objects.filter(
            tipo_objeto=ContentType.objects.get_for_model(Instantanea),
            objeto_id=instantanea.pk,
            accion="instantanea.verificar",
        )
        .select_related("usuario")
        .order_by("-momento", "-pk")
        .first()
    )
