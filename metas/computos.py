"""Indicators the SRM computes from its own records, never typed.

A registry: each computation has a key, a name, its formula in words and a function that,
for a range of dates, returns the numerator, the denominator and the rows behind them (the
drill-down of the indicator's page). Another app adds one with `registrar(Computo(...))` in
its AppConfig.ready.

Each function reads a fixed number of queries, whatever the number of rows.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, Min, OuterRef
from django.utils import timezone

from asistencia.models import Consulta
from bitacora.models import Evento
from compromisos.models import EstadoRevision, FormulacionPMG, InformeAvance, MedioVerificacion
from compromisos.selectors import Calendario
from habiles.calendario import CalendarioHabil
from servicios.models import Cartera
from validacion.models import VeredictoMedio


@dataclass
class Resultado:
    """A computation's figures over a range and the rows behind them."""

    numerador: Decimal
    denominador: Decimal
    columnas: list[str]
    filas: list[list[Any]]
    # Optional subtotals shown above the rows (e.g. per analista): (label, numerador, denominador).
    grupos: list[tuple[str, Decimal, Decimal]] = field(default_factory=list)
    titulo_grupos: str = ""


@dataclass(frozen=True)
class Computo:
    clave: str
    nombre: str
    numerador: str
    denominador: str
    factor: Decimal
    unidad_medida: str
    sentido: str
    funcion: Callable[..., Resultado]
    parametros: dict = field(default_factory=dict)
    # "ultimo" when each period's figure states a situation at its end (a stock, not a flow):
    # the year's figure is then the last period's, not the sum (Indicador.acumulacion).
    acumulacion: str = "suma"

    def calcular(
        self,
        *,
        desde: datetime.date,
        hasta: datetime.date,
        anio: int,
        parametros: dict | None = None,
        hoy: datetime.date | None = None,
    ) -> Resultado:
        return self.funcion(
            desde=desde,
            hasta=hasta,
            anio=anio,
            hoy=hoy or timezone.localdate(),
            **{**self.parametros, **(parametros or {})},
        )


_REGISTRO: dict[str, Computo] = {}


def registrar(computo: Computo) -> None:
    """Add a computation; a key is registered once."""
    if computo.clave in _REGISTRO and _REGISTRO[computo.clave] != computo:
        raise ValueError(f"Cálculo ya registrado: {computo.clave}")
    _REGISTRO[computo.clave] = computo


def obtener(clave: str) -> Computo | None:
    return _REGISTRO.get(clave)


def opciones() -> list[tuple[str, str]]:
    return sorted(((c.clave, c.nombre) for c in _REGISTRO.values()), key=lambda par: par[1])


def _dia(momento: datetime.datetime) -> datetime.date:
    return timezone.localdate(momento)


def _inicio_del_dia(dia: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(dia, datetime.time.min))


def _rango(
    desde: datetime.date, hasta: datetime.date
) -> tuple[datetime.datetime, datetime.datetime]:
    return _inicio_del_dia(desde), _inicio_del_dia(hasta + datetime.timedelta(days=1))


def _primeros(
    accion: str | list[str],
    ids: Any = None,
    rango: tuple[datetime.datetime, datetime.datetime] | None = None,
) -> dict[int, datetime.datetime]:
    """The first moment each informe had one of these logged actions (only those whose first
    one falls in `rango`, when given): one query."""
    acciones = [accion] if isinstance(accion, str) else accion
    eventos = Evento.objects.filter(
        tipo_objeto=ContentType.objects.get_for_model(InformeAvance), accion__in=acciones
    )
    if ids is not None:
        eventos = eventos.filter(objeto_id__in=ids)
    primeros = eventos.values("objeto_id").annotate(primero=Min("momento"))
    if rango is not None:
        primeros = primeros.filter(primero__gte=rango[0], primero__lt=rango[1])
    return dict(primeros.values_list("objeto_id", "primero"))


def _informes(ids: Any) -> dict[int, InformeAvance]:
    return {
        informe.pk: informe
        for informe in InformeAvance.objects.filter(pk__in=ids).select_related(
            "formulacion__servicio", "formulacion__proceso", "tipo"
        )
    }


