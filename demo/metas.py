"""Demo data of the División's own metas (metas app), built through its services.

Seed 000 names one unit: the Unidad de Monitoreo y Mejoramiento de la Gestión of the División
de Desarrollo Regional. The departments and the other units below are ASSUMED by the demo
(marked `es_supuesto`, and said so on screen): an administrator replaces them with the
División's real structure. Figures of the reported indicators are invented demo data; the
computed indicators come from the demo PMG year's own records.
"""

import datetime
from collections.abc import Callable
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from bitacora.avisos import en_silencio
from demo.archivos import pdf_minimo
from demo.registro import usuario_demo
from metas import computos, services
from metas.models import Departamento, Indicador, MetaAnual, Unidad, rango_periodo

# username, group, first name, last name
USUARIOS_METAS = [
    ("jefe_depto", "jefe_departamento", "Verónica", "Saavedra"),
    ("encargado_unidad", "encargado_unidad", "Felipe", "Alarcón"),
    ("jefe_depto2", "jefe_departamento", "Ignacio", "Paredes"),
    ("encargado_unidad2", "encargado_unidad", "Daniela", "Muñoz"),
]

DIAS_2, DIAS_3 = datetime.timedelta(days=2), datetime.timedelta(days=3)
UNIDAD_DEL_SEED = "Unidad de Monitoreo y Mejoramiento de la Gestión"


def construir_metas(*, anio: int, informar: Callable[[str], None] = lambda mensaje: None) -> None:
    """The División's structure, a year of metas and measurements, the computed indicators."""
    with en_silencio(), transaction.atomic():
        if MetaAnual.objects.filter(anio=anio).exists():
            informar(f"Metas de la División {anio}: ya existían, no se duplicaron.")
            return
        usuarios = {u: usuario_demo(u, *datos) for u, *datos in USUARIOS_METAS}
        _construir(anio=anio, usuarios=usuarios)
        calculadas = services.indicadores_calcular(anio=anio)
        informar(
            f"Metas de la División {anio}: {Indicador.objects.filter(meta__anio=anio).count()} "
            f"indicadores, {calculadas} períodos calculados desde los registros del SRM. "
            f"Supuestos por la demo: los departamentos y toda unidad salvo la «{UNIDAD_DEL_SEED}»."
        )


