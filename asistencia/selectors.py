"""Reads of technical assistance, scoped through srm.permisos."""

import datetime
from typing import Any

from django.db.models import (
    Avg,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from asistencia.models import (
    Actividad,
    Acuerdo,
    CanalContacto,
    Consulta,
    Contacto,
    Convocado,
    DocumentoTecnico,
    Inscripcion,
    LecturaDocumento,
    MensajeConsulta,
    TipoActividad,
    VersionDocumento,
)
from asistencia.models import ConfiguracionAsistencia as Configuracion
from bitacora.models import Evento
from compromisos.models import EstadoRevision, FormulacionPMG, InformeAvance
from compromisos.selectors import Calendario, Pendiente, en_cartera_del_analista
from habiles.calendario import CalendarioHabil
from servicios.models import Servicio
from srm import formato, permisos


def configuracion(anio: int) -> Configuracion:
    """The year's settings; unsaved defaults (`pk` None) when the Unidad has not set them."""
    return Configuracion.objects.filter(anio=anio).first() or Configuracion(anio=anio)


# --- Consultas ------------------------------------------------------------------------------


def consultas(*, usuario: Any, anio: int | None = None) -> QuerySet[Consulta]:
    """The consultas this user may read (a servicio: its own), with what a list shows."""
    queryset = permisos.visibles(usuario, Consulta).select_related(
        "servicio", "autor", "compromiso", "informe__tipo"
    )
    if anio is not None:
        queryset = queryset.filter(anio=anio)
    # Pending first, the nearest deadline first.
    return queryset.annotate(mensajes_total=Count("mensajes")).order_by("estado", "plazo", "pk")


def preguntas_frecuentes(*, anio: int | None = None) -> QuerySet[Consulta]:
    """Published answers: every servicio reads them, without who asked."""
    queryset = Consulta.objects.filter(publicada_en__isnull=False).only(
        "pk", "anio", "pregunta_publicada", "respuesta_publicada", "publicada_en"
    )
    if anio is not None:
        queryset = queryset.filter(anio=anio)
    return queryset.order_by("-publicada_en", "-pk")


# --- The plan -------------------------------------------------------------------------------


def actividades(*, usuario: Any, anio: int) -> QuerySet[Actividad]:
    """The year's plan for SUBDERE; for a servicio, the activities it is convened to."""
    queryset = Actividad.objects.filter(anio=anio)
    if not permisos.puede(usuario, "asistencia.cifras"):
        queryset = queryset.filter(
            pk__in=permisos.visibles(usuario, Convocado).values("actividad_id")
        )
    return (
        queryset.select_related("responsable")
        .annotate(
            convocados_total=Count("convocados", distinct=True),
            inscritos_total=Count("convocados__inscritos", distinct=True),
        )
        .order_by("inicio", "pk")
    )


def actividad_visible(*, usuario: Any, pk: Any) -> Actividad:
    """One activity the user may read, or 404: a servicio not convened cannot tell it exists."""
    queryset = Actividad.objects.select_related("responsable")
    if not permisos.puede(usuario, "asistencia.cifras"):
        queryset = queryset.filter(
            pk__in=permisos.visibles(usuario, Convocado).values("actividad_id")
        )
    try:
        return queryset.get(pk=pk)
    except (Actividad.DoesNotExist, ValueError, TypeError):
        raise permisos.FueraDeAlcance(
            "Actividad no encontrada.", servicio_id=None, descripcion=f"actividad n.º {pk}"[:300]
        ) from None


def convocados_de(*, usuario: Any, actividad: Actividad) -> list[Convocado]:
    """The convened servicios the user sees (a servicio: its own), with their registrations."""
    return list(
        permisos.visibles(usuario, Convocado, actividad.convocados.all())
        .select_related("servicio")
        .prefetch_related(Prefetch("inscritos", queryset=Inscripcion.objects.order_by("pk")))
        .order_by("servicio__nombre")
    )


def acuerdos_de(*, usuario: Any, actividad: Actividad) -> list[Acuerdo]:
    """The acta's acuerdos: SUBDERE sees all; a servicio, its own and the general ones."""
    queryset = actividad.acuerdos.select_related("servicio", "cerrado_por")
    if not permisos.puede(usuario, "asistencia.cifras"):
        queryset = queryset.filter(
            Q(servicio__isnull=True) | Q(pk__in=permisos.visibles(usuario, Acuerdo).values("pk"))
        )
    return list(queryset)


def acuerdos_abiertos(*, usuario: Any, anio: int) -> QuerySet[Acuerdo]:
    return (
        permisos.visibles(usuario, Acuerdo)
        .filter(actividad__anio=anio, cerrado_en__isnull=True)
        .select_related("actividad", "servicio")
        .order_by("plazo", "pk")
    )


def servicios_atrasados(*, anio: int, periodo: str, hoy: datetime.date) -> list[Servicio]:
    """Servicios late in an informe: its deadline (or extension) passed and it was not sent, or
    it was sent late. Read from compromisos' calendar and informes, in four queries."""
    formulaciones = (
        FormulacionPMG.objects.filter(proceso__anio=anio, estado=EstadoRevision.APROBADO)
        .select_related("servicio", "proceso")
        .prefetch_related(
            Prefetch("informes", queryset=InformeAvance.objects.filter(periodo=periodo))
        )
        .order_by("servicio__nombre")
    )
    formulaciones = list(formulaciones)
    calendario = Calendario({f.proceso_id for f in formulaciones})
    atrasados = []
    for formulacion in formulaciones:
        informe = next(iter(formulacion.informes.all()), None)
        if informe is not None and informe.es_atrasado:
            atrasados.append(formulacion.servicio)
            continue
        plazo = (informe.prorroga_hasta if informe else None) or calendario.plazo(
            proceso_id=formulacion.proceso_id, tipo_id=formulacion.servicio.tipo_id, etapa=periodo
        )
        enviado = informe is not None and informe.enviado_en is not None
        if plazo is not None and plazo < hoy and not enviado:
            atrasados.append(formulacion.servicio)
    return atrasados


def servicios_elegibles(
    *,
    anio: int,
    tipo: Any = None,
    ministerio: Any = None,
    region: Any = None,
    atrasados_en: str = "",
    hoy: datetime.date | None = None,
) -> list[Servicio]:
    """The servicios of the year's PMG (with a formulación) that fit the criteria chosen."""
    queryset = Servicio.objects.filter(formulaciones__proceso__anio=anio)
    if tipo:
        queryset = queryset.filter(tipo=tipo)
    if ministerio:
        queryset = queryset.filter(ministerio=ministerio)
    if region:
        queryset = queryset.filter(region=region)
    servicios = list(queryset.order_by("nombre").distinct())
    if atrasados_en:
        atrasados = {
            s.pk
            for s in servicios_atrasados(
                anio=anio, periodo=atrasados_en, hoy=hoy or timezone.localdate()
            )
        }
        servicios = [s for s in servicios if s.pk in atrasados]
    return servicios


# --- Contacts -------------------------------------------------------------------------------


def contactos(*, usuario: Any, servicio: Servicio | None = None) -> QuerySet[Contacto]:
    queryset = permisos.visibles(usuario, Contacto).select_related("servicio", "analista")
    if servicio is not None:
        queryset = queryset.filter(servicio=servicio)
    return queryset.order_by("-fecha", "-pk")


# --- Documents ------------------------------------------------------------------------------


def documentos(*, usuario: Any, anio: int | None = None) -> QuerySet[DocumentoTecnico]:
    """SUBDERE sees the whole library; a servicio, what was published to all or to it."""
    queryset = DocumentoTecnico.objects.all()
    if not permisos.puede(usuario, "asistencia.cifras"):
        propios = list(permisos.servicios_propios(usuario))
        queryset = queryset.filter(publicado_en__isnull=False).filter(
            Q(para_todos=True)
            | Exists(
                DocumentoTecnico.servicios.through.objects.filter(
                    documentotecnico_id=OuterRef("pk"), servicio_id__in=propios
                )
            )
        )
    if anio is not None:
        queryset = queryset.filter(anio=anio)
    return queryset.annotate(
        versiones_total=Count("versiones", distinct=True),
        servicios_que_leyeron=Count("versiones__lecturas__servicio", distinct=True),
    ).order_by("tipo", "titulo", "pk")


def lecturas_de(*, documento: DocumentoTecnico) -> QuerySet[LecturaDocumento]:
    return (
        LecturaDocumento.objects.filter(version__documento=documento)
        .select_related("servicio", "version", "primera_persona")
        .order_by("-version__numero", "servicio__nombre")
    )


def version_visible(*, usuario: Any, pk: Any) -> VersionDocumento:
    from srm.permisos import FueraDeAlcance

    try:
        return VersionDocumento.objects.select_related("documento").get(
            pk=pk, documento__in=documentos(usuario=usuario).values("pk")
        )
    except (VersionDocumento.DoesNotExist, ValueError, TypeError):
        raise FueraDeAlcance(
            "Documento no encontrado.", servicio_id=None, descripcion=f"versión n.º {pk}"[:300]
        ) from None


# --- Figures --------------------------------------------------------------------------------


def cifras(*, anio: int) -> dict:
    """The year's assistance in figures, each computed in the database (a fixed number of
    queries whatever the number of servicios)."""
    contactos_por_canal = list(
        Contacto.objects.filter(anio=anio)
        .values("canal")
        .annotate(total=Count("pk"), servicios=Count("servicio", distinct=True))
        .order_by("canal")
    )
    actividades_por_tipo = list(
        Actividad.objects.filter(anio=anio)
        .values("tipo")
        .annotate(total=Count("pk"))
        .order_by("tipo")
    )
    inscripciones = Inscripcion.objects.filter(convocado__actividad__anio=anio).aggregate(
        inscritas=Count("pk"),
        registradas=Count("pk", filter=Q(asistio__isnull=False)),
        presentes=Count("pk", filter=Q(asistio=True)),
    )
    convocatorias = Convocado.objects.filter(
        actividad__anio=anio, actividad__estado=Actividad.Estado.REALIZADA
    ).aggregate(
        total=Count("pk", distinct=True),
        con_asistentes=Count("pk", filter=Q(inscritos__asistio=True), distinct=True),
    )
    respuesta = ExpressionWrapper(F("respondida_en") - F("creada_en"), output_field=DurationField())
    hoy = timezone.localdate()
    consultas_cifras = Consulta.objects.filter(anio=anio).aggregate(
        total=Count("pk"),
        pendientes=Count("pk", filter=Q(estado=Consulta.Estado.PENDIENTE)),
        vencidas=Count("pk", filter=Q(estado=Consulta.Estado.PENDIENTE, plazo__lt=hoy)),
        en_plazo=Count("pk", filter=Q(respondida_en__date__lte=F("plazo"))),
        respondidas=Count("pk", filter=Q(respondida_en__isnull=False)),
        tiempo_medio=Avg(respuesta, filter=Q(respondida_en__isnull=False)),
    )
    acuerdos = Acuerdo.objects.filter(actividad__anio=anio).aggregate(
        total=Count("pk"),
        abiertos=Count("pk", filter=Q(cerrado_en__isnull=True)),
        vencidos=Count("pk", filter=Q(cerrado_en__isnull=True, plazo__lt=hoy)),
    )
    canales, tipos = dict(CanalContacto.choices), dict(TipoActividad.choices)
    for fila in contactos_por_canal:
        fila["nombre"] = canales.get(fila["canal"], fila["canal"])
    for fila in actividades_por_tipo:
        fila["nombre"] = tipos.get(fila["tipo"], fila["tipo"])
    consultas_cifras["tiempo_medio_texto"] = _duracion(consultas_cifras["tiempo_medio"])
    consultas_cifras["habiles_medio"] = _habiles_medio(anio)
    return {
        "contactos_por_canal": contactos_por_canal,
        "actividades_por_tipo": actividades_por_tipo,
        "inscripciones": inscripciones,
        "convocatorias": convocatorias,
        "consultas": consultas_cifras,
        "acuerdos": acuerdos,
    }


def _habiles_medio(anio: int) -> float | None:
    """Average días hábiles from asking to the first answer (two queries)."""
    pares = [
        (timezone.localtime(creada).date(), timezone.localtime(respondida).date())
        for creada, respondida in Consulta.objects.filter(
            anio=anio, respondida_en__isnull=False
        ).values_list("creada_en", "respondida_en")
    ]
    if not pares:
        return None
    calendario = CalendarioHabil.desde_hasta(min(p[0] for p in pares), max(p[1] for p in pares))
    return sum(calendario.habiles_entre(desde, hasta) for desde, hasta in pares) / len(pares)


def _duracion(valor: datetime.timedelta | None) -> str:
    """An average response time in words: hours under a day, days beyond."""
    if valor is None:
        return "—"
    horas = valor.total_seconds() / 3600
    if horas < 24:
        return f"{formato.numero(horas, 1)} horas"
    return f"{formato.numero(horas / 24, 1)} días corridos"


def asistencia_y_resultados(*, anio: int) -> list[Servicio]:
    """Per servicio of the year's PMG: assistance received (contacts, activities attended,
    consultas) beside its results (informes sent on time, review rounds to approval). One
    query, whatever the number of servicios."""
    informes = InformeAvance.objects.filter(
        formulacion__servicio=OuterRef("pk"), formulacion__proceso__anio=anio
    )
    return list(
        Servicio.objects.filter(formulaciones__proceso__anio=anio)
        .annotate(
            contactos_total=_contar(Contacto.objects.filter(servicio=OuterRef("pk"), anio=anio)),
            ultimo_contacto=_maximo(
                Contacto.objects.filter(servicio=OuterRef("pk"), anio=anio), "fecha"
            ),
            actividades_asistidas=_contar(
                Convocado.objects.filter(
                    servicio=OuterRef("pk"), actividad__anio=anio, inscritos__asistio=True
                )
            ),
            consultas_total=_contar(Consulta.objects.filter(servicio=OuterRef("pk"), anio=anio)),
            informes_enviados=_contar(informes.filter(enviado_en__isnull=False), _SERVICIO),
            informes_atrasados=_contar(informes.filter(es_atrasado=True), _SERVICIO),
            informes_aprobados=_contar(informes.filter(estado=EstadoRevision.APROBADO), _SERVICIO),
            rondas=_rondas(anio),
        )
        .select_related("tipo")
        .order_by("nombre")
        .distinct()
    )


_SERVICIO = "formulacion__servicio"


def _contar(queryset: QuerySet, grupo: str = "servicio") -> Any:
    """How many rows of `queryset` (filtered on the outer servicio through `grupo`)."""
    return Coalesce(
        Subquery(
            queryset.order_by()
            .values(grupo)
            .annotate(n=Count("pk", distinct=True))
            .values("n")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


def _maximo(queryset: QuerySet, campo: str) -> Any:
    return Subquery(queryset.order_by(f"-{campo}").values(campo)[:1])


def _rondas(anio: int) -> Any:
    """The servicio's sendings of the year's informes: each sending opens a review round."""
    return _contar(
        Evento.objects.filter(
            servicio=OuterRef("pk"),
            anio=anio,
            accion="informe.enviar",
        )
    )


# --- The homes ------------------------------------------------------------------------------


def consultas_por_responder(*, usuario: Any, hoy: datetime.date | None = None) -> list[Pendiente]:
    """The unanswered consultas of the analista's cartera (each servicio in the consulta's year),
    as home Pendientes, the deadline counted in días hábiles. One query (the holidays are kept
    with the catalogs)."""
    hoy = hoy or timezone.localdate()
    filas = list(
        permisos.visibles(usuario, Consulta)
        .filter(estado=Consulta.Estado.PENDIENTE)
        .filter(en_cartera_del_analista(usuario, "servicio", "anio"))
        .select_related("servicio")
        # What the rows show: no texts of the answer.
        .only("anio", "asunto", "plazo", "creada_en", "estado", "servicio__nombre")
        .order_by("plazo", "creada_en", "pk")
    )
    if not filas:
        return []
    # Shown, not decided: the holidays kept with the catalogs.
    calendario = CalendarioHabil.desde_hasta(
        min(hoy, filas[0].plazo), max(hoy, max(c.plazo for c in filas)), del_catalogo=True
    )
    pendientes = []
    for consulta in filas:
        consulta.habiles_restantes = _habiles_con_signo(calendario, hoy, consulta.plazo)
        pendientes.append(
            Pendiente(
                anio=consulta.anio,
                servicio=consulta.servicio,
                documento=f"Consulta «{consulta.asunto}»",
                url=reverse("asistencia:consulta_detalle", args=[consulta.pk]),
                objeto=consulta,
                que_hacer=f"Responder la consulta ({_texto_habiles(consulta.habiles_restantes)})",
                plazo=consulta.plazo,
                desde=consulta.creada_en,
            )
        )
    return pendientes


def _habiles_con_signo(
    calendario: CalendarioHabil, hoy: datetime.date, plazo: datetime.date
) -> int:
    """Working days left until the deadline; negative once it has passed."""
    if plazo >= hoy:
        return calendario.habiles_entre(hoy, plazo)
    return -calendario.habiles_entre(plazo, hoy)


def _texto_habiles(restantes: int) -> str:
    if restantes == 0:
        return "vence hoy"
    dias = formato.plural(abs(restantes), "día hábil", "días hábiles")
    if restantes > 0:
        return f"{formato.segun(restantes, 'queda', 'quedan')} {dias}"
    return f"vencida hace {dias}"


def consultas_abiertas_servicio(*, usuario: Any) -> list[Consulta]:
    """A servicio's unanswered consultas, every year, the nearest deadline first (one query)."""
    return list(
        permisos.visibles(usuario, Consulta)
        .filter(estado=Consulta.Estado.PENDIENTE)
        .select_related("servicio")
        # What the home shows of each.
        .only("asunto", "plazo", "servicio__nombre")
        .order_by("plazo", "pk")
    )


def proxima_convocatoria(
    *, usuario: Any, ahora: datetime.datetime | None = None
) -> Convocado | None:
    """The next activity a servicio of this user is convened to and that has not ended (one
    query): what the servicio's home shows, with a link to register attendees."""
    ahora = ahora or timezone.now()
    return (
        permisos.visibles(usuario, Convocado)
        .filter(actividad__fin__gte=ahora, actividad__estado=Actividad.Estado.CONVOCADA)
        .select_related("actividad", "servicio")
        # What the home shows of it (no acta nor materiales).
        .only(
            "actividad__tipo",
            "actividad__tema",
            "actividad__inicio",
            "actividad__lugar",
            "servicio__nombre",
        )
        # A count per row, not a GROUP BY over the three joined tables (cheaper to plan).
        .annotate(
            inscritos_total=_contar(
                Inscripcion.objects.filter(convocado=OuterRef("pk")), "convocado"
            )
        )
        .order_by("actividad__inicio", "pk")
        .first()
    )


# --- The tablero's block --------------------------------------------------------------------


def resumen_tablero(*, anio: int, hoy: datetime.date | None = None) -> dict:
    """The year's assistance in a few figures for the tablero (three queries, whatever the
    number of servicios): coverage of the PMG's servicios (a contact, an activity attended or
    a consulta), open acuerdos and consultas, consultas answered within their deadline."""
    hoy = hoy or timezone.localdate()
    servicios = (
        Servicio.objects.filter(
            Exists(FormulacionPMG.objects.filter(servicio=OuterRef("pk"), proceso__anio=anio))
        )
        .annotate(
            contactado=Exists(Contacto.objects.filter(servicio=OuterRef("pk"), anio=anio)),
            asistio=Exists(
                Inscripcion.objects.filter(
                    convocado__servicio=OuterRef("pk"),
                    convocado__actividad__anio=anio,
                    asistio=True,
                )
            ),
            pregunto=Exists(Consulta.objects.filter(servicio=OuterRef("pk"), anio=anio)),
        )
        .aggregate(
            total=Count("pk"),
            alcanzados=Count("pk", filter=Q(contactado=True) | Q(asistio=True) | Q(pregunto=True)),
        )
    )
    consultas_ = Consulta.objects.filter(anio=anio).aggregate(
        pendientes=Count("pk", filter=Q(estado=Consulta.Estado.PENDIENTE)),
        vencidas=Count("pk", filter=Q(estado=Consulta.Estado.PENDIENTE, plazo__lt=hoy)),
        respondidas=Count("pk", filter=Q(respondida_en__isnull=False)),
        en_plazo=Count("pk", filter=Q(respondida_en__date__lte=F("plazo"))),
    )
    acuerdos = Acuerdo.objects.filter(actividad__anio=anio).aggregate(
        abiertos=Count("pk", filter=Q(cerrado_en__isnull=True)),
        vencidos=Count("pk", filter=Q(cerrado_en__isnull=True, plazo__lt=hoy)),
    )
    return {
        "anio": anio,
        "servicios": servicios["total"],
        "alcanzados": servicios["alcanzados"],
        "cobertura": servicios["alcanzados"] / servicios["total"] if servicios["total"] else None,
        "consultas": consultas_,
        "en_plazo": consultas_["en_plazo"] / consultas_["respondidas"]
        if consultas_["respondidas"]
        else None,
        "acuerdos": acuerdos,
    }


# --- The year's report (reportes: «Asistencia técnica del año») ------------------------------


def filas_actividades(anio: int) -> list[list[Any]]:
    """One row per activity of the year, with convened, registered and attending counts."""
    actividades_ = (
        Actividad.objects.filter(anio=anio)
        .select_related("responsable")
        .annotate(
            convocados_total=Count("convocados", distinct=True),
            inscritos_total=Count("convocados__inscritos", distinct=True),
            asistentes_total=Count(
                "convocados__inscritos",
                filter=Q(convocados__inscritos__asistio=True),
                distinct=True,
            ),
            servicios_presentes=Count(
                "convocados",
                filter=Q(convocados__inscritos__asistio=True),
                distinct=True,
            ),
            acuerdos_total=Count("acuerdos", distinct=True),
        )
        .order_by("inicio", "pk")
    )
    return [
        [
            timezone.localtime(a.inicio),
            a.get_tipo_display(),
            a.tema,
            a.get_estado_display(),
            a.lugar or a.enlace,
            a.responsable.get_full_name() or a.responsable.username,
            a.criterio,
            a.convocados_total,
            a.inscritos_total,
            a.asistentes_total,
            a.servicios_presentes,
            a.servicios_presentes / a.convocados_total
            if a.convocados_total and a.estado == Actividad.Estado.REALIZADA
            else None,
            a.acuerdos_total,
        ]
        for a in actividades_
    ]


def filas_consultas(anio: int, servicio_id: int | None = None) -> list[list[Any]]:
    """One row per consulta of the year (of one servicio, for its expediente): its deadline
    and the días hábiles it took to answer (one query for the consultas, one for the
    holidays)."""
    consultas_ = Consulta.objects.filter(anio=anio)
    if servicio_id is not None:
        consultas_ = consultas_.filter(servicio_id=servicio_id)
    consultas_ = list(
        consultas_.select_related("servicio", "compromiso", "informe__tipo").order_by(
            "creada_en", "pk"
        )
    )
    fechas = [timezone.localtime(c.creada_en).date() for c in consultas_] + [
        timezone.localtime(c.respondida_en).date() for c in consultas_ if c.respondida_en
    ]
    calendario = CalendarioHabil.desde_hasta(min(fechas), max(fechas)) if fechas else None
    filas = []
    for c in consultas_:
        habiles = None
        if c.respondida_en and calendario is not None:
            habiles = calendario.habiles_entre(
                timezone.localtime(c.creada_en).date(), timezone.localtime(c.respondida_en).date()
            )
        sobre = ""
        if c.compromiso_id:
            sobre = f"Compromiso {c.compromiso.codigo}"
        elif c.informe_id:
            sobre = c.informe.get_periodo_display()
        filas.append(
            [
                c.servicio.nombre,
                c.asunto,
                sobre,
                timezone.localtime(c.creada_en),
                c.dias_habiles,
                c.plazo,
                c.get_estado_display(),
                timezone.localtime(c.respondida_en) if c.respondida_en else None,
                habiles,
                c.respondida_a_tiempo if c.respondida_en else None,
                c.publicada_en is not None,
            ]
        )
    return filas


def filas_contactos(anio: int, servicio_id: int | None = None) -> list[list[Any]]:
    contactos_ = Contacto.objects.filter(anio=anio)
    if servicio_id is not None:
        contactos_ = contactos_.filter(servicio_id=servicio_id)
    return [
        [
            c.fecha,
            c.servicio.nombre,
            c.get_canal_display(),
            c.tema,
            c.analista.get_full_name() or c.analista.username,
            c.acuerdos,
        ]
        for c in contactos_.select_related("servicio", "analista").order_by("fecha", "pk")
    ]


def filas_mensajes(anio: int, servicio_id: int) -> list[list[Any]]:
    """Every message of a servicio's consultas of the year, in order: its expediente."""
    return [
        [
            m.consulta.asunto,
            timezone.localtime(m.creado),
            "SUBDERE" if m.de_subdere else "Servicio",
            m.autor.get_full_name() or m.autor.username,
            m.texto,
        ]
        for m in MensajeConsulta.objects.filter(
            consulta__anio=anio, consulta__servicio_id=servicio_id
        )
        .select_related("consulta", "autor")
        .order_by("consulta__creada_en", "consulta_id", "creado", "pk")
    ]


def filas_acuerdos(anio: int) -> list[list[Any]]:
    hoy = timezone.localdate()
    return [
        [
            str(a.actividad),
            a.servicio.nombre if a.servicio_id else "Todos / SUBDERE",
            a.descripcion,
            a.responsable,
            a.plazo,
            "Cerrado"
            if a.cerrado_en
            else ("Abierto, plazo vencido" if a.plazo < hoy else "Abierto"),
            timezone.localtime(a.cerrado_en) if a.cerrado_en else None,
            a.cierre,
        ]
        for a in Acuerdo.objects.filter(actividad__anio=anio)
        .select_related("actividad", "servicio")
        .order_by("plazo", "pk")
    ]


def filas_asistencia_y_resultados(anio: int) -> list[list[Any]]:
    return [
        [
            s.nombre,
            str(s.tipo),
            s.contactos_total,
            s.ultimo_contacto,
            s.actividades_asistidas,
            s.consultas_total,
            s.informes_enviados,
            s.informes_atrasados,
            s.informes_aprobados,
            s.rondas,
        ]
        for s in asistencia_y_resultados(anio=anio)
    ]
