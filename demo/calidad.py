"""Demo data of the GORE quality system: the model of 2011 and 2012, the 15 GORE of 2011 with
an autoevaluación each year, plans de mejora and one GORE per level.

Seed 002 gives the criteria and the points of 1–4 and 8; criteria 5–7 (together 180) and the
elements are not in the seed: the demo assumes an even split and generic elements, and marks
them as such on screen (Criterio.es_supuesto, Elemento.descripcion).
"""

import datetime
import random
from decimal import Decimal

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from bitacora.avisos import en_silencio
from calidad import services
from calidad.models import (
    CODIGO_TIPO_GORE,
    Autoevaluacion,
    Criterio,
    Elemento,
    EstadoAutoevaluacion,
    Incentivo,
    MedidaMejora,
    ModeloGestion,
    RespuestaElemento,
)
from calidad.puntajes import puntaje_elemento
from demo.registro import usuario_demo
from servicios.models import Cartera, Membresia, Servicio

FUENTE_SEED = "Seed 002, diapositiva 16 (Resolución Exenta SUBDERE Nº 1130/2009)."
SUPUESTO = (
    "Supuesto de la demo: el seed no da los puntajes de los criterios 5 a 7 (juntos 180); "
    "se repartieron en partes iguales. Debe confirmarse."
)
# (número, nombre, puntaje, es_supuesto)
CRITERIOS = [
    (1, "Liderazgo", 45, False),
    (2, "Ciudadanía, socios y colaboradores", 40, False),
    (3, "Personas", 60, False),
    (4, "Gestión de la Planificación Estratégica Regional", 75, False),
    (5, "Gestión de Inversiones y Desarrollo Regional y Territorial", 60, True),
    (6, "Gestión de Recursos", 60, True),
    (7, "Planificación Institucional, Información y Conocimiento", 60, True),
    (8, "Resultados", 100, False),
]
ELEMENTOS = ["Enfoque", "Despliegue", "Evaluación y mejora"]
ESCALA = (
    "escala supuesta por la demo: 0 sin enfoque; 1–2 enfoque incipiente; 3 enfoque desplegado; "
    "4 evaluado y mejorado; 5 práctica de referencia"
)

GORE_USUARIO_DEMO = "Gobierno Regional de Los Lagos"
# The four that began in January 2011 (seed 002, slide 19), with the 2011 validated score
# the demo gives them: one GORE per level (Araucanía reaches none).
PRIMEROS = {
    "Gobierno Regional del Biobío": 428,
    "Gobierno Regional del Maule": 341,
    "Gobierno Regional de O'Higgins": 247,
    "Gobierno Regional de La Araucanía": 176,
}


def _momento(anio: int, mes: int, dia: int = 15) -> datetime.datetime:
    """A moment of the demo's history: the log dates each step in its year, not today."""
    return timezone.make_aware(datetime.datetime(anio, mes, dia, 10, 0))


def modelo_demo(anio: int, admin) -> ModeloGestion:
    modelo, creado = ModeloGestion.objects.get_or_create(
        anio=anio, defaults={"escala_maxima": 5, "escala_descripcion": ESCALA}
    )
    if not creado:
        return modelo
    for numero, nombre, puntaje, supuesto in CRITERIOS:
        criterio = Criterio.objects.create(
            modelo=modelo,
            numero=numero,
            nombre=nombre,
            puntaje_maximo=puntaje,
            es_supuesto=supuesto,
            fuente=SUPUESTO if supuesto else FUENTE_SEED,
        )
        partes = _repartir(Decimal(puntaje), len(ELEMENTOS))
        Elemento.objects.bulk_create(
            Elemento(
                criterio=criterio,
                numero=orden,
                nombre=f"{ELEMENTOS[orden - 1]} en {nombre.lower()}",
                descripcion="Elemento de demostración: el seed no enumera los elementos.",
                puntaje_maximo=parte,
            )
            for orden, parte in enumerate(partes, start=1)
        )
    services.modelo_activar(modelo=modelo, usuario=admin, momento=_momento(anio, 1, 5))
    return modelo


def _repartir(total: Decimal, partes: int) -> list[Decimal]:
    """Equal shares to the cent that add up exactly to the total (the last takes the rest)."""
    cuota = (total / partes).quantize(Decimal("0.01"))
    return [cuota] * (partes - 1) + [total - cuota * (partes - 1)]


