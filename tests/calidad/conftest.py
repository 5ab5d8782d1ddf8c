"""Personas and data of the GORE quality system's tests.

`equipo_gore` belongs to the Gobierno Regional de Los Lagos, `equipo_otro` to the Biobío;
`evaluador` and `analista_calidad` have Los Lagos (only) assigned for ANIO_CALIDAD.
"""

from decimal import Decimal

import pytest

from calidad import services
from calidad.models import Criterio, Elemento, ModeloGestion
from servicios.models import Cartera, Membresia, Servicio
from tests.conftest import crear_usuario

ANIO_CALIDAD = 2011
# The seed's points; criteria 5–7 split evenly, as the demo assumes.
PUNTAJES = [45, 40, 60, 75, 60, 60, 60, 100]


def crear_modelo(anio: int, admin, elementos_por_criterio: int = 2) -> ModeloGestion:
    modelo = ModeloGestion.objects.create(anio=anio, escala_maxima=5)
    for numero, puntaje in enumerate(PUNTAJES, start=1):
        criterio = Criterio.objects.create(
            modelo=modelo,
            numero=numero,
            nombre=f"Criterio {numero}",
            puntaje_maximo=puntaje,
            es_supuesto=numero in (5, 6, 7),
        )
        cuota = (Decimal(puntaje) / elementos_por_criterio).quantize(Decimal("0.01"))
        for orden in range(1, elementos_por_criterio + 1):
            Elemento.objects.create(
                criterio=criterio,
                numero=orden,
                nombre=f"Elemento {numero}.{orden}",
                puntaje_maximo=cuota
                if orden < elementos_por_criterio
                else Decimal(puntaje) - cuota * (elementos_por_criterio - 1),
            )
    services.modelo_activar(modelo=modelo, usuario=admin)
    return modelo


@pytest.fixture
def gore(referencias) -> Servicio:
    return Servicio.objects.get(nombre="Gobierno Regional de Los Lagos")


@pytest.fixture
def gore_otro(referencias) -> Servicio:
    return Servicio.objects.get(nombre="Gobierno Regional del Biobío")


@pytest.fixture
def modelo(admin) -> ModeloGestion:
    return crear_modelo(ANIO_CALIDAD, admin)


@pytest.fixture
def equipo_gore(gore):
    usuario = crear_usuario("equipo_gore", "servicio")
    Membresia.objects.create(usuario=usuario, servicio=gore)
    return usuario


@pytest.fixture
def equipo_otro(gore_otro):
    usuario = crear_usuario("equipo_otro", "servicio")
    Membresia.objects.create(usuario=usuario, servicio=gore_otro)
    return usuario


@pytest.fixture
def evaluador(gore):
    usuario = crear_usuario("evaluador", "evaluador")
    Cartera.objects.create(
        anio=ANIO_CALIDAD, rol=Cartera.Rol.EVALUADOR, usuario=usuario, servicio=gore
    )
    return usuario


@pytest.fixture
def analista_calidad(gore):
    usuario = crear_usuario("analista_calidad", "analista")
    Cartera.objects.create(
        anio=ANIO_CALIDAD, rol=Cartera.Rol.ANALISTA, usuario=usuario, servicio=gore
    )
    return usuario


def responder_todo(autoevaluacion, usuario, nivel: int = 3) -> None:
    for respuesta in autoevaluacion.respuestas.all():
        services.respuesta_guardar(
            respuesta=respuesta, texto="Así lo hacemos.", nivel_propuesto=nivel, usuario=usuario
        )


def calificar_todo(autoevaluacion, usuario, niveles: dict | None = None, nivel: int = 3) -> None:
    for respuesta in autoevaluacion.respuestas.select_related("elemento"):
        services.respuesta_calificar(
            respuesta=respuesta,
            nivel_evaluado=(niveles or {}).get(respuesta.elemento_id, nivel),
            observacion="",
            usuario=usuario,
        )


@pytest.fixture
def autoevaluacion(modelo, gore, equipo_gore):
    return services.autoevaluacion_iniciar(servicio=gore, anio=ANIO_CALIDAD, usuario=equipo_gore)


@pytest.fixture
def autoevaluacion_otra(modelo, gore_otro, equipo_otro):
    return services.autoevaluacion_iniciar(
        servicio=gore_otro, anio=ANIO_CALIDAD, usuario=equipo_otro
    )


@pytest.fixture
def validada(autoevaluacion, equipo_gore, evaluador, analista_calidad):
    """Los Lagos' autoevaluación, validated at level 2 of 5 everywhere: 200 points."""
    responder_todo(autoevaluacion, equipo_gore)
    a = services.documento_transicionar(objeto=autoevaluacion, accion="enviar", usuario=equipo_gore)
    calificar_todo(a, evaluador, nivel=2)
    a = services.documento_transicionar(objeto=a, accion="evaluar", usuario=evaluador)
    return services.documento_transicionar(objeto=a, accion="validar", usuario=analista_calidad)
