"""Demo data: a year of the PMG with users for every role, or many years at scale.

States are reached through validacion.services.revision_transicionar, as a person would,
so the event log and the late flags are real. Plain rows (compromisos, avances, medios) are
bulk-created so that the scale option builds 150 servicios × 10 years in minutes.
"""

import csv
import datetime
import functools
import hashlib
import io
import random
import struct
import uuid
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils import timezone

from compromisos.models import (
    AvanceCompromiso,
    Compromiso,
    EstadoRevision,
    FormulacionPMG,
    Hito,
    HitoCompromiso,
    InformeAvance,
    LineaFormulacion,
    MedioComprometido,
    MedioVerificacion,
    Proceso,
    TipoMedio,
)
from servicios.models import Cartera, Membresia, Region, Servicio, TipoServicio
from tablero import resumenes
from validacion import notificaciones
from validacion.services import observacion_crear, revision_transicionar

User = get_user_model()

CLAVE_DEMO = "demo"
OSORNO = "Gobernación Provincial de Osorno"
SERVICIO2 = "Gobernación Provincial de Llanquihue"

USUARIOS_DEMO = [
    # username, group, first name, last name
    ("admin", "admin", "Carolina", "Fuentes"),
    ("analista", "analista", "Rodrigo", "Sepúlveda"),
    ("servicio", "servicio", "Marcela", "Oyarzún"),
    ("servicio2", "servicio", "Patricio", "Vera"),
    ("consultora", "consultora", "Andrea", "Morales"),
    ("jefatura", "jefatura", "Jorge", "Valenzuela"),
]

E = EstadoRevision
P = InformeAvance.Periodo

# (month, day) of each hito of the yearly calendar; None in tipos = every kind of servicio.
CALENDARIO = [
    (
        "puesta_en_marcha",
        "Jornadas de puesta en marcha (servicios nacionales y GORE)",
        (1, 12),
        (1, 30),
        None,
    ),
    (
        "formulacion",
        "Entrega informe de factibilidad y formulación (servicios nacionales)",
        None,
        (3, 31),
        "no_gore",
    ),
    (
        "formulacion",
        "Entrega informe de factibilidad y formulación (GORE)",
        (5, 4),
        (5, 15),
        "gore",
    ),
    (
        "programa_trabajo",
        "Programa de trabajo anual (servicios nacionales)",
        None,
        (5, 29),
        "no_gore",
    ),
    ("programa_trabajo", "Programa de trabajo (GORE)", (6, 1), (6, 15), "gore"),
    ("avance_1", "Informe de avance 1", (6, 15), (6, 30), None),
    ("avance_2", "Informe de avance 2", (8, 17), (8, 31), None),
    ("avance_3", "Informe de avance 3", (10, 15), (10, 30), None),
    ("final", "Informe final / evaluación", (11, 16), (12, 11), None),
]

INICIATIVAS = [
    (
        "Convenio de programación de inversiones con el Gobierno Regional",
        "infraestructura",
        "descentralizacion",
    ),
    (
        "Transferencia de decisión de asignación de subsidios a la instancia regional",
        "fomento_productivo",
        "descentralizacion",
    ),
    (
        "Delegación de facultades de firma en las direcciones regionales",
        "desarrollo_social",
        "desconcentracion",
    ),
    (
        "Mesa técnica provincial de coordinación de servicios públicos",
        "desarrollo_social",
        "desconcentracion",
    ),
    (
        "Sistema de información territorial de la oferta del servicio",
        "ciencia_tecnologia",
        "desconcentracion",
    ),
    (
        "Incorporación de prioridades regionales en el anteproyecto de presupuesto",
        "infraestructura",
        "descentralizacion",
    ),
    (
        "Programa de fomento con decisión regional de la cartera de proyectos",
        "fomento_productivo",
        "descentralizacion",
    ),
    (
        "Convenio de colaboración con municipios para gestión cultural",
        "cultura",
        "desconcentracion",
    ),
    (
        "Plan de cooperación internacional con regiones fronterizas",
        "insercion_internacional",
        "descentralizacion",
    ),
    (
        "Provisión periódica de información de interés regional al Gobierno Regional",
        "ciencia_tecnologia",
        "desconcentracion",
    ),
]
COMPLEJIDADES = ["inmediata", "mediana", "mayor"]
MEDIOS_PROMETIDOS = [
    ("Acta de constitución de la mesa de trabajo", TipoMedio.ACTA),
    ("Oficio de envío al Gobierno Regional", TipoMedio.OFICIO),
    ("Convenio firmado por ambas partes", TipoMedio.CONVENIO),
    ("Informe de implementación", TipoMedio.INFORME),
    ("Registro fotográfico de la jornada", TipoMedio.FOTOGRAFIA),
    ("Planilla de seguimiento de compromisos", TipoMedio.PLANILLA),
]
LINEAS_PMG = [
    (
        "Calidad de Atención a Usuarios",
        "Sistema Integral de Información y Atención Ciudadana",
        4,
        "MENOR",
        "10.00",
    ),
    ("Calidad de Atención a Usuarios", "Sistema Seguridad de la Información", 2, "ALTA", "20.00"),
    (
        "Planificación / Control de Gestión",
        "Sistema de Monitoreo del Desempeño Institucional",
        3,
        "ALTA",
        "40.00",
    ),
    ("Planificación / Control de Gestión", "Descentralización", 2, "MEDIANA", "15.00"),
    ("Planificación / Control de Gestión", "Equidad de Género", 2, "MEDIANA", "15.00"),
]
PORCENTAJE_POR_PERIODO = {P.AVANCE_1: 25, P.AVANCE_2: 50, P.AVANCE_3: 75, P.FINAL: 100}


