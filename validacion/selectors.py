"""Reads of the review workflow."""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.http import QueryDict
from django.urls import reverse

from bitacora.models import Evento
from compromisos import selectors as compromisos_selectors
from compromisos.models import (
    CAMPOS_AVANCE,
    CAMPOS_RESUMEN,
    EstadoRevision,
    FormulacionPMG,
    InformeAvance,
    Instantanea,
    MedioVerificacion,
)
from compromisos.selectors import (
    Calendario,
    Pendiente,
    en_cartera_del_analista,
    etapa_comprometida,
    ordenar_pendientes,
    procesos_abiertos,
    vinculos_por_requisito,
)
from formularios import instantanea as formularios_instantanea
from servicios.models import Ministerio, Region, TipoServicio
from srm import permisos
from srm.paginacion import PaginaPorClave, paginar_por_clave
from validacion.models import (
    Observacion,
    RespuestaObservacion,
    ValidacionIniciativa,
    ValidacionServicio,
    VeredictoMedio,
    VeredictoRequisito,
)


def observaciones_por_ronda(
    *, informe: InformeAvance | None = None, formulacion: FormulacionPMG | None = None
) -> list[tuple[int, list[Observacion]]]:
    """Every observación of the informe (or of the formulación's own review) with its thread,
    grouped by round, newest round first."""
    # Ordered within the remark: the default order joins the remark's formulación and informe.
    respuestas = RespuestaObservacion.objects.select_related("autor").order_by("creado", "pk")
    # A formulación's own remarks point to no avance nor file (a constraint of Observacion):
    # joining them would only cost planning.
    propias = (
        Observacion.objects.filter(informe=informe).select_related(
            "autor", "avance__compromiso", "medio"
        )
        if informe is not None
        else Observacion.objects.filter(
            formulacion=formulacion, informe__isnull=True
        ).select_related("autor")
    )
    observaciones = propias.prefetch_related(Prefetch("respuestas", queryset=respuestas)).order_by(
        "-ronda", "creado", "pk"
    )
    return [(ronda, list(grupo)) for ronda, grupo in groupby(observaciones, key=lambda o: o.ronda)]


def diferencias_entre_rondas(
    *, informe: InformeAvance, instantaneas: list[Instantanea] | None = None
) -> dict[str, list[dict]]:
    """What changed between the last two submissions: texts, progress and files per
    compromiso, and the answers per question of the kind's form. One query; none with
    `instantaneas`, every snapshot of the informe when the page already read them."""
    if instantaneas is None:
        envios = list(
            Instantanea.objects.filter(informe=informe, motivo=Instantanea.Motivo.ENVIO).order_by(
                "-ronda"
            )[:2]
        )
    else:
        envios = sorted(
            (i for i in instantaneas if i.motivo == Instantanea.Motivo.ENVIO),
            key=lambda instantanea: instantanea.ronda,
            reverse=True,
        )[:2]
    if len(envios) < 2:
        return {"compromisos": [], "respuestas": []}
    return {
        # The files of the form's questions change like a compromiso's, by question.
        "compromisos": _diferencias_de_avances(
            envios[1].contenido["avances"], envios[0].contenido["avances"]
        )
        + _diferencias_de_avances(
            _por_nombre(envios[1].contenido.get("medios_preguntas", {})),
            _por_nombre(envios[0].contenido.get("medios_preguntas", {})),
        ),
        # Snapshots taken before the forms (issue 16) have no answers: nothing to compare.
        "respuestas": formularios_instantanea.comparar(
            envios[1].contenido.get("respuestas", {}), envios[0].contenido.get("respuestas", {})
        ),
    }


def _por_nombre(medios_preguntas: dict) -> dict:
    """A snapshot's question files keyed by the question's name, as avances are by code."""
    return {datos["pregunta"]: {"medios": datos["medios"]} for datos in medios_preguntas.values()}