def informes_revisados_a_tiempo(
    *, desde: datetime.date, hasta: datetime.date, anio: int, hoy: datetime.date, dias: int = 10
) -> Resultado:
    """Informes first sent in the range, reviewed (observed or approved) within `dias` días
    hábiles of that sending. One still unreviewed counts only once its deadline has passed."""
    envios = _primeros("informe.enviar", rango=_rango(desde, hasta))
    revisiones = _primeros(["informe.observar", "informe.aprobar"], envios.keys())
    informes = _informes(envios.keys())
    calendario = CalendarioHabil.desde_hasta(desde, max(hoy, hasta) + datetime.timedelta(days=120))
    numerador = denominador = 0
    filas = []
    for pk, enviado in sorted(envios.items(), key=lambda par: par[1]):
        informe = informes[pk]
        plazo = calendario.sumar(_dia(enviado), dias)
        revisado = revisiones.get(pk)
        if revisado is not None:
            a_tiempo = _dia(revisado) <= plazo
            situacion = "A tiempo" if a_tiempo else "Fuera de plazo"
        elif hoy > plazo:
            a_tiempo, situacion = False, "Sin revisar, plazo vencido"
        else:
            filas.append(_fila_informe(informe, enviado, plazo, None, "Sin revisar, en plazo"))
            continue
        denominador += 1
        numerador += a_tiempo
        filas.append(_fila_informe(informe, enviado, plazo, revisado, situacion))
    return Resultado(
        numerador=Decimal(numerador),
        denominador=Decimal(denominador),
        columnas=["Servicio", "Informe", "Enviado", "Plazo de revisión", "Revisado", "Situación"],
        filas=filas,
    )


def _fila_informe(
    informe: InformeAvance,
    enviado: datetime.datetime,
    plazo: datetime.date,
    revisado: datetime.datetime | None,
    situacion: str,
) -> list[Any]:
    return [
        informe.formulacion.servicio.nombre,
        f"{informe.tipo.nombre} {informe.formulacion.proceso.anio}",
        _dia(enviado),
        plazo,
        _dia(revisado) if revisado else None,
        situacion,
    ]


def dias_envio_aprobacion(
    *, desde: datetime.date, hasta: datetime.date, anio: int, hoy: datetime.date
) -> Resultado:
    """Mean días hábiles from an informe's first sending to its approval, over the informes
    approved in the range; subtotals per analista of the servicio's cartera."""
    aprobaciones = _primeros("informe.aprobar", rango=_rango(desde, hasta))
    envios = _primeros("informe.enviar", aprobaciones.keys())
    informes = _informes(aprobaciones.keys())
    analistas = {
        (fila["anio"], fila["servicio_id"]): fila["usuario__username"]
        for fila in Cartera.objects.filter(
            rol=Cartera.Rol.ANALISTA,
            servicio_id__in={i.formulacion.servicio_id for i in informes.values()},
        ).values("anio", "servicio_id", "usuario__username")
    }
    primer_envio = min((_dia(m) for m in envios.values()), default=desde)
    calendario = CalendarioHabil.desde_hasta(min(primer_envio, desde), hasta)
    total = contados = 0
    por_analista: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    filas = []
    for pk, aprobado in sorted(aprobaciones.items(), key=lambda par: par[1]):
        informe = informes[pk]
        enviado = envios.get(pk)
        if enviado is None:
            continue
        dias = calendario.habiles_entre(_dia(enviado), _dia(aprobado))
        analista = analistas.get(
            (informe.formulacion.proceso.anio, informe.formulacion.servicio_id), "Sin cartera"
        )
        total += dias
        contados += 1
        por_analista[analista][0] += dias
        por_analista[analista][1] += 1
        filas.append(
            [
                informe.formulacion.servicio.nombre,
                f"{informe.tipo.nombre} {informe.formulacion.proceso.anio}",
                analista,
                _dia(enviado),
                _dia(aprobado),
                dias,
            ]
        )
    return Resultado(
        numerador=Decimal(total),
        denominador=Decimal(contados),
        columnas=[
            "Servicio",
            "Informe",
            "Analista (cartera)",
            "Enviado",
            "Aprobado",
            "Días hábiles",
        ],
        filas=filas,
        grupos=[
            (analista, Decimal(suma), Decimal(cuantos))
            for analista, (suma, cuantos) in sorted(por_analista.items())
        ],
        titulo_grupos="Promedio por analista de cartera",
    )