def _niveles(elementos: list[Elemento], objetivo: int, azar: random.Random) -> dict[int, int]:
    """Levels per element whose points come as close as possible to `objetivo` from below."""
    base = max(0, min(5, int(objetivo / 100)))
    niveles = {elemento.pk: base for elemento in elementos}
    total = sum(
        puntaje_elemento(nivel=base, escala_maxima=5, puntaje_maximo=e.puntaje_maximo)
        for e in elementos
    )
    orden = elementos[:]
    azar.shuffle(orden)
    for elemento in orden:
        paso = elemento.puntaje_maximo / 5
        if niveles[elemento.pk] < 5 and total + paso <= objetivo:
            niveles[elemento.pk] += 1
            total += paso
    return niveles


def _llenar(autoevaluacion: Autoevaluacion, objetivo: int, azar: random.Random, *, dejar: int = 0):
    """The GORE team's answers (all but `dejar`), proposing about a level above the evaluation."""
    respuestas = list(autoevaluacion.respuestas.select_related("elemento__criterio"))
    niveles = _niveles([r.elemento for r in respuestas], objetivo, azar)
    for respuesta in respuestas[: len(respuestas) - dejar]:
        propuesto = min(5, niveles[respuesta.elemento_id] + azar.choice([0, 0, 1]))
        respuesta.texto = (
            f"El {autoevaluacion.servicio.nombre} describe cómo aborda «{respuesta.elemento.nombre}» "
            "(texto de demostración)."
        )
        respuesta.nivel_propuesto = propuesto
        respuesta.puntaje_propuesto = puntaje_elemento(
            nivel=propuesto, escala_maxima=5, puntaje_maximo=respuesta.elemento.puntaje_maximo
        )
    # Answers are content, not states: written in one go; every state change below goes
    # through calidad.services.
    RespuestaElemento.objects.bulk_update(
        respuestas, ["texto", "nivel_propuesto", "puntaje_propuesto"]
    )
    return niveles


def _calificar(autoevaluacion: Autoevaluacion, niveles: dict[int, int], *, dejar: int = 0):
    respuestas = list(autoevaluacion.respuestas.select_related("elemento"))
    for respuesta in respuestas[: len(respuestas) - dejar]:
        respuesta.nivel_evaluado = niveles[respuesta.elemento_id]
        respuesta.puntaje_evaluado = puntaje_elemento(
            nivel=respuesta.nivel_evaluado,
            escala_maxima=5,
            puntaje_maximo=respuesta.elemento.puntaje_maximo,
        )
        if respuesta.nivel_evaluado < 3:
            respuesta.observacion = "Falta evidencia del despliegue en todas las divisiones."
    RespuestaElemento.objects.bulk_update(
        respuestas, ["nivel_evaluado", "puntaje_evaluado", "observacion"]
    )


# When each step of an autoevaluación happens (month of its year): the four GORE that began in
# January 2011 (seed 002, slide 19) go through first, the rest later in the year.
MESES_PRIMEROS = {"enviar": 3, "observar": 4, "evaluar": 4, "validar": 5}
MESES_RESTO = {"enviar": 6, "observar": 7, "evaluar": 8, "validar": 9}


def _hasta(autoevaluacion, estado, objetivo, azar, *, gore, evaluador, analista, meses=None):
    """Take an autoevaluación up to `estado` through the services (the one transition function)."""
    meses = meses or MESES_RESTO
    orden = [
        EstadoAutoevaluacion.BORRADOR,
        EstadoAutoevaluacion.ENVIADA,
        EstadoAutoevaluacion.EVALUADA,
        EstadoAutoevaluacion.VALIDADA,
    ]
    niveles = _llenar(autoevaluacion, objetivo, azar)
    meta = orden.index(estado) if estado in orden else 1
    anio = autoevaluacion.anio
    if meta >= 1:
        autoevaluacion = services.documento_transicionar(
            objeto=autoevaluacion,
            accion="enviar",
            usuario=gore,
            momento=_momento(anio, meses["enviar"]),
        )
    if estado == EstadoAutoevaluacion.OBSERVADA:
        return services.documento_transicionar(
            objeto=autoevaluacion,
            accion="observar",
            usuario=evaluador,
            comentario="Adjunte los medios de verificación de los criterios 3 y 8.",
            momento=_momento(anio, meses["observar"]),
        )
    if meta >= 2:
        _calificar(autoevaluacion, niveles)
        autoevaluacion = services.documento_transicionar(
            objeto=autoevaluacion,
            accion="evaluar",
            usuario=evaluador,
            momento=_momento(anio, meses["evaluar"], 25),
        )
    if meta >= 3:
        autoevaluacion = services.documento_transicionar(
            objeto=autoevaluacion,
            accion="validar",
            usuario=analista,
            momento=_momento(anio, meses["validar"]),
        )
    return autoevaluacion