@dataclass
class Resumen:
    anios_creados: list[int] = field(default_factory=list)
    anios_existentes: list[int] = field(default_factory=list)
    servicios: int = 0
    compromisos: int = 0
    informes: int = 0
    medios: int = 0
    transiciones: int = 0
    iniciativas_validadas: int = 0


def construir_demo(
    *,
    anio: int,
    cantidad_servicios: int = 12,
    cantidad_anios: int = 1,
    semilla: int = 2011,
    informar: Callable[[str], None] = lambda mensaje: None,
) -> Resumen:
    """Build (or leave as it is, when present) the demo years ending in `anio`, telling nobody."""
    with notificaciones.en_silencio():
        return _construir_demo(
            anio=anio,
            cantidad_servicios=cantidad_servicios,
            cantidad_anios=cantidad_anios,
            semilla=semilla,
            informar=informar,
        )


def _construir_demo(
    *, anio: int, cantidad_servicios: int, cantidad_anios: int, semilla: int, informar
) -> Resumen:
    azar = random.Random(semilla)
    resumen = Resumen()
    usuarios = _usuarios_demo()
    servicios = _servicios_demo(cantidad_servicios)
    resumen.servicios = len(servicios)
    encargados = _encargados(servicios, usuarios)
    analistas = _analistas(len(servicios), usuarios)
    for anio_proceso in range(anio - cantidad_anios + 1, anio + 1):
        proceso = _proceso(anio_proceso)
        if FormulacionPMG.objects.filter(proceso=proceso, servicio__in=servicios).exists():
            resumen.anios_existentes.append(anio_proceso)
            continue
        informar(f"Año {anio_proceso}: creando datos de {len(servicios)} servicios…")
        # One transaction per year: an interrupted run leaves no half-built year behind.
        with transaction.atomic():
            _carteras(proceso, servicios, analistas, usuarios["consultora"])
            _anio_demo(
                proceso=proceso,
                servicios=servicios,
                encargados=encargados,
                analistas=analistas,
                es_anio_en_curso=anio_proceso == anio,
                azar=azar,
                resumen=resumen,
            )
            if anio_proceso != anio:
                # A closed year: the consultora validated it and SUBDERE ratified it. Its own
                # random sequence, so the other years' data do not change with it.
                _validacion_final_demo(
                    proceso=proceso,
                    consultora=usuarios["consultora"],
                    analistas=analistas,
                    azar=random.Random(f"{semilla}-validacion-{anio_proceso}"),
                    resumen=resumen,
                )
            # The rows above were bulk-created, without the signals that keep these totals.
            resumenes.reconstruir(anios=[anio_proceso])
        if connection.vendor == "postgresql":
            # A year adds a tenth to every table: without fresh statistics the next year's
            # queries got plans for the smaller tables and ran several times slower.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        resumen.anios_creados.append(anio_proceso)
    return resumen