def formulaciones_aprobadas_a_tiempo(
    *, desde: datetime.date, hasta: datetime.date, anio: int, hoy: datetime.date
) -> Resultado:
    """Servicios of the year's process whose formulación was approved by its deadline (the
    calendar's formulación hito for their kind), among those whose deadline fell by `hasta`."""
    formulaciones = list(
        FormulacionPMG.objects.filter(proceso__anio=anio)
        .select_related("servicio", "proceso")
        .order_by("servicio__nombre")
    )
    calendario = Calendario([f.proceso_id for f in formulaciones[:1]])
    aprobaciones = dict(
        Evento.objects.filter(
            tipo_objeto=ContentType.objects.get_for_model(FormulacionPMG),
            accion="formulacion.aprobar",
            objeto_id__in=[f.pk for f in formulaciones],
        )
        .values("objeto_id")
        .annotate(primero=Min("momento"))
        .values_list("objeto_id", "primero")
    )
    numerador = denominador = 0
    filas = []
    for formulacion in formulaciones:
        plazo = calendario.plazo(
            proceso_id=formulacion.proceso_id,
            tipo_id=formulacion.servicio.tipo_id,
            etapa="formulacion",
        )
        aprobada = aprobaciones.get(formulacion.pk)
        if plazo is None:
            situacion = "Sin plazo en el calendario (no se cuenta)"
        elif plazo > hasta:
            situacion = "Plazo aún no vence (no se cuenta)"
        else:
            denominador += 1
            a_tiempo = aprobada is not None and _dia(aprobada) <= plazo
            numerador += a_tiempo
            situacion = "Aprobada a tiempo" if a_tiempo else "No aprobada a tiempo"
        filas.append(
            [
                formulacion.servicio.nombre,
                plazo,
                _dia(aprobada) if aprobada else None,
                formulacion.get_estado_display(),
                situacion,
            ]
        )
    return Resultado(
        numerador=Decimal(numerador),
        denominador=Decimal(denominador),
        columnas=["Servicio", "Plazo", "Aprobada", "Estado actual", "Situación"],
        filas=filas,
    )


def medios_con_veredicto(
    *, desde: datetime.date, hasta: datetime.date, anio: int, hoy: datetime.date
) -> Resultado:
    """Current medios of the year's sent informes, uploaded by `hasta`, with an analista's
    verdict given by then."""
    _, fin = _rango(desde, hasta)
    veredictos = VeredictoMedio.objects.filter(medio=OuterRef("pk"), momento__lt=fin)
    # A compromiso's files and those of the form's questions (issue 16).
    medios = (
        MedioVerificacion.objects.filter(
            informe__formulacion__proceso__anio=anio,
            eliminado_en__isnull=True,
            reemplazado_por__isnull=True,
            subido_en__lt=fin,
        )
        .exclude(informe__estado=EstadoRevision.BORRADOR)
        .annotate(con_veredicto=Exists(veredictos))
        .values_list(
            "informe__formulacion__servicio__nombre",
            # The informe's kind names it as its year does (2011: «Informe de factibilidad»).
            "informe__tipo__nombre",
            "avance__compromiso__codigo",
            "pregunta__numero",
            "nombre_original",
            "con_veredicto",
        )
        .order_by("informe__formulacion__servicio__nombre", "informe__periodo", "pk")
    )
    filas = [
        [servicio, entregable, codigo or numero, nombre, "Sí" if con else "No"]
        for servicio, entregable, codigo, numero, nombre, con in medios
    ]
    return Resultado(
        numerador=Decimal(sum(1 for fila in filas if fila[-1] == "Sí")),
        denominador=Decimal(len(filas)),
        columnas=["Servicio", "Informe", "Compromiso o pregunta", "Archivo", "Con veredicto"],
        filas=filas,
    )