def _construir(*, anio: int, usuarios: dict) -> None:
    politicas, _ = Departamento.objects.get_or_create(
        nombre="Departamento de Políticas y Seguimiento Regional",
        defaults={"jefe": usuarios["jefe_depto"], "es_supuesto": True},
    )
    inversiones, _ = Departamento.objects.get_or_create(
        nombre="Departamento de Inversión Regional",
        defaults={"jefe": usuarios["jefe_depto2"], "es_supuesto": True},
    )
    monitoreo, _ = Unidad.objects.get_or_create(
        nombre=UNIDAD_DEL_SEED,
        defaults={"departamento": politicas, "jefe": usuarios["encargado_unidad"]},
    )
    asistencia, _ = Unidad.objects.get_or_create(
        nombre="Unidad de Asistencia Técnica a Servicios Públicos",
        defaults={"departamento": politicas, "es_supuesto": True},
    )
    asistencia.integrantes.add(usuarios["encargado_unidad"])
    convenios, _ = Unidad.objects.get_or_create(
        nombre="Unidad de Convenios de Programación",
        defaults={
            "departamento": inversiones,
            "jefe": usuarios["encargado_unidad2"],
            "es_supuesto": True,
        },
    )

    # The unit of seed 000: the PMG review measured from the SRM's own records.
    seguimiento = MetaAnual.objects.create(
        unidad=monitoreo,
        anio=anio,
        nombre="Revisión oportuna del PMG Descentralización",
        origen="Convenio de desempeño colectivo (supuesto por la demo)",
    )
    for computo, nombre, meta, tolerancia, sentido, factor, medida, parametros in [
        (
            "informes_revisados_a_tiempo",
            "Informes de avance revisados dentro de 10 días hábiles",
            "90",
            "10",
            "ascendente",
            "100",
            "%",
            {"dias": 10},
        ),
        (
            "dias_envio_aprobacion",
            "Días hábiles promedio desde el envío hasta la aprobación",
            "15",
            "5",
            "descendente",
            "1",
            "días hábiles",
            {},
        ),
        (
            "formulaciones_aprobadas_a_tiempo",
            "Servicios con su formulación aprobada en plazo",
            "100",
            "10",
            "ascendente",
            "100",
            "%",
            {},
        ),
        (
            "medios_con_veredicto",
            "Medios de verificación con veredicto del analista",
            "95",
            "5",
            "ascendente",
            "100",
            "%",
            {},
        ),
        (
            "consultas_respondidas_a_tiempo",
            "Consultas de los servicios respondidas a tiempo",
            "90",
            "10",
            "ascendente",
            "100",
            "%",
            {},
        ),
    ]:
        Indicador.objects.create(
            meta=seguimiento,
            acumulacion=computos.obtener(computo).acumulacion,
            nombre=nombre,
            fuente=Indicador.Fuente.CALCULADA,
            computo=computo,
            parametros=parametros,
            valor_meta=Decimal(meta),
            tolerancia=Decimal(tolerancia),
            sentido=sentido,
            factor=Decimal(factor),
            unidad_medida=medida,
            periodicidad="trimestral",
            fuente_detalle="Consultas de asistencia técnica del SRM"
            if computo == "consultas_respondidas_a_tiempo"
            else "Registro de eventos del SRM",
        )

    hoy = timezone.localdate()
    ultimo_mes = 12 if hoy.year > anio else hoy.month - 1
    reportes = MetaAnual.objects.create(
        unidad=monitoreo,
        anio=anio,
        nombre="Reportes periódicos a la jefatura de División",
        origen="Funciones de la unidad (seed 000)",
    )
    _indicador_reportado(
        meta=reportes,
        nombre="Reportes mensuales entregados en plazo",
        numerador="Reportes entregados a más tardar el día 5 hábil",
        denominador="Reportes comprometidos del mes",
        valor_meta="100",
        tolerancia="10",
        periodicidad="mensual",
        cifras=[(4, 4), (4, 4), (3, 4), (4, 4), (3, 4), (4, 4), (4, 4), (4, 4), (4, 4), (4, 4)],
        ultimo=ultimo_mes,
        encargado=usuarios["encargado_unidad"],
        jefe=usuarios["jefe_depto"],
    )
    jornadas = MetaAnual.objects.create(
        unidad=asistencia,
        anio=anio,
        nombre="Asistencia técnica a los servicios del PMG",
        origen="Plan de asistencia técnica (supuesto por la demo)",
    )
    _indicador_reportado(
        meta=jornadas,
        nombre="Jornadas de asistencia técnica realizadas (acumuladas)",
        tipo_formula="valor",
        unidad_medida="jornadas",
        valor_meta="12",
        tolerancia="2",
        periodicidad="mensual",
        cifras=[1, 2, 3, 3, 4, 5, 6, 7, 8, 9, 10],
        ultimo=ultimo_mes,
        encargado=usuarios["encargado_unidad"],
        jefe=usuarios["jefe_depto"],
    )
    convenio = MetaAnual.objects.create(
        unidad=convenios,
        anio=anio,
        nombre="Convenios de programación revisados",
        origen="Supuesto por la demo",
    )
    _indicador_reportado(
        meta=convenio,
        nombre="Convenios revisados dentro del plazo",
        numerador="Convenios con informe técnico en 20 días",
        denominador="Convenios recibidos",
        valor_meta="85",
        tolerancia="10",
        periodicidad="trimestral",
        cifras=[(9, 10), (7, 10), (5, 10)],
        ultimo=(ultimo_mes - 1) // 3,
        encargado=usuarios["encargado_unidad2"],
        jefe=usuarios["jefe_depto2"],
    )


def _indicador_reportado(
    *, meta: MetaAnual, cifras: list, ultimo: int, encargado, jefe, **campos
) -> Indicador:
    """An indicator the unit reports, with its periods reported and approved through the
    services; the last period stays reported, waiting for the jefe de departamento."""
    for nombre in ("valor_meta", "tolerancia"):
        campos[nombre] = Decimal(campos[nombre])
    indicador = Indicador.objects.create(
        meta=meta, responsable=encargado, fuente_detalle="Planilla de la unidad", **campos
    )
    periodos = list(enumerate(cifras, start=1))[: max(ultimo, 0)]
    ahora = timezone.now()
    for periodo, cifra in periodos:
        # Reported a few days after the period ends, approved two days later (never in the future).
        _, fin = rango_periodo(meta.anio, indicador.periodicidad, periodo)
        reportada = min(
            timezone.make_aware(datetime.datetime.combine(fin, datetime.time(10))) + DIAS_3, ahora
        )
        if isinstance(cifra, tuple):
            cantidad = {"numerador": Decimal(cifra[0]), "denominador": Decimal(cifra[1])}
        else:
            cantidad = {"valor": Decimal(cifra)}
        medicion = services.medicion_reportar(
            indicador=indicador,
            periodo=periodo,
            usuario=encargado,
            comentario="Según la planilla de seguimiento de la unidad.",
            momento=reportada,
            archivo=ContentFile(
                pdf_minimo(f"Respaldo {indicador.pk}-{periodo} {meta.anio}"),
                name=f"respaldo-{periodo}.pdf",
            ),
            **cantidad,
        )
        if periodo < len(periodos):
            services.medicion_transicionar(
                medicion=medicion,
                accion="aprobar",
                usuario=jefe,
                momento=min(reportada + DIAS_2, ahora),
            )
    return indicador