def _diferencias_de_avances(anterior: dict, actual: dict) -> list[dict]:
    cambios = []
    for codigo in sorted(set(actual) | set(anterior)):
        nuevo, viejo = actual.get(codigo, {}), anterior.get(codigo, {})
        textos = [
            {"campo": ETIQUETAS_CAMPOS[campo], "antes": viejo.get(campo), "ahora": nuevo.get(campo)}
            for campo in CAMPOS_AVANCE
            if viejo.get(campo) != nuevo.get(campo)
        ]
        medios_nuevos, medios_viejos = nuevo.get("medios", {}), viejo.get("medios", {})
        reemplazados = {
            datos["reemplaza"] for datos in medios_nuevos.values() if datos["reemplaza"]
        }
        archivos = [
            {
                "cambio": "reemplazado" if datos["reemplaza"] in medios_viejos else "agregado",
                "nombre": datos["nombre"],
                "antes": medios_viejos.get(datos["reemplaza"], {}).get("nombre"),
            }
            for sha, datos in medios_nuevos.items()
            if sha not in medios_viejos
        ] + [
            {"cambio": "quitado", "nombre": datos["nombre"], "antes": None}
            for sha, datos in medios_viejos.items()
            if sha not in medios_nuevos and sha not in reemplazados
        ]
        if textos or archivos:
            cambios.append(
                {
                    "codigo": codigo,
                    "compromiso": nuevo.get("compromiso") or viejo.get("compromiso"),
                    "textos": textos,
                    "archivos": archivos,
                }
            )
    return cambios


ETIQUETAS_CAMPOS = {
    "porcentaje": "Porcentaje de avance",
    "desarrollo_alcanzado": "Desarrollo alcanzado",
    "dificultades": "Dificultades",
    "proximos_pasos": "Próximos pasos",
}


def linea_de_tiempo(*, informe: InformeAvance) -> list[Evento]:
    """Every logged event about the informe, its observaciones and its files, oldest first."""
    tipos = ContentType.objects.get_for_models(InformeAvance, Observacion, MedioVerificacion)
    observaciones = informe.observaciones.values("pk")
    medios = MedioVerificacion.objects.filter(informe=informe).values("pk")
    return list(
        Evento.objects.filter(
            Q(tipo_objeto=tipos[InformeAvance], objeto_id=informe.pk)
            | Q(tipo_objeto=tipos[Observacion], objeto_id__in=observaciones)
            | Q(tipo_objeto=tipos[MedioVerificacion], objeto_id__in=medios)
        )
        .select_related("usuario")
        .order_by("momento", "pk")
    )


def observaciones_de_formulacion(*, formulacion: FormulacionPMG) -> list[tuple[int, list]]:
    """The formulación's own review by round (compromisos.revision's reader)."""
    return observaciones_por_ronda(formulacion=formulacion)


def linea_de_tiempo_formulacion(*, formulacion: FormulacionPMG) -> list[Evento]:
    """Every logged event about the formulación and the remarks of its own review, oldest first."""
    tipos = ContentType.objects.get_for_models(FormulacionPMG, Observacion)
    observaciones = Observacion.objects.filter(
        formulacion=formulacion, informe__isnull=True
    ).values("pk")
    return list(
        Evento.objects.filter(
            Q(tipo_objeto=tipos[FormulacionPMG], objeto_id=formulacion.pk)
            | Q(tipo_objeto=tipos[Observacion], objeto_id__in=observaciones)
        )
        .select_related("usuario")
        .order_by("momento", "pk")
    )


def _abiertas(observaciones: QuerySet[Observacion]) -> Prefetch:
    """The open observaciones of each row shown (`abiertas`, a list), read for the page only.

    For the model objects of `bandeja` and `bandeja_formulaciones`. The queue's page, read as
    columns (`pagina_de_bandeja`), counts them in its own query: paged by key, no rows are
    skipped with an OFFSET, for which PostgreSQL counted them too (ten years of informes
    before the last page, when the queue was paged by number).
    """
    return Prefetch(
        "observaciones",
        # Unordered: they are only counted, and the default order joined eight tables
        # (year and servicio of the informe and of the formulación) to sort them.
        queryset=observaciones.filter(estado=Observacion.Estado.ABIERTA)
        .only("pk", "informe_id", "formulacion_id")
        .order_by(),
        to_attr="abiertas",
    )