def _plan(autoevaluacion, *, gore, analista, validar: bool, avanzar: bool, observar: bool = False):
    from calidad.selectors import brechas

    anio = autoevaluacion.anio
    plan = services.plan_crear(
        autoevaluacion=autoevaluacion, usuario=gore, momento=_momento(anio, 8, 1)
    )
    services.plan_metodologia_guardar(
        plan=plan,
        metodologia="Comité de calidad del GORE con reuniones mensuales; seguimiento trimestral "
        "con la División de Desarrollo Regional (texto de demostración).",
        usuario=gore,
        momento=_momento(anio, 8, 2),
    )
    faltan = max(Decimal(0), Decimal(300) - autoevaluacion.puntaje_validado) + 10
    tipos = [MedidaMejora.Tipo.INMEDIATA, MedidaMejora.Tipo.MEDIANO, MedidaMejora.Tipo.LARGO]
    for indice, respuesta in enumerate(brechas(autoevaluacion)[:8]):
        if faltan <= 0:
            break
        esperado = min(respuesta.brecha, faltan)
        services.medida_crear(
            plan=plan,
            elemento=respuesta.elemento,
            descripcion=f"Cerrar la brecha de «{respuesta.elemento.nombre}»",
            tipo=tipos[indice % 3],
            responsable="Jefatura de la División de Planificación y Desarrollo",
            plazo=datetime.date(autoevaluacion.anio + 1 + indice % 2, 6, 30),
            costo=5_000_000 * (indice + 1),
            metodologia="Diagnóstico, diseño, piloto y despliegue.",
            puntaje_esperado=esperado,
            usuario=gore,
            momento=_momento(anio, 8, 10 + indice),
        )
        faltan -= esperado
    plan = services.documento_transicionar(
        objeto=plan, accion="enviar", usuario=gore, momento=_momento(anio, 9)
    )
    if observar:
        return services.documento_transicionar(
            objeto=plan,
            accion="observar",
            usuario=analista,
            comentario="Precise los costos de las medidas de largo plazo y su responsable.",
            momento=_momento(anio, 10),
        )
    if validar:
        plan = services.documento_transicionar(
            objeto=plan, accion="validar", usuario=analista, momento=_momento(anio, 10)
        )
        if avanzar:
            for numero, medida in enumerate(plan.medidas.all()):
                services.medida_avanzar(
                    medida=medida,
                    avance=min(100, 40 + 30 * numero),
                    comentario="Avance informado por el GORE (demostración).",
                    usuario=gore,
                    momento=_momento(anio + 1, 2, 1 + numero),
                )
    return plan


def calidad_demo(*, usuarios: dict, semilla: int = 2011) -> int:
    """Build the quality system's demo (once), telling nobody; returns how many
    autoevaluaciones it made."""
    if Autoevaluacion.objects.exists():
        return 0
    with en_silencio(), transaction.atomic():
        return _calidad_demo(usuarios=usuarios, semilla=semilla)


