"""A demo year of the PMG cycle: formulaciones, compromisos, informes with their medios.

States are reached through the services people use (validacion.services.revision_transicionar),
so the event log and the late flags are real. Plain rows (compromisos, avances, medios) are
bulk-created so that the scale option builds 150 servicios × 10 years in minutes.
"""

import datetime
import hashlib
import random
import uuid
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from compromisos.models import (
    AvanceCompromiso,
    Compromiso,
    EstadoRevision,
    FormulacionPMG,
    HitoCompromiso,
    InformeAvance,
    LineaFormulacion,
    MedioComprometido,
    MedioVerificacion,
    TipoMedio,
    VinculoRequisito,
)
from compromisos.selectors import etapa_comprometida
from compromisos.services import sistema_que_corresponde
from demo.archivos import GENERADORES
from demo.registro import analista_de
from programa.selectors import sistemas_del_anio
from servicios.models import Region
from validacion.services import observacion_crear, revision_transicionar

E = EstadoRevision
P = InformeAvance.Periodo


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


def anio_demo(
    *, proceso, servicios, encargados, analistas, es_anio_en_curso, azar, resumen
) -> None:
    regiones = list(Region.objects.all())
    ahora = timezone.now()
    cantidad = len(servicios)
    compromisos_por_servicio = 3 if cantidad <= 20 else 10
    catalogo = list(sistemas_del_anio(proceso.anio))
    with transaction.atomic():
        formulaciones = FormulacionPMG.objects.bulk_create(
            [FormulacionPMG(servicio=servicio, proceso=proceso) for servicio in servicios]
        )
        lineas = LineaFormulacion.objects.bulk_create(
            [
                LineaFormulacion(
                    formulacion=formulacion,
                    sistema_catalogo=sistema_que_corresponde(catalogo, "Marco Básico", sistema),
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
        # The iniciativas hang off each formulación's Descentralización line.
        descentralizacion = {
            linea.formulacion_id: linea for linea in lineas if linea.sistema == "Descentralización"
        }
        compromisos = Compromiso.objects.bulk_create(
            [
                _compromiso(formulacion, numero, azar, descentralizacion[formulacion.pk])
                for formulacion in formulaciones
                for numero in range(1, compromisos_por_servicio + 1)
            ]
        )
        _detalle_compromisos(compromisos, proceso.anio, regiones, azar)
        resumen.compromisos += len(compromisos)

    fecha_formulacion = timezone.make_aware(datetime.datetime(proceso.anio, 3, 25, 10, 0))
    # Started in the year's first weeks, as the servicios do (not the day the demo was built).
    FormulacionPMG.objects.filter(pk__in=[f.pk for f in formulaciones]).update(
        creado=min(fecha_formulacion - datetime.timedelta(days=20), ahora)
    )
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
            analista_de(indice, analistas),
            fecha_formulacion,
            ahora,
            resumen,
        )

    plazos = dict(proceso.hitos.filter(etapa__in=P.values).values_list("etapa", "fecha_limite"))
    subidos_el: dict[datetime.datetime, list[int]] = {}
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
            # Opened and its files uploaded two days before it was sent.
            subida = _primer_paso(destino, envio, ahora) - datetime.timedelta(days=2)
            subidos_el.setdefault(subida, []).append(informe.pk)
            _llevar_a(
                informe,
                destino,
                encargados[formulacion.servicio_id],
                analista_de(indice, analistas),
                envio,
                ahora,
                resumen,
            )
    _fechar_medios(subidos_el)


def _primer_paso(destino: str, envio: datetime.datetime, ahora) -> datetime.datetime:
    # An informe sent before a deadline still to come was sent days ago, not in the future.
    return min(envio, ahora - datetime.timedelta(days=2 * len(RUTA_HASTA[destino]) + 1))


def _fechar_medios(subidos_el: dict[datetime.datetime, list[int]]) -> None:
    """The informes and their files date from the days before they were sent, inside their own
    year (creating them stamps the day the demo was built), and so do the links of the files to
    the requisitos. Three updates per distinct day."""
    for subida, informes in subidos_el.items():
        InformeAvance.objects.filter(pk__in=informes).update(creado=subida)
        MedioVerificacion.objects.filter(avance__informe__in=informes).update(subido_en=subida)
        VinculoRequisito.objects.filter(informe__in=informes).update(vinculado_en=subida)


def _llevar_a(
    objeto, destino: str, encargado, analista, envio: datetime.datetime, ahora, resumen
) -> None:
    pasos = RUTA_HASTA[destino]
    momento = _primer_paso(destino, envio, ahora)
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


def _compromiso(
    formulacion: FormulacionPMG, numero: int, azar: random.Random, linea: LineaFormulacion
) -> Compromiso:
    nombre, ambito, tipo = INICIATIVAS[(formulacion.servicio_id + numero) % len(INICIATIVAS)]
    return Compromiso(
        formulacion=formulacion,
        linea=linea,
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
    # The servicio's checklist: one of its files for each requisito of the committed etapa.
    VinculoRequisito.objects.bulk_create(
        VinculoRequisito(
            informe=informe,
            requisito=requisito,
            medio=medios[numero % len(medios)],
            vinculado_por=encargado,
        )
        for numero, requisito in enumerate(
            etapa_comprometida(formulacion_id=formulacion.pk).requisitos if medios else []
        )
    )
    return informe


def _medio(
    avance: AvanceCompromiso, servicio_id: int, numero: int, encargado, azar: random.Random
) -> MedioVerificacion:
    tipo, extension, contenido = azar.choice(GENERADORES)(avance, numero)
    nombre = default_storage.save(
        f"medios/servicio/{servicio_id}/{uuid.uuid4().hex}.{extension}", ContentFile(contenido)
    )
    return MedioVerificacion(
        informe_id=avance.informe_id,
        avance=avance,
        archivo=nombre,
        nombre_original=f"{tipo.label} {avance.compromiso.codigo} - {avance.informe.get_periodo_display()} ({numero}).{extension}",
        descripcion=f"{tipo.label} que acredita el avance del compromiso {avance.compromiso.codigo}.",
        tipo=tipo,
        tamano=len(contenido),
        sha256=hashlib.sha256(contenido).hexdigest(),
        subido_por=encargado,
    )