def _usuario_demo(username: str, grupo: str, nombre: str, apellido: str) -> "User":
    """A demo user with password «demo» in its group; left as it is when it exists."""
    usuario, creado = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": nombre,
            "last_name": apellido[:150],
            "email": f"{username}@demo.srm.invalid",
            "password": _clave_demo(),
            "is_staff": grupo == "admin",
        },
    )
    if creado:
        usuario.groups.add(Group.objects.get(name=grupo))
    return usuario


@functools.cache
def _clave_demo() -> str:
    # Hashing is deliberately slow: hash once for the hundreds of demo users at scale.
    return make_password(CLAVE_DEMO)


def _usuarios_demo() -> dict[str, "User"]:
    return {username: _usuario_demo(username, *datos) for username, *datos in USUARIOS_DEMO}


def _servicios_demo(cantidad: int) -> list[Servicio]:
    """Osorno and Llanquihue first, then an even spread over the kinds of servicio."""
    primeros = sorted(
        Servicio.objects.filter(nombre__in=[OSORNO, SERVICIO2]), key=lambda s: s.nombre != OSORNO
    )
    if len(primeros) != 2:
        raise RuntimeError(
            "Faltan los datos de referencia: ejecute «manage.py loaddata servicios» primero."
        )
    resto_por_tipo = [
        list(
            Servicio.objects.filter(tipo=tipo, activo=True)
            .exclude(pk__in=[s.pk for s in primeros])
            .order_by("pk")
        )
        for tipo in TipoServicio.objects.order_by("orden")
    ]
    elegidos = primeros[:]
    while len(elegidos) < cantidad and any(resto_por_tipo):
        for lista in resto_por_tipo:
            if lista and len(elegidos) < cantidad:
                elegidos.append(lista.pop(0))
    return elegidos[:cantidad]


def _encargados(servicios: list[Servicio], usuarios: dict) -> dict[int, "User"]:
    """One encargado/a PMG per servicio: `servicio` and `servicio2` for the first two."""
    encargados = {servicios[0].pk: usuarios["servicio"], servicios[1].pk: usuarios["servicio2"]}
    for servicio in servicios[2:]:
        encargados[servicio.pk] = _usuario_demo(
            f"encargado{servicio.pk}",
            "servicio",
            "Encargado/a PMG",
            servicio.sigla or servicio.nombre,
        )
    for servicio in servicios:
        Membresia.objects.get_or_create(usuario=encargados[servicio.pk], servicio=servicio)
    return encargados