def _calidad_demo(*, usuarios: dict, semilla: int) -> int:
    azar = random.Random(f"{semilla}-calidad")
    admin, analista = usuarios["admin"], usuarios["analista"]
    Group.objects.get_or_create(name="evaluador")
    evaluador = usuario_demo("evaluador", "evaluador", "Ignacio", "Paredes (Chile-Calidad)")
    gores = list(
        Servicio.objects.vigentes_en(2011)
        .filter(tipo__codigo=CODIGO_TIPO_GORE)
        .select_related("region", "tipo")
        .order_by("region__orden")
    )
    equipos = {}
    for gore in gores:
        usuario = (
            usuario_demo("gore", "servicio", "Paula", "Cárcamo")
            if gore.nombre == GORE_USUARIO_DEMO
            else usuario_demo(
                f"gore{gore.region.codigo}", "servicio", "Equipo de calidad", gore.nombre
            )
        )
        Membresia.objects.get_or_create(usuario=usuario, servicio=gore)
        equipos[gore.pk] = usuario
    for anio in (2011, 2012):
        modelo_demo(anio, admin)
        for gore in gores:
            for rol, persona in (
                (Cartera.Rol.EVALUADOR, evaluador),
                (Cartera.Rol.ANALISTA, analista),
            ):
                Cartera.objects.get_or_create(
                    anio=anio, rol=rol, servicio=gore, defaults={"usuario": persona}
                )
    for persona in (evaluador, analista):
        persona.__dict__.pop("_srm_cartera", None)

    creadas = 0
    estados_resto = [
        EstadoAutoevaluacion.VALIDADA,
        EstadoAutoevaluacion.VALIDADA,
        EstadoAutoevaluacion.VALIDADA,
        EstadoAutoevaluacion.EVALUADA,
        EstadoAutoevaluacion.ENVIADA,
        EstadoAutoevaluacion.OBSERVADA,
    ]
    puntajes_2011 = {}
    for indice, gore in enumerate(gores):
        gore_usuario = equipos[gore.pk]
        roles = {"gore": gore_usuario, "evaluador": evaluador, "analista": analista}
        # 2011: the four early ones validated first; the rest along the way.
        objetivo = PRIMEROS.get(gore.nombre) or azar.randint(150, 320)
        puntajes_2011[gore.pk] = objetivo
        estado = (
            EstadoAutoevaluacion.VALIDADA
            if gore.nombre in PRIMEROS or gore.nombre == GORE_USUARIO_DEMO
            else estados_resto[indice % len(estados_resto)]
        )
        a2011 = services.autoevaluacion_iniciar(
            servicio=gore,
            anio=2011,
            usuario=gore_usuario,
            # The four early ones began in January 2011 (seed 002, slide 19).
            momento=_momento(2011, 1 if gore.nombre in PRIMEROS else 3, 20),
        )
        meses = MESES_PRIMEROS if gore.nombre in PRIMEROS else MESES_RESTO
        a2011 = _hasta(a2011, estado, objetivo, azar, meses=meses, **roles)
        creadas += 1
        if gore.nombre in PRIMEROS:
            _plan(
                a2011,
                gore=gore_usuario,
                analista=analista,
                validar=gore.nombre != "Gobierno Regional de La Araucanía",
                avanzar=True,
            )
            if gore.nombre != "Gobierno Regional de La Araucanía":
                acreditacion = services.acreditacion_registrar(
                    autoevaluacion=a2011,
                    fecha=datetime.date(2011, 12, 15),
                    resolucion="Resolución Exenta de demostración (número a completar)",
                    usuario=analista,
                    momento=_momento(2011, 12, 15),
                )
                services.incentivo_otorgar(
                    acreditacion=acreditacion,
                    tipo=Incentivo.Tipo.FORTALECIMIENTO,
                    descripcion="Recursos para fortalecimiento institucional (monto a completar)",
                    monto=None,
                    fecha=datetime.date(2012, 3, 1),
                    usuario=analista,
                    momento=_momento(2012, 3, 1),
                )
        # 2012: the new autoevaluación that measures the plans' impact.
        a2012 = services.autoevaluacion_iniciar(
            servicio=gore, anio=2012, usuario=gore_usuario, momento=_momento(2012, 3, 1)
        )
        creadas += 1
        objetivo_2012 = min(480, objetivo + azar.randint(15, 60))
        if gore.nombre in PRIMEROS:
            a2012 = _hasta(
                a2012, EstadoAutoevaluacion.VALIDADA, objetivo_2012, azar, meses=meses, **roles
            )
            # Their 2012 plans de mejora: validated and under way, just validated, or
            # returned with observaciones (La Araucanía).
            _plan(
                a2012,
                gore=gore_usuario,
                analista=analista,
                validar=gore.nombre != "Gobierno Regional de La Araucanía",
                observar=gore.nombre == "Gobierno Regional de La Araucanía",
                avanzar=gore.nombre != "Gobierno Regional de O'Higgins",
            )
        elif gore.nombre == GORE_USUARIO_DEMO:
            # The demo GORE user's own: one element left for them to answer, then send.
            _llenar(a2012, objetivo_2012, azar, dejar=1)
        elif indice % 3 == 0:
            _hasta(a2012, EstadoAutoevaluacion.EVALUADA, objetivo_2012, azar, **roles)
        elif indice % 3 == 1:
            _hasta(a2012, EstadoAutoevaluacion.ENVIADA, objetivo_2012, azar, **roles)
        else:
            _llenar(a2012, objetivo_2012, azar, dejar=6)
    return creadas