# The queue shows each servicio's ministerio, tipo and región. Joined in the page's query they
# made PostgreSQL plan eight tables (≈20 ms of planning for 3 ms of execution); read for the
# rows of the page, they are three small queries.
CATALOGOS_DEL_SERVICIO = ("servicio__ministerio", "servicio__tipo", "servicio__region")


def bandeja_formulaciones(*, usuario: Any, catalogos: bool = True) -> QuerySet[FormulacionPMG]:
    """Formulaciones sent to SUBDERE, with what the queue shows, the longest-waiting first.
    `catalogos=False`: the page names them from its filter's (`pagina_de_bandeja`)."""
    return (
        permisos.visibles(usuario, FormulacionPMG)
        .exclude(estado=EstadoRevision.BORRADOR)
        .select_related("servicio", "proceso")
        .prefetch_related(
            *(CATALOGOS_DEL_SERVICIO if catalogos else ()),
            _abiertas(Observacion.objects.filter(informe__isnull=True)),
        )
        .order_by(F("enviada_en").asc(nulls_last=True), "pk")
    )


def bandeja(*, usuario: Any, catalogos: bool = True) -> QuerySet[InformeAvance]:
    """Informes SUBDERE can review, with what the queue shows, the longest-waiting first.
    `catalogos=False`: the page names them from its filter's (`pagina_de_bandeja`)."""
    return (
        permisos.visibles(usuario, InformeAvance)
        .exclude(estado=EstadoRevision.BORRADOR)
        .select_related("formulacion__servicio", "formulacion__proceso")
        # The queue shows none of the informe's long texts.
        .defer(*CAMPOS_RESUMEN, "justificacion_medios_faltantes")
        .prefetch_related(
            *(
                (f"formulacion__{catalogo}" for catalogo in CATALOGOS_DEL_SERVICIO)
                if catalogos
                else ()
            ),
            _abiertas(Observacion.objects.all()),
        )
        .order_by(F("enviado_en").asc(nulls_last=True), "pk")
    )


@dataclass(slots=True)
class FilaBandeja:
    """One row of the queue: only what it shows. Model objects (an informe with its
    formulación, servicio and proceso, and its open observaciones: ~360 a page with every
    state) took about a third of the page's server time to build."""

    pk: int
    estado: str
    momento: datetime.datetime | None
    servicio: str
    tipo: str
    ministerio: str
    region: str | None
    anio: int
    periodo: str = ""  # an informe's «Avance 1», «Informe final»…
    atrasado: bool = False
    abiertas: int = 0

    def get_estado_display(self) -> str:  # what the state badge (srm_formato.estado) reads
        return EstadoRevision(self.estado).label


# The columns each list's rows show (srm.paginacion reads the page with them), from the same
# filtered queryset: one filter.
COLUMNAS_INFORMES = (
    "pk",
    "estado",
    "enviado_en",
    "periodo",
    "tipo_id",
    "es_atrasado",
    "formulacion__proceso__anio",
    "formulacion__servicio__nombre",
    "formulacion__servicio__tipo_id",
    "formulacion__servicio__ministerio_id",
    "formulacion__servicio__region_id",
)
COLUMNAS_FORMULACIONES = (
    "pk",
    "estado",
    "enviada_en",
    "proceso__anio",
    "servicio__nombre",
    "servicio__tipo_id",
    "servicio__ministerio_id",
    "servicio__region_id",
)