def _analistas(cantidad_servicios: int, usuarios: dict) -> list["User"]:
    """The demo analista plus colleagues, about 30 servicios each, so carteras differ."""
    colegas = [
        _usuario_demo(f"analista{numero}", "analista", "Analista", f"SUBDERE {numero}")
        for numero in range(2, max(2, cantidad_servicios // 30) + 2)
    ]
    return [usuarios["analista"], *colegas]


def _analista_de(indice: int, analistas: list) -> "User":
    # The first servicios (Osorno, Llanquihue…) are in the demo analista's cartera; the last ones are not.
    if indice < 2:
        return analistas[0]
    return analistas[indice % len(analistas)]


def _proceso(anio: int) -> Proceso:
    proceso, creado = Proceso.objects.get_or_create(
        anio=anio,
        defaults={
            "decreto_programa_marco": f"Decreto exento que aprueba el Programa Marco PMG {anio}"
        },
    )
    if creado:
        gore = list(TipoServicio.objects.filter(codigo="gobierno-regional"))
        no_gore = list(TipoServicio.objects.exclude(codigo="gobierno-regional"))
        for etapa, nombre, inicio, limite, tipos in CALENDARIO:
            hito = Hito.objects.create(
                proceso=proceso,
                etapa=etapa,
                nombre=nombre,
                fecha_inicio=datetime.date(anio, *inicio) if inicio else None,
                fecha_limite=datetime.date(anio, *limite),
            )
            if tipos:
                hito.tipos_servicio.set(gore if tipos == "gore" else no_gore)
    return proceso


def _carteras(proceso: Proceso, servicios: list[Servicio], analistas: list, consultora) -> None:
    existentes = set(Cartera.objects.filter(anio=proceso.anio).values_list("rol", "servicio_id"))
    nuevas = []
    for indice, servicio in enumerate(servicios):
        if (Cartera.Rol.ANALISTA, servicio.pk) not in existentes:
            nuevas.append(
                Cartera(
                    anio=proceso.anio,
                    rol=Cartera.Rol.ANALISTA,
                    servicio=servicio,
                    usuario=_analista_de(indice, analistas),
                )
            )
        if (Cartera.Rol.CONSULTORA, servicio.pk) not in existentes:
            nuevas.append(
                Cartera(
                    anio=proceso.anio,
                    rol=Cartera.Rol.CONSULTORA,
                    servicio=servicio,
                    usuario=consultora,
                )
            )
    Cartera.objects.bulk_create(nuevas)
    for usuario in [*analistas, consultora]:
        # The permission door caches carteras per user object.
        usuario.__dict__.pop("_srm_cartera", None)


# The current year's avance 3 cycles through every state; the informe final is opened only by
# servicios whose avance 3 was approved, so each servicio's history reads in order.
CICLO_AVANCE_3 = [
    E.OBSERVADO,
    E.ENVIADO,
    E.EN_REVISION,
    E.APROBADO,
    E.ENVIADO,
    E.APROBADO,
    E.BORRADOR,
    E.APROBADO,
]
FINAL_SEGUN_POSICION = {3: E.APROBADO, 5: E.ENVIADO, 7: E.EN_REVISION}


def _estado_objetivo(indice: int, periodo: str, es_anio_en_curso: bool) -> str:
    """Where each informe of the demo ends: past years closed, every state in the current one."""
    if not es_anio_en_curso or periodo in (P.AVANCE_1, P.AVANCE_2):
        return E.APROBADO
    posicion = indice % len(CICLO_AVANCE_3)
    if periodo == P.AVANCE_3:
        return CICLO_AVANCE_3[posicion]
    return FINAL_SEGUN_POSICION.get(posicion, E.BORRADOR)


RUTA_HASTA = {
    E.BORRADOR: [],
    E.ENVIADO: ["enviar"],
    E.EN_REVISION: ["enviar", "tomar"],
    E.OBSERVADO: ["enviar", "tomar", "observar"],
    E.APROBADO: ["enviar", "tomar", "aprobar"],
}


def _anio_demo(
    *, proceso, servicios, encargados, analistas, es_anio_en_curso, azar, resumen
) -> None:
    regiones = list(Region.objects.all())
    ahora = timezone.now()
    cantidad = len(servicios)
    compromisos_por_servicio = 3 if cantidad <= 20 else 10
    with transaction.atomic():
        formulaciones = FormulacionPMG.objects.bulk_create(
            [FormulacionPMG(servicio=servicio, proceso=proceso) for servicio in servicios]
        )
        LineaFormulacion.objects.bulk_create(
            [
                LineaFormulacion(
                    formulacion=formulacion,
                    area=area,
                    sistema=sistema,
                    etapa=etapa,
                    prioridad=prioridad,
                    ponderador=Decimal(ponderador),
                    orden=orden,
                )
                for formulacion in formulaciones
                for orden, (area, sistema, etapa, prioridad, ponderador) in enumerate(
                    LINEAS_PMG, start=1
                )
            ]
        )
        compromisos = Compromiso.objects.bulk_create(
            [
                _compromiso(formulacion, numero, azar)
                for formulacion in formulaciones
                for numero in range(1, compromisos_por_servicio + 1)
            ]
        )
        _detalle_compromisos(compromisos, proceso.anio, regiones, azar)
        resumen.compromisos += len(compromisos)

    fecha_formulacion = timezone.make_aware(datetime.datetime(proceso.anio, 3, 25, 10, 0))
    for indice, formulacion in enumerate(formulaciones):
        formulacion.servicio = servicios[indice]
        # The last servicio of the current demo year is still being formulated.
        destino_formulacion = (
            E.ENVIADO
            if es_anio_en_curso and indice == cantidad - 1 and cantidad > 2
            else E.APROBADO
        )
        _llevar_a(
            formulacion,
            destino_formulacion,
            encargados[formulacion.servicio_id],
            _analista_de(indice, analistas),
            fecha_formulacion,
            ahora,
            resumen,
        )

    plazos = dict(proceso.hitos.filter(etapa__in=P.values).values_list("etapa", "fecha_limite"))
    compromisos_por_formulacion: dict[int, list[Compromiso]] = {}
    for compromiso in compromisos:
        compromisos_por_formulacion.setdefault(compromiso.formulacion_id, []).append(compromiso)
    for indice, formulacion in enumerate(formulaciones):
        if formulacion.estado != E.APROBADO:
            continue
        for periodo in P.values:
            destino = _estado_objetivo(indice, periodo, es_anio_en_curso)
            plazo = plazos[periodo]
            if es_anio_en_curso and destino == E.BORRADOR and plazo > timezone.localdate():
                # Periods not yet due: the servicio opens the informe itself when it starts it.
                continue
            informe = _informe_con_avances(
                formulacion,
                periodo,
                compromisos_por_formulacion[formulacion.pk],
                encargados[formulacion.servicio_id],
                azar,
                resumen,
            )
            retraso = 3 if indice % 4 == 2 else -2
            envio = timezone.make_aware(
                datetime.datetime.combine(
                    plazo + datetime.timedelta(days=retraso), datetime.time(16, 30)
                )
            )
            _llevar_a(
                informe,
                destino,
                encargados[formulacion.servicio_id],
                _analista_de(indice, analistas),
                envio,
                ahora,
                resumen,
            )


# Verdicts of the demo's consultora: mostly cumple, some partial, a few not.
RESULTADOS_DEMO = ["cumple"] * 7 + ["parcial"] * 2 + ["no_cumple"]
FUNDAMENTOS_DEMO = {
    "cumple": "Los medios acreditan la implementación completa de la iniciativa en el plazo.",
    "parcial": "Se implementó en parte: falta el acto administrativo que formaliza la medida.",
    "no_cumple": "Los medios no acreditan avances verificables en la región.",
}


def _validacion_final_demo(*, proceso: Proceso, consultora, analistas, azar, resumen) -> None:
    """Each servicio whose informe final was approved: verdicts, sending, ratification, DIPRES."""
    from validacion import validacion_final

    formulaciones = (
        FormulacionPMG.objects.filter(
            proceso=proceso, informes__periodo=P.FINAL, informes__estado=E.APROBADO
        )
        .select_related("servicio")
        .prefetch_related("compromisos")
        .order_by("pk")
    )
    registro = datetime.date(proceso.anio + 1, 1, 20)
    por_pk = {analista.pk: analista for analista in analistas}
    analista_de = {
        servicio_id: por_pk[usuario_id]
        for servicio_id, usuario_id in Cartera.objects.filter(
            anio=proceso.anio, rol=Cartera.Rol.ANALISTA
        ).values_list("servicio_id", "usuario_id")
    }
    for formulacion in formulaciones:
        medios: dict[int, list[MedioVerificacion]] = {}
        for medio in MedioVerificacion.objects.filter(
            avance__informe__formulacion=formulacion,
            avance__informe__periodo=P.FINAL,
            eliminado_en__isnull=True,
        ).select_related("avance"):
            medios.setdefault(medio.avance.compromiso_id, []).append(medio)
        for compromiso in formulacion.compromisos.all():
            compromiso.formulacion = formulacion
            resultado = azar.choice(RESULTADOS_DEMO)
            validacion_final.iniciativa_validar(
                compromiso=compromiso,
                resultado=resultado,
                fundamento=FUNDAMENTOS_DEMO[resultado],
                medios=medios.get(compromiso.pk, []),
                usuario=consultora,
            )
            resumen.iniciativas_validadas += 1
        validacion_final.validacion_enviar(formulacion=formulacion, usuario=consultora)
        analista = analista_de[formulacion.servicio_id]
        validacion_final.validacion_ratificar(formulacion=formulacion, usuario=analista)
        validacion_final.dipres_registrar(formulacion=formulacion, fecha=registro, usuario=analista)


def _llevar_a(
    objeto, destino: str, encargado, analista, envio: datetime.datetime, ahora, resumen
) -> None:
    pasos = RUTA_HASTA[destino]
    # An informe sent before a deadline still to come was sent days ago, not in the future.
    momento = min(envio, ahora - datetime.timedelta(days=2 * len(pasos) + 1))
    for paso, accion in enumerate(pasos):
        actor = encargado if accion == "enviar" else analista
        cuando = min(momento + datetime.timedelta(days=2 * paso), ahora)
        if accion == "observar" and isinstance(objeto, InformeAvance):
            _observar(objeto, analista, cuando)
        revision_transicionar(
            objeto=objeto,
            accion=accion,
            usuario=actor,
            momento=cuando,
            comentario="Revisión de la demo." if accion == "observar" else "",
        )
        objeto.refresh_from_db(fields=["estado", "version"])
        resumen.transiciones += 1


OBSERVACIONES_DEMO = [
    "El acta adjunta no está firmada por la contraparte regional. Adjunte la versión firmada.",
    "El porcentaje de avance informado no se condice con los hitos cumplidos; revise el cálculo.",
]


def _observar(informe: InformeAvance, analista, cuando: datetime.datetime) -> None:
    avance = informe.avances.order_by("compromiso__codigo").first()
    for texto in OBSERVACIONES_DEMO:
        observacion_crear(
            informe=informe, texto=texto, usuario=analista, avance=avance, momento=cuando
        )
        avance = None  # the second one is about the informe as a whole


def _compromiso(formulacion: FormulacionPMG, numero: int, azar: random.Random) -> Compromiso:
    nombre, ambito, tipo = INICIATIVAS[(formulacion.servicio_id + numero) % len(INICIATIVAS)]
    return Compromiso(
        formulacion=formulacion,
        codigo=f"C{numero:02d}",
        nombre=nombre,
        descripcion=(
            f"{nombre}. La iniciativa busca que las decisiones sobre este ámbito se adopten en la región, "
            "con participación de las autoridades regionales y provinciales."
        ),
        tipo_medida=tipo,
        complejidad=azar.choice(COMPLEJIDADES),
        ambito=ambito,
        meta="Implementar el 100 % de las actividades comprometidas en el programa de trabajo.",
        indicador="Porcentaje de actividades del programa de trabajo implementadas",
    )


def _detalle_compromisos(
    compromisos: list[Compromiso], anio: int, regiones: list, azar: random.Random
) -> None:
    HitoCompromiso.objects.bulk_create(
        [
            HitoCompromiso(
                compromiso=compromiso,
                descripcion=descripcion,
                fecha_comprometida=datetime.date(anio, mes, 28),
                orden=orden,
            )
            for compromiso in compromisos
            for orden, (descripcion, mes) in enumerate(
                [
                    ("Diagnóstico y acuerdo con la contraparte regional", 4),
                    ("Implementación de la medida", 8),
                    ("Evaluación y difusión de resultados", 11),
                ],
                start=1,
            )
        ]
    )
    MedioComprometido.objects.bulk_create(
        [
            MedioComprometido(
                compromiso=compromiso, descripcion=descripcion, tipo=tipo, orden=orden
            )
            for compromiso in compromisos
            for orden, (descripcion, tipo) in enumerate(azar.sample(MEDIOS_PROMETIDOS, 2), start=1)
        ]
    )
    Relacion = Compromiso.regiones.through
    Relacion.objects.bulk_create(
        [
            Relacion(compromiso_id=compromiso.pk, region_id=region.pk)
            for compromiso in compromisos
            for region in azar.sample(regiones, azar.randint(1, 3))
        ]
    )


def _informe_con_avances(
    formulacion, periodo, compromisos, encargado, azar, resumen
) -> InformeAvance:
    es_final = periodo == P.FINAL
    informe = InformeAvance.objects.create(
        formulacion=formulacion,
        periodo=periodo,
        principales_logros="Se constituyó la mesa técnica regional y se firmaron los convenios comprometidos."
        if es_final
        else "",
        recomendaciones_futuras="Institucionalizar los acuerdos con el Gobierno Regional y estimar su costo en el presupuesto."
        if es_final
        else "",
        recomendaciones_subdere="Fortalecer la asistencia técnica a las contrapartes regionales."
        if es_final
        else "",
    )
    resumen.informes += 1
    base = PORCENTAJE_POR_PERIODO[periodo]
    avances = AvanceCompromiso.objects.bulk_create(
        [
            AvanceCompromiso(
                informe=informe,
                compromiso=compromiso,
                porcentaje=max(0, min(100, base - azar.choice([0, 0, 5, 10, 25]))),
                desarrollo_alcanzado=f"Durante el periodo se avanzó en «{compromiso.nombre.lower()}» según el programa de trabajo.",
                dificultades="Demora en la firma de la contraparte regional."
                if azar.random() < 0.3
                else "",
                proximos_pasos="Completar las actividades pendientes del programa de trabajo.",
            )
            for compromiso in compromisos
        ]
    )
    medios = []
    for avance in avances:
        for numero in range(1, 3):
            medios.append(_medio(avance, formulacion.servicio_id, numero, encargado, azar))
    MedioVerificacion.objects.bulk_create(medios)
    resumen.medios += len(medios)
    return informe


def _medio(
    avance: AvanceCompromiso, servicio_id: int, numero: int, encargado, azar: random.Random
) -> MedioVerificacion:
    tipo, extension, contenido = azar.choice(GENERADORES)(avance, numero)
    nombre = default_storage.save(
        f"medios/servicio/{servicio_id}/{uuid.uuid4().hex}.{extension}", ContentFile(contenido)
    )
    return MedioVerificacion(
        avance=avance,
        archivo=nombre,
        nombre_original=f"{tipo.label} {avance.compromiso.codigo} - {avance.informe.get_periodo_display()} ({numero}).{extension}",
        descripcion=f"{tipo.label} que acredita el avance del compromiso {avance.compromiso.codigo}.",
        tipo=tipo,
        tamano=len(contenido),
        sha256=hashlib.sha256(contenido).hexdigest(),
        subido_por=encargado,
    )


def _pdf(avance: AvanceCompromiso, numero: int) -> tuple[str, str, bytes]:
    texto = f"Acta {avance.compromiso.codigo} - {avance.informe.periodo} - medio {numero} - avance {avance.pk}"
    return TipoMedio.ACTA, "pdf", pdf_minimo(texto)


def _png(avance: AvanceCompromiso, numero: int) -> tuple[str, str, bytes]:
    return TipoMedio.FOTOGRAFIA, "png", png_minimo(semilla=avance.pk * 10 + numero)


def _csv(avance: AvanceCompromiso, numero: int) -> tuple[str, str, bytes]:
    salida = io.StringIO()
    escritor = csv.writer(salida, delimiter=";")
    escritor.writerow(["Compromiso", "Actividad", "Estado", "Avance %"])
    escritor.writerow(
        [avance.compromiso.codigo, f"Actividad {numero}", "En curso", avance.porcentaje]
    )
    escritor.writerow(["", f"Registro {avance.pk}", "", ""])
    return TipoMedio.PLANILLA, "csv", salida.getvalue().encode("utf-8")


GENERADORES = [_pdf, _pdf, _png, _csv]


def pdf_minimo(texto: str) -> bytes:
    """A valid one-page PDF with a line of text, without any PDF library."""
    seguro = (
        texto.replace("\\", "\\\\")
        .replace("(", "\\(")
        .replace(")", "\\)")
        .encode("latin-1", "replace")
    )
    flujo = b"BT /F1 12 Tf 72 720 Td (" + seguro + b") Tj ET"
    objetos = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(flujo)).encode() + b" >>\nstream\n" + flujo + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    salida = bytearray(b"%PDF-1.4\n")
    posiciones = []
    for numero, objeto in enumerate(objetos, start=1):
        posiciones.append(len(salida))
        salida += f"{numero} 0 obj\n".encode() + objeto + b"\nendobj\n"
    inicio_xref = len(salida)
    salida += f"xref\n0 {len(objetos) + 1}\n0000000000 65535 f \n".encode()
    for posicion in posiciones:
        salida += f"{posicion:010d} 00000 n \n".encode()
    salida += f"trailer\n<< /Size {len(objetos) + 1} /Root 1 0 R >>\nstartxref\n{inicio_xref}\n%%EOF\n".encode()
    return bytes(salida)


def png_minimo(*, semilla: int, ancho: int = 16, alto: int = 16) -> bytes:
    """A small valid PNG whose colour depends on `semilla`."""
    color = bytes([(semilla * 37) % 256, (semilla * 91) % 256, (semilla * 53) % 256])
    filas = b"".join(b"\x00" + color * ancho for _ in range(alto))

    def bloque(tipo: bytes, datos: bytes) -> bytes:
        return (
            struct.pack(">I", len(datos))
            + tipo
            + datos
            + struct.pack(">I", zlib.crc32(tipo + datos) & 0xFFFFFFFF)
        )

    cabecera = struct.pack(">IIBBBBB", ancho, alto, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + bloque(b"IHDR", cabecera)
        + bloque(b"IDAT", zlib.compress(filas))
        + bloque(b"IEND", b"")
    )