def consultas_respondidas_a_tiempo(
    *, desde: datetime.date, hasta: datetime.date, anio: int, hoy: datetime.date
) -> Resultado:
    """Consultas asked in the range, answered by their deadline (asistencia stores it at
    asking: the year's días hábiles from that day; an answer on the deadline day is on time).
    One still unanswered counts, as late, once its deadline has passed."""
    inicio, fin = _rango(desde, hasta)
    consultas = list(
        Consulta.objects.filter(creada_en__gte=inicio, creada_en__lt=fin)
        .select_related("servicio")
        .order_by("creada_en", "pk")
    )
    ultimo = max([hoy, hasta, *(_dia(c.respondida_en) for c in consultas if c.respondida_en)])
    calendario = CalendarioHabil.desde_hasta(desde, ultimo)
    numerador = denominador = 0
    filas = []
    for consulta in consultas:
        preguntada = _dia(consulta.creada_en)
        respondida = _dia(consulta.respondida_en) if consulta.respondida_en else None
        if respondida is not None:
            a_tiempo = respondida <= consulta.plazo
            situacion = "A tiempo" if a_tiempo else "Fuera de plazo"
        elif hoy > consulta.plazo:
            a_tiempo, situacion = False, "Sin responder, plazo vencido"
        else:
            a_tiempo, situacion = None, "Sin responder, en plazo"
        if a_tiempo is not None:
            denominador += 1
            numerador += a_tiempo
        filas.append(
            [
                consulta.servicio.nombre,
                consulta.asunto,
                preguntada,
                consulta.plazo,
                respondida,
                calendario.habiles_entre(preguntada, respondida) if respondida else None,
                situacion,
            ]
        )
    return Resultado(
        numerador=Decimal(numerador),
        denominador=Decimal(denominador),
        columnas=[
            "Servicio",
            "Consulta",
            "Preguntada",
            "Responder a más tardar",
            "Respondida",
            "Días hábiles hasta la respuesta",
            "Situación",
        ],
        filas=filas,
    )


CIEN, UNO = Decimal("100"), Decimal("1")
for _computo in [
    Computo(
        clave="informes_revisados_a_tiempo",
        nombre="Informes revisados dentro del plazo",
        numerador="Informes revisados (observados o aprobados) dentro de N días hábiles desde su primer envío",
        denominador="Informes enviados en el período, revisados o con su plazo de revisión vencido",
        factor=CIEN,
        unidad_medida="%",
        sentido="ascendente",
        funcion=informes_revisados_a_tiempo,
        parametros={"dias": 10},
    ),
    Computo(
        clave="dias_envio_aprobacion",
        nombre="Días hábiles promedio desde el envío hasta la aprobación",
        numerador="Suma de días hábiles entre el primer envío y la aprobación de cada informe",
        denominador="Informes aprobados en el período",
        factor=UNO,
        unidad_medida="días hábiles",
        sentido="descendente",
        funcion=dias_envio_aprobacion,
    ),
    Computo(
        clave="formulaciones_aprobadas_a_tiempo",
        nombre="Servicios con su formulación aprobada dentro del plazo",
        numerador="Servicios con la formulación aprobada a más tardar en la fecha límite del calendario",
        denominador="Servicios con formulación del año cuyo plazo ya venció",
        factor=CIEN,
        unidad_medida="%",
        sentido="ascendente",
        funcion=formulaciones_aprobadas_a_tiempo,
        acumulacion="ultimo",
    ),
    Computo(
        clave="medios_con_veredicto",
        nombre="Medios de verificación con veredicto",
        numerador="Medios vigentes de informes enviados con un veredicto del analista",
        denominador="Medios vigentes de informes enviados del año",
        factor=CIEN,
        unidad_medida="%",
        sentido="ascendente",
        funcion=medios_con_veredicto,
        acumulacion="ultimo",
    ),
    Computo(
        clave="consultas_respondidas_a_tiempo",
        nombre="Consultas respondidas a tiempo",
        numerador="Consultas hechas en el período respondidas a más tardar el día de su plazo (días hábiles de asistencia técnica)",
        denominador="Consultas hechas en el período, respondidas o con su plazo vencido",
        factor=CIEN,
        unidad_medida="%",
        sentido="ascendente",
        funcion=consultas_respondidas_a_tiempo,
    ),
]:
    registrar(_computo)