def _abiertas_por_fila(*, informes: bool) -> Subquery:
    """The open observaciones of the row (an informe or a formulación), counted in the page's
    query: paged by key, the page skips no rows, so PostgreSQL counts them for the rows of the
    page only (after its LIMIT), not for the list's."""
    abiertas = Observacion.objects.filter(
        estado=Observacion.Estado.ABIERTA,
        **{"informe" if informes else "formulacion": OuterRef("pk")},
    )
    if not informes:  # a formulación's own review: not its informes' remarks
        abiertas = abiertas.filter(informe__isnull=True)
    # COUNT without GROUP BY: one row, 0 when there are none.
    return Subquery(abiertas.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n"))


# Built once: an expression is copied when a query uses it (resolve_expression), never changed.
_ABIERTAS = {informes: _abiertas_por_fila(informes=informes) for informes in (True, False)}


def pagina_de_bandeja(
    queryset: QuerySet, consulta: QueryDict, *, informes: bool, catalogos: dict[str, list]
) -> PaginaPorClave:
    """One page of one of the queue's lists (`bandeja` or `bandeja_formulaciones`, filtered),
    paged by key and read as the columns its rows show (`FilaBandeja`), with the open
    observaciones of each row, in one query. `catalogos`: the filter's ministerios, tipos
    and regiones (it offers all of them), which the rows name."""
    pagina = paginar_por_clave(
        queryset,
        consulta,
        "pagina" if informes else "pagina_formulaciones",
        campo="enviado_en" if informes else "enviada_en",
        columnas=COLUMNAS_INFORMES if informes else COLUMNAS_FORMULACIONES,
        anotaciones={"abiertas": _ABIERTAS[informes]},
    )
    pagina.object_list = filas_bandeja(
        pagina.object_list,
        informes=informes,
        ministerios=catalogos["ministerio"],
        tipos=catalogos["tipo"],
        regiones=catalogos["region"],
    )
    return pagina


def filas_bandeja(
    tuplas: Sequence,
    *,
    informes: bool,
    ministerios: Iterable[Ministerio],
    tipos: Iterable[TipoServicio],
    regiones: Iterable[Region],
) -> list[FilaBandeja]:
    """The rows of one page of the queue, from its tuples (`COLUMNAS_INFORMES` or
    `COLUMNAS_FORMULACIONES`, and `abiertas`): each servicio's ministerio, tipo and región
    taken from the catalogs the page already read (the filter offers all of them)."""
    if not tuplas:
        return []
    prefijo = "formulacion__servicio__" if informes else "servicio__"
    catalogos = _catalogos_de(
        tuplas,
        prefijo,
        ministerio=(Ministerio, {m.pk: m.sigla for m in ministerios}, "sigla"),
        tipo=(TipoServicio, {t.pk: t.nombre for t in tipos}, "nombre"),
        region=(Region, {r.pk: r.nombre for r in regiones}, "nombre"),
    )
    tipos_por_id, ministerios_por_id = catalogos["tipo"], catalogos["ministerio"]
    regiones_por_id = catalogos["region"]
    filas = []
    if informes:
        for t in tuplas:
            periodo = compromisos_selectors.nombre_de_periodo(t.periodo, t.tipo_id)
            filas.append(
                FilaBandeja(
                    pk=t.pk,
                    estado=t.estado,
                    momento=t.enviado_en,
                    servicio=t.formulacion__servicio__nombre,
                    tipo=tipos_por_id[t.formulacion__servicio__tipo_id],
                    ministerio=ministerios_por_id[t.formulacion__servicio__ministerio_id],
                    region=regiones_por_id.get(t.formulacion__servicio__region_id),
                    anio=t.formulacion__proceso__anio,
                    periodo=periodo,
                    atrasado=t.es_atrasado,
                    abiertas=t.abiertas,
                )
            )
    else:
        for t in tuplas:
            filas.append(
                FilaBandeja(
                    pk=t.pk,
                    estado=t.estado,
                    momento=t.enviada_en,
                    servicio=t.servicio__nombre,
                    tipo=tipos_por_id[t.servicio__tipo_id],
                    ministerio=ministerios_por_id[t.servicio__ministerio_id],
                    region=regiones_por_id.get(t.servicio__region_id),
                    anio=t.proceso__anio,
                    abiertas=t.abiertas,
                )
            )
    return filas


def _catalogos_de(tuplas: Sequence, prefijo: str, **catalogos) -> dict[str, dict]:
    """Each catalog's names by id; one a row names that is not among those read (none today:
    the filter offers every one) is read here."""
    nombres = {}
    for campo, (modelo, por_id, atributo) in catalogos.items():
        faltan = {getattr(t, f"{prefijo}{campo}_id") for t in tuplas} - por_id.keys() - {None}
        if faltan:
            por_id = por_id | dict(modelo.objects.filter(pk__in=faltan).values_list("pk", atributo))
        nombres[campo] = por_id
    return nombres


@dataclass(frozen=True)
class MedioDelAnio:
    """A current file of the year as the validation page lists it: its informe's periodo by
    name, and whether the iniciativa's validation examined it."""

    pk: int
    nombre_original: str
    periodo: str
    examinado: bool


@dataclass(frozen=True)
class ValidacionRegistrada:
    """The consultora's verdict on an iniciativa, as the validation page shows it."""

    resultado: str
    fundamento: str

    @property
    def nombre_resultado(self) -> str:
        # As ValidacionIniciativa.get_resultado_display names it.
        return _NOMBRES_RESULTADO.get(self.resultado, self.resultado)


_NOMBRES_RESULTADO = dict(ValidacionServicio.Resultado.choices)


@dataclass
class IniciativaAValidar:
    """An iniciativa (compromiso) on the validation page: its names, its verdict (None before
    the first) and every current file of the year."""

    pk: int
    codigo: str
    nombre: str
    meta: str
    validacion_registrada: ValidacionRegistrada | None
    medios_del_anio: list[MedioDelAnio]


def iniciativas_para_validar(*, formulacion: FormulacionPMG) -> list[IniciativaAValidar]:
    """The formulación's iniciativas in order of code, with their verdict and every current file
    of every informe.

    Two queries, read as columns (the page shows names, not rows to change): the iniciativas
    with their validation (a reverse one-to-one, joined), and every current file of the year
    with its informe's periodo and whether the validation examined it (at once, not through
    each iniciativa's avances).
    """
    compromisos = formulacion.compromisos.order_by("codigo").values_list(
        "pk",
        "codigo",
        "nombre",
        "meta",
        "validacion__pk",
        "validacion__resultado",
        "validacion__fundamento",
    )
    examinado = Exists(
        ValidacionIniciativa.medios_examinados.through.objects.filter(
            medioverificacion_id=OuterRef("pk"),
            validacioniniciativa__compromiso_id=OuterRef("avance__compromiso_id"),
        )
    )
    vigentes = (
        MedioVerificacion.objects.filter(
            avance__compromiso__formulacion=formulacion,
            eliminado_en__isnull=True,
            reemplazado_por__isnull=True,
        )
        .order_by("avance__informe__periodo", "nombre_original", "pk")
        .values_list(
            "pk",
            "nombre_original",
            "avance__compromiso_id",
            "avance__informe__periodo",
            "avance__informe__tipo_id",
            examinado,
        )
    )
    por_compromiso: dict[int, list[MedioDelAnio]] = {}
    for pk, nombre, compromiso_id, periodo, tipo_id, fue_examinado in vigentes:
        por_compromiso.setdefault(compromiso_id, []).append(
            MedioDelAnio(
                pk, nombre, compromisos_selectors.nombre_de_periodo(periodo, tipo_id), fue_examinado
            )
        )
    return [
        IniciativaAValidar(
            pk=pk,
            codigo=codigo,
            nombre=nombre,
            meta=meta,
            validacion_registrada=None
            if validacion_pk is None
            else ValidacionRegistrada(resultado, fundamento),
            medios_del_anio=por_compromiso.get(pk, []),
        )
        for pk, codigo, nombre, meta, validacion_pk, resultado, fundamento in compromisos
    ]


def veredictos_vigentes(*, informe: InformeAvance) -> dict[int, VeredictoMedio]:
    """The latest verdict on each file of the informe, so the servicio knows which to fix."""
    veredictos = VeredictoMedio.objects.filter(medio__informe=informe).order_by("medio_id", "ronda")
    return {veredicto.medio_id: veredicto for veredicto in veredictos}


POR_REVISAR = [EstadoRevision.ENVIADO, EstadoRevision.EN_REVISION]


def pendientes_analista(*, usuario: Any) -> list[Pendiente]:
    """What waits on the analista across every open year, in its cartera of each year: informes
    and formulaciones sent or under review, validations to ratify, DIPRES registrations.
    Two queries, whatever the number (the open years and their calendars are kept with the
    catalogs)."""
    procesos = procesos_abiertos()
    calendario = Calendario(procesos)
    pendientes: list[Pendiente] = []
    informes = (
        permisos.visibles(usuario, InformeAvance)
        .filter(formulacion__proceso__in=procesos, estado__in=POR_REVISAR)
        .filter(
            en_cartera_del_analista(usuario, "formulacion__servicio", "formulacion__proceso__anio")
        )
        .select_related("formulacion__servicio", "formulacion__proceso")
        # What the rows show (no long texts), unordered: the list is sorted by deadline.
        .only(
            "estado",
            "periodo",
            "tipo_id",
            "prorroga_hasta",
            "enviado_en",
            "formulacion__proceso__anio",
            "formulacion__servicio__nombre",
            "formulacion__servicio__tipo_id",
        )
        .order_by()
    )
    for informe in informes:
        formulacion = informe.formulacion
        pendientes.append(
            Pendiente(
                anio=formulacion.proceso.anio,
                servicio=formulacion.servicio,
                documento=(
                    f"{compromisos_selectors.nombre_de_periodo(informe.periodo, informe.tipo_id)} "
                    f"{formulacion.proceso.anio}"
                ),
                url=reverse("validacion:informe_revisar", args=[informe.pk]),
                objeto=informe,
                que_hacer="Revisar el informe"
                if informe.estado == EstadoRevision.EN_REVISION
                else "Tomar en revisión",
                plazo=informe.prorroga_hasta
                or calendario.plazo(
                    proceso_id=formulacion.proceso_id,
                    tipo_id=formulacion.servicio.tipo_id,
                    etapa=informe.periodo,
                ),
                desde=informe.enviado_en,
                plazo_propio=False,
            )
        )
    # The formulaciones sent or under review and those whose validation waits on the analista,
    # in one query: each row says which of the two it is.
    formulaciones = (
        permisos.visibles(usuario, FormulacionPMG)
        .filter(proceso__in=procesos)
        .filter(en_cartera_del_analista(usuario, "servicio", "proceso__anio"))
        .annotate(
            por_revisar=ExpressionWrapper(Q(estado__in=POR_REVISAR), BooleanField()),
            validacion_por_atender=ExpressionWrapper(
                Q(validacion__estado=ValidacionServicio.Estado.ENVIADA)
                | Q(
                    validacion__estado=ValidacionServicio.Estado.RATIFICADA,
                    validacion__registrada_dipres_en__isnull=True,
                ),
                BooleanField(),
            ),
        )
        .filter(Q(por_revisar=True) | Q(validacion_por_atender=True))
        .select_related("servicio", "proceso", "validacion")
        .only(
            "estado",
            "enviada_en",
            "proceso__anio",
            "servicio__nombre",
            "servicio__tipo_id",
            "validacion__estado",
            "validacion__enviada_en",
            "validacion__ratificada_en",
        )
        .order_by()
    )
    for formulacion in formulaciones:
        anio, tipo_id = formulacion.proceso.anio, formulacion.servicio.tipo_id
        if formulacion.por_revisar:
            pendientes.append(
                Pendiente(
                    anio=anio,
                    servicio=formulacion.servicio,
                    documento=f"Formulación {anio}",
                    url=reverse("validacion:formulacion_revisar", args=[formulacion.pk]),
                    objeto=formulacion,
                    que_hacer="Revisar la formulación"
                    if formulacion.estado == EstadoRevision.EN_REVISION
                    else "Tomar en revisión",
                    plazo=calendario.plazo(
                        proceso_id=formulacion.proceso_id, tipo_id=tipo_id, etapa="formulacion"
                    ),
                    desde=formulacion.enviada_en,
                    plazo_propio=False,
                )
            )
        if formulacion.validacion_por_atender:
            validacion = formulacion.validacion
            por_ratificar = validacion.estado == ValidacionServicio.Estado.ENVIADA
            pendientes.append(
                Pendiente(
                    anio=anio,
                    servicio=formulacion.servicio,
                    documento=f"Validación final {anio}",
                    url=reverse("validacion:servicio_validar", args=[formulacion.pk]),
                    objeto=None,
                    que_hacer="Ratificar o devolver la validación"
                    if por_ratificar
                    else "Registrar el resultado en DIPRES",
                    plazo=calendario.plazo(
                        proceso_id=formulacion.proceso_id, tipo_id=tipo_id, etapa="validacion"
                    ),
                    desde=validacion.enviada_en if por_ratificar else validacion.ratificada_en,
                )
            )
    return ordenar_pendientes(pendientes)


ESTADOS_VALIDACION_ABIERTA = [
    ValidacionServicio.Estado.EN_CURSO,
    ValidacionServicio.Estado.DEVUELTA,
]


def asignaciones_abiertas(*, usuario: Any) -> list[FormulacionPMG]:
    """The consultora's assigned servicios of every open year, with their informe final and
    validation; those whose validation is open or returned (`es_pendiente`) first. One query
    (the open years and their calendars are kept with the catalogs)."""
    procesos = procesos_abiertos()
    calendario = Calendario(procesos)
    final = InformeAvance.objects.filter(
        formulacion=OuterRef("pk"), periodo=InformeAvance.Periodo.FINAL
    )
    formulaciones = list(
        permisos.visibles(usuario, FormulacionPMG)
        .filter(proceso__in=procesos)
        .select_related("servicio__tipo", "proceso", "validacion")
        .annotate(
            estado_final=Subquery(final.values("estado")[:1]),
            total_compromisos=Count("compromisos", distinct=True),
        )
    )
    for formulacion in formulaciones:
        validacion = getattr(formulacion, "validacion", None)
        formulacion.estado_validacion = validacion.estado if validacion else None
        formulacion.es_pendiente = formulacion.estado_final == EstadoRevision.APROBADO and (
            validacion is None or validacion.estado in ESTADOS_VALIDACION_ABIERTA
        )
        formulacion.plazo_validacion = calendario.plazo(
            proceso_id=formulacion.proceso_id,
            tipo_id=formulacion.servicio.tipo_id,
            etapa="validacion",
        )
    return sorted(
        formulaciones,
        key=lambda f: (
            not f.es_pendiente,
            f.plazo_validacion is None,
            f.plazo_validacion or datetime.date.max,
            f.proceso.anio,
            f.servicio.nombre,
        ),
    )


def veredictos_requisito(
    *, formulacion_id: int, informe_id: int | None
) -> dict[int, VeredictoRequisito]:
    """The analyst's verdicts on the requisitos in one informe's review (informe_id), or the
    consultora's in the validation (None), by requisito, with their files. Two queries."""
    veredictos = (
        VeredictoRequisito.objects.filter(formulacion_id=formulacion_id, informe_id=informe_id)
        .select_related("usuario")
        .prefetch_related(
            Prefetch("medios", queryset=MedioVerificacion.objects.order_by("nombre_original"))
        )
        .order_by()
    )
    return {veredicto.requisito_id: veredicto for veredicto in veredictos}


def requisitos_para_calificar(
    *,
    formulacion_id: int,
    informe_id: int | None,
    medios: dict,
    periodo_vinculos: str = "",
    tipo: Any = None,
):
    """The committed etapa with, for each requisito, the servicio's linked files (`vinculados`,
    their ids in `ligados`: those of the informe reviewed, or of the informe of
    `periodo_vinculos` in the validation) and the verdict (`veredicto`). `medios`: id → label
    of the page's files; `tipo`, the informe's kind: nothing when it does not report on the
    etapa. One query without requisitos; six with them."""
    etapa = etapa_comprometida(formulacion_id=formulacion_id, tipo=tipo)
    if not etapa.requisitos:
        return etapa
    veredictos = veredictos_requisito(formulacion_id=formulacion_id, informe_id=informe_id)
    vinculos = (
        vinculos_por_requisito(informe_id=informe_id)
        if informe_id is not None
        else vinculos_por_requisito(formulacion_id=formulacion_id, periodo=periodo_vinculos)
    )
    for requisito in etapa.requisitos:
        requisito.ligados = vinculos.get(requisito.pk, set())
        requisito.vinculados = sorted(medios[m] for m in requisito.ligados if m in medios)
        requisito.veredicto = veredictos.get(requisito.pk)
    return etapa
