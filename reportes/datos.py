"""The figures behind each report, read with a fixed number of queries whatever the year's size.

Everything is aggregated in the database (subqueries and grouped counts); Python only shapes
the rows it receives. Grouped queries clear the models' default ordering (`.order_by()`),
which would otherwise join the GROUP BY.
"""

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from django.db.models import (
    Avg,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Concat, NullIf, Trim

from compromisos.models import (
    ESTADOS_APROBADOS,
    AvanceCompromiso,
    Compromiso,
    EstadoRevision,
    ExencionFormulacion,
    FormulacionPMG,
    HitoCompromiso,
    InformeAvance,
    LineaFormulacion,
    MedioVerificacion,
    Proceso,
    TipoEntregable,
)
from programa.models import EstadoParticipacion, Participacion
from servicios.models import Ministerio, Region, TipoServicio
from srm import formato
from validacion.cumplimiento import cumplimiento_de, regla_del_anio
from validacion.models import Observacion, ValidacionIniciativa, ValidacionServicio


class ReporteInvalido(Exception):
    """The report cannot be made with these parameters; the message is shown to the user."""


ETIQUETA_ESTADO = dict(EstadoRevision.choices)
ETIQUETA_PERIODO = dict(InformeAvance.Periodo.choices)
# Column headings: "Avance 1" … "Final".
PERIODO_CORTO = {
    "avance_1": "Avance 1",
    "avance_2": "Avance 2",
    "avance_3": "Avance 3",
    "final": "Final",
}
ETIQUETA_RESULTADO = dict(ValidacionServicio.Resultado.choices)


def periodos_del_anio(anio: int) -> list[tuple[str, str]]:
    """The year's deliverables (clave, nombre) in order: its own list of kinds, or the standard
    cycle's four periods when it has none (issue 16). One query."""
    propios = list(
        TipoEntregable.objects.filter(proceso__anio=anio)
        .order_by("orden", "pk")
        .values_list("clave", "nombre")
    )
    return propios or list(InformeAvance.Periodo.choices)


def nombre_corto(clave: str, nombre: str) -> str:
    """A column heading: «Avance 1» … «Final» for the standard cycle, else the kind's name."""
    return PERIODO_CORTO.get(clave, nombre)


ENVIADOS = [e for e in EstadoRevision.values if e != EstadoRevision.BORRADOR]
SIN_REGION = "Nivel central (sin región)"
# Observaciones still pending: not yet answered, or answered and not yet resolved by SUBDERE.
PENDIENTES = [Observacion.Estado.ABIERTA, Observacion.Estado.RESPONDIDA]

# Dimensions of the consolidated report: (title, field of FormulacionPMG to group by).
DIMENSIONES = [
    ("Ministerio", "servicio__ministerio__nombre"),
    ("Tipo de servicio", "servicio__tipo__nombre"),
    ("Región", "servicio__region__nombre"),
]


def proceso_del_anio(anio: int) -> Proceso:
    try:
        return Proceso.objects.get(anio=anio)
    except Proceso.DoesNotExist:
        raise ReporteInvalido(f"No existe un proceso PMG para el año {anio}.") from None


def formulaciones_filtradas(anio: int, filtros: dict[str, Any]) -> QuerySet[FormulacionPMG]:
    """The year's formulaciones, narrowed by the optional ministerio, tipo and región ids."""
    formulaciones = FormulacionPMG.objects.filter(proceso__anio=anio)
    if filtros.get("ministerio"):
        formulaciones = formulaciones.filter(servicio__ministerio_id=filtros["ministerio"])
    if filtros.get("tipo"):
        formulaciones = formulaciones.filter(servicio__tipo_id=filtros["tipo"])
    if filtros.get("region"):
        formulaciones = formulaciones.filter(servicio__region_id=filtros["region"])
    return formulaciones


def descripcion_filtros(filtros: dict[str, Any]) -> str:
    """The filters in words, e.g. "Ministerio del Interior · Región de Los Lagos"."""
    partes = []
    for clave, modelo in (("ministerio", Ministerio), ("tipo", TipoServicio), ("region", Region)):
        if filtros.get(clave):
            objeto = modelo.objects.filter(pk=filtros[clave]).first()
            partes.append(str(objeto) if objeto else "")
    return " · ".join(p for p in partes if p)


# --- 1. Estado de avance consolidado ------------------------------------------------------


def consolidado(*, anio: int, periodo: str, filtros: dict[str, Any]) -> dict[str, Any]:
    """Per servicio: the informe of the periodo, on time or late, mean progress, open remarks."""
    proceso = proceso_del_anio(anio)
    formulaciones = formulaciones_filtradas(anio, filtros)
    informe = InformeAvance.objects.filter(formulacion=OuterRef("pk"), periodo=periodo)
    avance = (
        AvanceCompromiso.objects.filter(
            informe__formulacion=OuterRef("pk"),
            informe__periodo=periodo,
            informe__estado__in=ENVIADOS,
        )
        .values("informe")
        .order_by()
        .annotate(promedio=Avg("porcentaje"))
        .values("promedio")
    )
    abiertas = (
        Observacion.objects.filter(
            informe__formulacion=OuterRef("pk"),
            informe__periodo=periodo,
            estado__in=PENDIENTES,
        )
        .values("informe")
        .order_by()
        .annotate(total=Count("pk"))
        .values("total")
    )
    compromisos = (
        Compromiso.objects.filter(formulacion=OuterRef("pk"))
        .values("formulacion")
        .order_by()
        .annotate(total=Count("pk"))
        .values("total")
    )
    filas = list(
        formulaciones.annotate(
            informe_estado=Subquery(informe.values("estado")[:1]),
            informe_enviado_en=Subquery(informe.values("enviado_en")[:1]),
            informe_atrasado=Subquery(informe.values("es_atrasado")[:1]),
            avance_promedio=Subquery(avance[:1]),
            observaciones_abiertas=Coalesce(Subquery(abiertas[:1]), Value(0)),
            total_compromisos=Coalesce(
                Subquery(compromisos[:1], output_field=IntegerField()), Value(0)
            ),
        )
        .values(
            "servicio__nombre",
            "servicio__ministerio__nombre",
            "servicio__tipo__nombre",
            "servicio__region__nombre",
            "estado",
            "informe_estado",
            "informe_enviado_en",
            "informe_atrasado",
            "avance_promedio",
            "observaciones_abiertas",
            "total_compromisos",
        )
        .order_by("servicio__ministerio__nombre", "servicio__nombre")
    )
    for fila in filas:
        fila["estado_formulacion"] = ETIQUETA_ESTADO[fila["estado"]]
        fila["estado_informe"] = (
            ETIQUETA_ESTADO[fila["informe_estado"]] if fila["informe_estado"] else "Sin informe"
        )
        fila["enviado"] = fila["informe_estado"] in ENVIADOS
        fila["puntualidad"] = (
            ("Fuera de plazo" if fila["informe_atrasado"] else "En plazo")
            if fila["enviado"]
            else "No enviado"
        )
        fila["servicio__region__nombre"] = fila["servicio__region__nombre"] or SIN_REGION
    totales = [
        (titulo, totales_por(formulaciones, periodo=periodo, campo=campo))
        for titulo, campo in DIMENSIONES
    ]
    general = totales_por(formulaciones, periodo=periodo, campo=None)
    universo = universo_del_anio(anio, filtros)
    # Who takes part and never formulated is a row too: «Falta», not nothing.
    for fila in universo["faltan"]:
        filas.append(
            {
                **fila,
                "estado_formulacion": FALTA,
                "estado_informe": FALTA,
                "informe_enviado_en": None,
                "enviado": False,
                "puntualidad": "No enviado",
                "total_compromisos": 0,
                "avance_promedio": None,
                "observaciones_abiertas": 0,
            }
        )
    filas.sort(key=lambda f: (f["servicio__ministerio__nombre"], f["servicio__nombre"]))
    return {
        "universo": universo,
        "proceso": proceso,
        "anio": anio,
        "periodo": periodo,
        "nombre_periodo": dict(periodos_del_anio(anio)).get(periodo)
        or ETIQUETA_PERIODO.get(periodo, periodo),
        "filtros": filtros.get("descripcion") or descripcion_filtros(filtros),
        "filas": filas,
        "totales": totales,
        "total_general": general[0]
        if general
        else {"grupo": "Total", "servicios": 0, "enviados": 0, "atrasados": 0},
    }


FALTA = "Falta (sin formulación)"
ETIQUETA_PARTICIPACION = dict(EstadoParticipacion.choices)


def universo_del_anio(anio: int, filtros: dict[str, Any]) -> dict[str, Any]:
    """The year's universe under the report's filters, in one query: who takes part and never
    formulated («Falta»), who is exempt or in another sistema (with the reason). A year
    without universe data says so (`registrado` False): the report counts the formulaciones."""
    participaciones = Participacion.objects.filter(programa__anio=anio)
    for clave, campo in (
        ("ministerio", "ministerio_id"),
        ("tipo", "tipo_id"),
        ("region", "region_id"),
    ):
        if filtros.get(clave):
            participaciones = participaciones.filter(**{f"servicio__{campo}": filtros[clave]})
    filas = list(
        participaciones.annotate(
            formulo=Exists(
                FormulacionPMG.objects.filter(proceso__anio=anio, servicio=OuterRef("servicio"))
            ),
            region=Coalesce("servicio__region__nombre", Value(SIN_REGION)),
        )
        .values(
            "estado",
            "motivo",
            "otro_sistema",
            "formulo",
            "servicio__nombre",
            "servicio__sigla",
            "servicio__ministerio__nombre",
            "servicio__tipo__nombre",
            "region",
        )
        .order_by("servicio__nombre")
    )
    for fila in filas:
        fila["servicio__region__nombre"] = fila.pop("region")
        fila["situacion"] = (
            ("Formuló" if fila["formulo"] else FALTA)
            if fila["estado"] == EstadoParticipacion.PARTICIPA
            else ETIQUETA_PARTICIPACION[fila["estado"]]
        )
    participan = [f for f in filas if f["estado"] == EstadoParticipacion.PARTICIPA]
    return {
        "registrado": bool(filas),
        "filas": filas,
        "participan": len(participan),
        "faltan": [f for f in participan if not f["formulo"]],
        "no_participan": [f for f in filas if f["estado"] != EstadoParticipacion.PARTICIPA],
    }


def totales_por(
    formulaciones: QuerySet[FormulacionPMG], *, periodo: str, campo: str | None
) -> list[dict[str, Any]]:
    """Servicios, informes sent, late and approved, mean progress and open remarks per group.

    Three grouped queries: counting informes, progress and remarks in one join would multiply
    the rows and bias the mean.
    """
    grupo = F(campo) if campo else Value("Total")
    informes = (
        formulaciones.annotate(grupo=grupo)
        .values("grupo")
        .annotate(
            servicios=Count("pk", distinct=True),
            enviados=Count(
                "informes",
                filter=Q(informes__periodo=periodo, informes__estado__in=ENVIADOS),
                distinct=True,
            ),
            atrasados=Count(
                "informes",
                filter=Q(
                    informes__periodo=periodo,
                    informes__estado__in=ENVIADOS,
                    informes__es_atrasado=True,
                ),
                distinct=True,
            ),
            aprobados=Count(
                "informes",
                filter=Q(informes__periodo=periodo, informes__estado__in=ESTADOS_APROBADOS),
                distinct=True,
            ),
        )
        .order_by("grupo")
    )
    prefijo = "informe__formulacion__"
    grupo_avance = F(prefijo + campo) if campo else Value("Total")
    avances = {
        fila["grupo"]: fila["promedio"]
        for fila in AvanceCompromiso.objects.filter(
            informe__formulacion__in=formulaciones.values("pk"),
            informe__periodo=periodo,
            informe__estado__in=ENVIADOS,
        )
        .annotate(grupo=grupo_avance)
        .values("grupo")
        .order_by()
        .annotate(promedio=Avg("porcentaje"))
    }
    abiertas = {
        fila["grupo"]: fila["total"]
        for fila in Observacion.objects.filter(
            informe__formulacion__in=formulaciones.values("pk"),
            informe__periodo=periodo,
            estado__in=PENDIENTES,
        )
        .annotate(grupo=grupo_avance)
        .values("grupo")
        .order_by()
        .annotate(total=Count("pk"))
    }
    filas = []
    for fila in informes:
        fila["avance_promedio"] = avances.get(fila["grupo"])
        fila["observaciones_abiertas"] = abiertas.get(fila["grupo"], 0)
        fila["tasa_envio"] = fila["enviados"] / fila["servicios"] if fila["servicios"] else 0
        fila["tasa_en_plazo"] = (
            (fila["enviados"] - fila["atrasados"]) / fila["enviados"] if fila["enviados"] else None
        )
        fila["grupo"] = fila["grupo"] or SIN_REGION
        filas.append(fila)
    return filas


# --- 2. Ficha del servicio ----------------------------------------------------------------


def formulacion_para_ficha(formulacion_id: int) -> FormulacionPMG:
    """The formulación with everything the ficha prints, in a fixed number of queries."""
    observaciones = Observacion.objects.select_related(
        "autor", "avance__compromiso", "medio"
    ).prefetch_related(Prefetch("respuestas", queryset=_respuestas()))
    return (
        FormulacionPMG.objects.select_related(
            "servicio__ministerio", "servicio__tipo", "servicio__region", "proceso"
        )
        .prefetch_related(
            "lineas",
            "exenciones",
            Prefetch(
                "compromisos",
                queryset=Compromiso.objects.order_by("codigo").prefetch_related(
                    "hitos", "medios_comprometidos", "regiones"
                ),
            ),
            Prefetch(
                "informes",
                queryset=InformeAvance.objects.order_by("periodo").prefetch_related(
                    Prefetch("observaciones", queryset=observaciones.order_by("ronda", "creado"))
                ),
            ),
        )
        .get(pk=formulacion_id)
    )


def _respuestas() -> QuerySet:
    from validacion.models import RespuestaObservacion

    return RespuestaObservacion.objects.select_related("autor").order_by("creado")


def ficha(*, formulacion_id: int) -> dict[str, Any]:
    formulacion = formulacion_para_ficha(formulacion_id)
    compromisos = list(formulacion.compromisos.all())
    informes = list(formulacion.informes.all())
    porcentajes: dict[tuple[int, str], int] = {
        (fila["compromiso_id"], fila["informe__periodo"]): fila["porcentaje"]
        for fila in AvanceCompromiso.objects.filter(informe__formulacion=formulacion).values(
            "compromiso_id", "informe__periodo", "porcentaje"
        )
    }
    medios: dict[tuple[int, str], int] = {
        (fila["avance__compromiso_id"], fila["avance__informe__periodo"]): fila["total"]
        for fila in medios_vigentes()
        .filter(avance__informe__formulacion=formulacion)
        .values("avance__compromiso_id", "avance__informe__periodo")
        .order_by()
        .annotate(total=Count("pk"))
    }
    # The year's deliverables (issue 16): «Avance 1» … «Final» in the standard cycle.
    periodos = [
        (clave, nombre_corto(clave, nombre))
        for clave, nombre in periodos_del_anio(formulacion.proceso.anio)
    ]
    for compromiso in compromisos:
        compromiso.avance_por_periodo = [
            (porcentajes.get((compromiso.pk, p)), medios.get((compromiso.pk, p), 0))
            for p, _ in periodos
        ]
    validacion = (
        ValidacionServicio.objects.filter(formulacion=formulacion)
        .select_related("ratificada_por", "registrada_dipres_por")
        .prefetch_related(
            Prefetch(
                "iniciativas",
                queryset=ValidacionIniciativa.objects.select_related("compromiso").annotate(
                    total_medios=Count("medios_examinados")
                ),
            )
        )
        .first()
    )
    return {
        "formulacion": formulacion,
        "servicio": formulacion.servicio,
        "compromisos": compromisos,
        "informes": informes,
        "periodos": periodos,
        "validacion": validacion,
        "estado_formulacion": ETIQUETA_ESTADO[formulacion.estado],
    }


def medios_vigentes() -> QuerySet[MedioVerificacion]:
    """Files in force: not withdrawn and not replaced by a newer version."""
    return MedioVerificacion.objects.filter(eliminado_en__isnull=True, reemplazado_por__isnull=True)


# --- 3. Planilla estadística anual -------------------------------------------------------


def nombre_completo(usuario: str) -> Coalesce:
    """A person's full name, as the PDFs print it; the username when none was recorded."""
    completo = Trim(
        Concat(f"{usuario}__first_name", Value(" "), f"{usuario}__last_name"),
    )
    return Coalesce(NullIf(completo, Value("")), f"{usuario}__username")


def hoja_formulacion(anio: int) -> Iterator[list]:
    """Each servicio's sistemas (etapa, prioridad, ponderador) and then its exenciones."""
    exenciones: dict[int, list[list]] = defaultdict(list)
    tipo_exencion = {
        ExencionFormulacion.Tipo.EXIMIR: "Sistema eximido",
        ExencionFormulacion.Tipo.MODIFICAR: "Modificación de etapa",
    }
    for formulacion_id, marco, area, sistema, tipo, etapa, justificacion in (
        ExencionFormulacion.objects.filter(formulacion__proceso__anio=anio)
        .order_by("formulacion", "orden", "pk")
        .values_list("formulacion_id", "marco", "area", "sistema", "tipo", "etapa", "justificacion")
    ):
        exenciones[formulacion_id].append(
            [tipo_exencion[tipo], marco, area, sistema, etapa, None, None, justificacion]
        )
    prioridad = dict(LineaFormulacion.Prioridad.choices)
    # Every formulación of the year, with or without lines: its exenciones follow its lines.
    filas = (
        FormulacionPMG.objects.filter(proceso__anio=anio)
        .order_by("servicio__nombre", "pk", "lineas__orden", "lineas__pk")
        .values_list(
            "pk",
            "servicio__nombre",
            "estado",
            "lineas__marco",
            "lineas__area",
            "lineas__sistema",
            "lineas__etapa",
            "lineas__prioridad",
            "lineas__ponderador",
        )
    )
    anterior: tuple[int, str, str] | None = None
    for pk, servicio, estado, marco, area, sistema, etapa, prio, ponderador in filas:
        if anterior is not None and anterior[0] != pk:
            yield from _exenciones(anterior, exenciones)
        anterior = (pk, servicio, ETIQUETA_ESTADO[estado])
        if sistema is not None:
            yield [
                servicio,
                ETIQUETA_ESTADO[estado],
                "Sistema comprometido",
                marco,
                area,
                sistema,
                etapa,
                prioridad[prio],
                ponderador,
                None,
            ]
    if anterior is not None:
        yield from _exenciones(anterior, exenciones)


def _exenciones(formulacion: tuple[int, str, str], exenciones: dict) -> Iterator[list]:
    pk, servicio, estado = formulacion
    for fila in exenciones.get(pk, []):
        yield [servicio, estado, *fila]


def hoja_servicios(anio: int) -> Iterator[tuple]:
    informes = {
        (fila["formulacion_id"], fila["periodo"]): fila
        for fila in InformeAvance.objects.filter(formulacion__proceso__anio=anio).values(
            "formulacion_id", "periodo", "estado", "es_atrasado", "enviado_en"
        )
    }
    filas = (
        FormulacionPMG.objects.filter(proceso__anio=anio)
        .annotate(total_compromisos=Count("compromisos"))
        .values_list(
            "pk",
            "servicio__nombre",
            "servicio__sigla",
            "servicio__ministerio__nombre",
            "servicio__tipo__nombre",
            "servicio__region__nombre",
            "estado",
            "enviada_en",
            "total_compromisos",
        )
        .order_by("servicio__ministerio__nombre", "servicio__nombre")
    )
    periodos = [clave for clave, _ in periodos_del_anio(anio)]
    for pk, nombre, sigla, ministerio, tipo, region, estado, enviada, total in filas:
        fila = [nombre, sigla, ministerio, tipo, region or SIN_REGION, ETIQUETA_ESTADO[estado]]
        fila += [enviada, total]
        for periodo in periodos:
            informe = informes.get((pk, periodo))
            fila.append(ETIQUETA_ESTADO[informe["estado"]] if informe else "Sin informe")
            fila.append(informe["enviado_en"] if informe else None)
            fila.append(informe["es_atrasado"] if informe and informe["enviado_en"] else None)
        yield fila
    # The universe's servicios that never formulated: «Falta».
    for f in universo_del_anio(anio, {})["faltan"]:
        fila = [f["servicio__nombre"], f["servicio__sigla"], f["servicio__ministerio__nombre"]]
        fila += [f["servicio__tipo__nombre"], f["servicio__region__nombre"], FALTA, None, 0]
        for _ in periodos:
            fila += ["Sin informe", None, None]
        yield fila


def hoja_compromisos(anio: int) -> Iterator[tuple]:
    periodos = [clave for clave, _ in periodos_del_anio(anio)]
    porcentajes: dict[int, dict[str, int]] = defaultdict(dict)
    for compromiso_id, periodo, porcentaje in AvanceCompromiso.objects.filter(
        informe__formulacion__proceso__anio=anio
    ).values_list("compromiso_id", "informe__periodo", "porcentaje"):
        porcentajes[compromiso_id][periodo] = porcentaje
    tipo = dict(Compromiso.TipoMedida.choices)
    complejidad = dict(Compromiso.Complejidad.choices)
    ambito = dict(Compromiso.Ambito.choices)
    filas = (
        Compromiso.objects.filter(formulacion__proceso__anio=anio)
        .values_list(
            "pk",
            "formulacion__servicio__nombre",
            "codigo",
            "nombre",
            "tipo_medida",
            "complejidad",
            "ambito",
            "meta",
            "indicador",
            "validacion__resultado",
        )
        .order_by("formulacion__servicio__nombre", "codigo")
    )
    for pk, servicio, codigo, nombre, medida, compl, amb, meta, indicador, resultado in filas:
        avance = porcentajes.get(pk, {})
        yield [
            servicio,
            codigo,
            nombre,
            tipo[medida],
            complejidad[compl],
            ambito[amb],
            meta,
            indicador,
            *[_fraccion(avance.get(p)) for p in periodos],
            ETIQUETA_RESULTADO.get(resultado, ""),
        ]


def hoja_hitos(anio: int) -> Iterator[tuple]:
    filas = (
        HitoCompromiso.objects.filter(compromiso__formulacion__proceso__anio=anio)
        .values_list(
            "compromiso__formulacion__servicio__nombre",
            "compromiso__codigo",
            "descripcion",
            "fecha_comprometida",
            "fecha_cumplimiento",
        )
        .order_by("compromiso__formulacion__servicio__nombre", "compromiso__codigo", "orden")
    )
    for servicio, codigo, descripcion, comprometida, cumplida in filas:
        if cumplida is None:
            situacion = "Pendiente"
        else:
            situacion = "Cumplido a tiempo" if cumplida <= comprometida else "Cumplido con atraso"
        yield [servicio, codigo, descripcion, comprometida, cumplida, situacion]


def hoja_medios(anio: int) -> Iterator[tuple]:
    tipo = dict(MedioVerificacion._meta.get_field("tipo").choices)
    # A compromiso's files and those of the form's questions (issue 16), by servicio.
    filas = (
        MedioVerificacion.objects.filter(informe__formulacion__proceso__anio=anio)
        .values_list(
            "informe__formulacion__servicio__nombre",
            "avance__compromiso__codigo",
            "pregunta__numero",
            "informe__periodo",
            "nombre_original",
            "tipo",
            "tamano",
            "sha256",
            "subido_en",
            "reemplazado_por",
            "eliminado_en",
        )
        .order_by(
            "informe__formulacion__servicio__nombre",
            "avance__compromiso__codigo",
            "pregunta__numero",
            "pk",
        )
    )
    nombres = ETIQUETA_PERIODO | dict(periodos_del_anio(anio))
    for fila in filas:
        (
            servicio,
            codigo,
            numero,
            periodo,
            nombre,
            t,
            tamano,
            sha,
            subido,
            reemplazado,
            eliminado,
        ) = fila
        situacion = "Retirado" if eliminado else ("Reemplazado" if reemplazado else "Vigente")
        yield [
            servicio,
            codigo or f"Pregunta {numero}".strip(),
            nombres.get(periodo, periodo),
            nombre,
            tipo[t],
            tamano,
            sha,
            subido,
            situacion,
        ]


def hoja_observaciones(anio: int) -> Iterator[tuple]:
    estado = dict(Observacion.Estado.choices)
    filas = (
        Observacion.objects.filter(informe__formulacion__proceso__anio=anio)
        .annotate(respuestas_total=Count("respuestas"), autor_nombre=nombre_completo("autor"))
        .values_list(
            "informe__formulacion__servicio__nombre",
            "informe__periodo",
            "ronda",
            "avance__compromiso__codigo",
            "medio__nombre_original",
            "texto",
            "autor_nombre",
            "creado",
            "estado",
            "respuestas_total",
        )
        .order_by("informe__formulacion__servicio__nombre", "informe__periodo", "ronda", "creado")
    )
    nombres = ETIQUETA_PERIODO | dict(periodos_del_anio(anio))
    for servicio, periodo, ronda, codigo, medio, texto, autor, creado, e, respuestas in filas:
        yield [
            servicio,
            nombres.get(periodo, periodo),
            ronda,
            codigo or "",
            medio or "",
            texto,
            autor,
            creado,
            estado[e],
            respuestas,
        ]


def hoja_validaciones(anio: int, *, solo_ratificadas: bool = False) -> Iterator[tuple]:
    """Every verdict of the year; for DIPRES only those SUBDERE ratified."""
    iniciativas = ValidacionIniciativa.objects.filter(validacion__formulacion__proceso__anio=anio)
    if solo_ratificadas:
        iniciativas = iniciativas.filter(validacion__estado=ValidacionServicio.Estado.RATIFICADA)
    filas = (
        iniciativas.annotate(total_medios=Count("medios_examinados"))
        .values_list(
            "validacion__formulacion__servicio__nombre",
            "compromiso__codigo",
            "compromiso__nombre",
            "resultado",
            "fundamento",
            "total_medios",
            "validacion__estado",
            "validacion__resultado",
            "validacion__ratificada_en",
            "validacion__registrada_dipres_en",
        )
        .order_by("validacion__formulacion__servicio__nombre", "compromiso__codigo")
    )
    estado = dict(ValidacionServicio.Estado.choices)
    for servicio, codigo, nombre, r, fundamento, medios, e, rs, ratificada, dipres in filas:
        yield [
            servicio,
            codigo,
            nombre,
            ETIQUETA_RESULTADO[r],
            fundamento,
            medios,
            estado[e],
            ETIQUETA_RESULTADO.get(rs, ""),
            ratificada,
            dipres,
        ]


def hoja_cumplimiento(anio: int) -> Iterator[list]:
    """Per servicio, the PMG cumplimiento as the year's rule computes it
    (validacion.cumplimiento): Descentralización's result, the weighted sum and the incentive.
    Four queries: the rule, its tramos, the formulaciones by verdict, their lines."""
    resultados = cumplimiento_de(
        FormulacionPMG.objects.filter(proceso__anio=anio), regla_del_anio(anio)
    )

    def texto(cumple: bool | None) -> str:
        return "Sin resultado" if cumple is None else "Cumple" if cumple else "No cumple"

    for c in sorted(resultados.values(), key=lambda c: c.servicio):
        d = c.descentralizacion
        yield [
            c.servicio,
            texto(d.cumple),
            d.motivo,
            d.implementadas,
            d.comprometidas,
            *(
                None if valor is None else float(valor) / 100
                for valor in (d.valor, d.meta, c.cumplimiento, c.incentivo)
            ),
            ", ".join(c.faltan),
        ]


def _fraccion(porcentaje: int | None) -> float | None:
    return None if porcentaje is None else porcentaje / 100


# --- 5. Resumen ejecutivo ------------------------------------------------------------------


def resumen_ejecutivo(*, anio: int) -> dict[str, Any]:
    """The year's figures for jefatura: a handful of grouped queries."""
    proceso = proceso_del_anio(anio)
    formulaciones = FormulacionPMG.objects.filter(proceso=proceso)
    cifras = formulaciones.aggregate(
        servicios=Count("pk"),
        aprobadas=Count("pk", filter=Q(estado=EstadoRevision.APROBADO)),
    )
    compromisos = Compromiso.objects.filter(formulacion__proceso=proceso)
    cifras["compromisos"] = compromisos.count()
    por_medida = _conteo(compromisos, "tipo_medida", dict(Compromiso.TipoMedida.choices))
    por_complejidad = _conteo(compromisos, "complejidad", dict(Compromiso.Complejidad.choices))

    por_estado = {e: Count("pk", filter=Q(estado=e)) for e in EstadoRevision.values}
    informes = {
        fila["periodo"]: fila
        for fila in InformeAvance.objects.filter(formulacion__proceso=proceso)
        .values("periodo")
        .order_by()
        .annotate(
            total=Count("pk"),
            enviados=Count("pk", filter=Q(estado__in=ENVIADOS)),
            atrasados=Count("pk", filter=Q(estado__in=ENVIADOS, es_atrasado=True)),
            **por_estado,
        )
    }
    avance = {
        fila["informe__periodo"]: fila["promedio"]
        for fila in AvanceCompromiso.objects.filter(
            informe__formulacion__proceso=proceso, informe__estado__in=ENVIADOS
        )
        .values("informe__periodo")
        .order_by()
        .annotate(promedio=Avg("porcentaje"))
    }
    periodos = []
    for periodo, nombre in periodos_del_anio(anio):
        fila = informes.get(periodo, {"total": 0, "enviados": 0, "atrasados": 0})
        enviados = fila["enviados"]
        periodos.append(
            {
                "periodo": periodo,
                "nombre": nombre,
                "enviados": enviados,
                "atrasados": fila["atrasados"],
                "sin_enviar": cifras["servicios"] - enviados,
                "tasa_en_plazo": (enviados - fila["atrasados"]) / enviados if enviados else None,
                "avance_promedio": avance.get(periodo),
                "estados": [fila.get(e, 0) for e in EstadoRevision.values],
            }
        )
    # The latest periodo with sent informes is the one the progress charts describe.
    ultimo = next((p for p in reversed(periodos) if p["enviados"]), periodos[0])
    por_tipo = totales_por(formulaciones, periodo=ultimo["periodo"], campo="servicio__tipo__nombre")
    por_ministerio = totales_por(
        formulaciones, periodo=ultimo["periodo"], campo="servicio__ministerio__nombre"
    )
    validacion = {
        fila["resultado"]: fila["total"]
        for fila in ValidacionIniciativa.objects.filter(validacion__formulacion__proceso=proceso)
        .values("resultado")
        .order_by()
        .annotate(total=Count("pk"))
    }
    resultados = [
        (etiqueta, validacion.get(valor, 0))
        for valor, etiqueta in ValidacionServicio.Resultado.choices
    ]
    tendencia = list(
        Proceso.objects.filter(anio__lte=anio)
        .annotate(
            servicios=Count("formulaciones", distinct=True),
            compromisos=Count("formulaciones__compromisos", distinct=True),
        )
        .values("anio", "servicios", "compromisos")
        .order_by("-anio")[:6]
    )[::-1]
    return {
        "proceso": proceso,
        "anio": anio,
        "cifras": cifras,
        "por_medida": por_medida,
        "por_complejidad": por_complejidad,
        "periodos": periodos,
        "ultimo": ultimo,
        "por_tipo": por_tipo,
        "por_ministerio": sorted(por_ministerio, key=lambda f: -(f["avance_promedio"] or 0)),
        "resultados": resultados,
        # Shares of the same total, rounded so they add up to 100 % as the total row says.
        "tabla_resultados": list(
            zip(
                [etiqueta for etiqueta, _ in resultados],
                [total for _, total in resultados],
                formato.porcentajes_que_suman([total for _, total in resultados]),
                strict=True,
            )
        ),
        "total_validadas": sum(total for _, total in resultados),
        "tendencia": tendencia,
        "estados": [etiqueta for _, etiqueta in EstadoRevision.choices],
    }


def _conteo(queryset: QuerySet, campo: str, etiquetas: dict[str, str]) -> list[tuple[str, int]]:
    totales = dict(queryset.values_list(campo).annotate(total=Count("pk")).order_by())
    return [(etiqueta, totales.get(valor, 0)) for valor, etiqueta in etiquetas.items()]


# --- 6. Expediente del servicio ------------------------------------------------------------


def informes_con_formulario(formulacion_id: int) -> QuerySet[InformeAvance]:
    """The formulación's informes whose form was filled (issue 16), for their PDFs."""
    return (
        InformeAvance.objects.filter(formulacion_id=formulacion_id, llenado__isnull=False)
        .select_related(
            "tipo", "llenado__plantilla", "formulacion__servicio", "formulacion__proceso"
        )
        .order_by("tipo__orden", "periodo")
    )


def medios_del_expediente(formulacion_id: int) -> QuerySet[MedioVerificacion]:
    """Every file of the formulación's informes (of its compromisos and of its form questions),
    current and replaced, in filing order."""
    return (
        MedioVerificacion.objects.filter(
            informe__formulacion_id=formulacion_id, eliminado_en__isnull=True
        )
        .select_related("informe__tipo", "avance__compromiso", "pregunta", "subido_por")
        .annotate(reemplazado_por_id=F("reemplazado_por"))
        .order_by(
            "informe__periodo", "avance__compromiso__codigo", "pregunta_id", "subido_en", "pk"
        )
    )
