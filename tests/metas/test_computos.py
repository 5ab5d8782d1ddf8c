"""The indicators the SRM computes, against counts made by hand on fixed data.

July 2026: the 16th (Virgen del Carmen) is a holiday. Ten días hábiles after Friday 3 July
end on Monday 20 July; after Wednesday 1 July, on Wednesday 15 July.

- A (Osorno, avance 1): sent 1 Jul, observed 6 Jul (on time), sent again 10 Jul, approved
  20 Jul: 12 días hábiles from the first sending (2–3, 6–10, 13–15, 17, 20).
- B (Llanquihue, avance 1): sent 3 Jul, approved 28 Jul (late): 16 días hábiles.
- C (Osorno, avance 2): sent 1 Sep, not reviewed.
- D (Llanquihue, avance 2): a draft, never sent.
Two compromisos each, one medio each: A, B and C have 6 medios; 3 have a verdict.
Formulaciones: deadline 31 Mar; Osorno approved 30 Mar (on time), Llanquihue 2 Apr (late).
"""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from asistencia import services as asistencia
from asistencia.models import Consulta
from compromisos.models import Hito, TipoEntregable
from compromisos.services import documento_transicionar
from metas import computos, services
from metas.models import Semaforo
from servicios.models import Cartera
from tests.conftest import ANIO, crear_informe
from tests.metas.conftest import crear_indicador
from validacion.services import veredicto_registrar

pytestmark = pytest.mark.django_db


def momento(mes: int, dia: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(ANIO, mes, dia, 10, 0))


def paso(documento, accion, usuario, mes, dia):
    return documento_transicionar(
        objeto=documento, accion=accion, usuario=usuario, momento=momento(mes, dia)
    )


@pytest.fixture
def registros(
    proceso,
    formulacion_osorno,
    formulacion_llanquihue,
    encargado,
    encargado_otro,
    analista,
    analista_otro,
    llanquihue,
):
    Cartera.objects.create(
        anio=ANIO, rol=Cartera.Rol.ANALISTA, usuario=analista_otro, servicio=llanquihue
    )
    Hito.objects.create(
        proceso=proceso,
        etapa="formulacion",
        nombre="Formulación",
        fecha_limite=datetime.date(ANIO, 3, 31),
    )
    for formulacion, usuario, revisor, envio, aprobacion in [
        (formulacion_osorno, encargado, analista, (3, 20), (3, 30)),
        (formulacion_llanquihue, encargado_otro, analista_otro, (3, 25), (4, 2)),
    ]:
        formulacion = paso(formulacion, "enviar", usuario, *envio)
        formulacion = paso(formulacion, "tomar", revisor, *envio)
        paso(formulacion, "aprobar", revisor, *aprobacion)

    a = crear_informe(formulacion_osorno, "avance_1")
    b = crear_informe(formulacion_llanquihue, "avance_1")
    c = crear_informe(formulacion_osorno, "avance_2")
    crear_informe(formulacion_llanquihue, "avance_2")

    a = paso(a, "enviar", encargado, 7, 1)
    a = paso(a, "tomar", analista, 7, 2)
    for medio in [m for avance in a.avances.all() for m in avance.medios.all()]:
        veredicto_registrar(medio=medio, resultado="aceptado", motivo="", usuario=analista)
    a = paso(a, "observar", analista, 7, 6)
    a = paso(a, "enviar", encargado, 7, 10)
    a = paso(a, "tomar", analista, 7, 13)
    paso(a, "aprobar", analista, 7, 20)

    b = paso(b, "enviar", encargado_otro, 7, 3)
    b = paso(b, "tomar", analista_otro, 7, 27)
    medio_b = b.avances.first().medios.first()
    veredicto_registrar(medio=medio_b, resultado="aceptado", motivo="", usuario=analista_otro)
    paso(b, "aprobar", analista_otro, 7, 28)

    paso(c, "enviar", encargado, 9, 1)


def calcular(clave, desde, hasta, hoy, **parametros):
    return computos.obtener(clave).calcular(
        desde=desde, hasta=hasta, anio=ANIO, hoy=hoy, parametros=parametros
    )


TERCER_TRIMESTRE = (datetime.date(ANIO, 7, 1), datetime.date(ANIO, 9, 30))


def test_informes_revisados_a_tiempo(registros):
    resultado = calcular(
        "informes_revisados_a_tiempo", *TERCER_TRIMESTRE, hoy=datetime.date(ANIO, 9, 3)
    )
    # A on time, B late; C still within its 10 días hábiles: listed, not counted.
    assert (resultado.numerador, resultado.denominador) == (1, 2)
    assert [fila[-1] for fila in resultado.filas] == [
        "A tiempo",
        "Fuera de plazo",
        "Sin revisar, en plazo",
    ]
    assert resultado.filas[1][3] == datetime.date(ANIO, 7, 20)


def test_un_informe_sin_revisar_cuenta_cuando_vence_su_plazo(registros):
    resultado = calcular(
        "informes_revisados_a_tiempo", *TERCER_TRIMESTRE, hoy=datetime.date(ANIO, 10, 30)
    )
    assert (resultado.numerador, resultado.denominador) == (1, 3)


def test_el_plazo_de_revision_es_un_parametro(registros):
    resultado = calcular(
        "informes_revisados_a_tiempo", *TERCER_TRIMESTRE, hoy=datetime.date(ANIO, 9, 3), dias=2
    )
    # Observed 6 Jul, two días hábiles after 1 Jul is 3 Jul: late too.
    assert (resultado.numerador, resultado.denominador) == (0, 2)


def test_nada_fuera_del_rango(registros):
    resultado = calcular(
        "informes_revisados_a_tiempo",
        datetime.date(ANIO, 4, 1),
        datetime.date(ANIO, 6, 30),
        hoy=datetime.date(ANIO, 9, 3),
    )
    assert (resultado.numerador, resultado.denominador, resultado.filas) == (0, 0, [])


def test_dias_desde_el_envio_hasta_la_aprobacion_por_analista(registros):
    resultado = calcular("dias_envio_aprobacion", *TERCER_TRIMESTRE, hoy=datetime.date(ANIO, 9, 3))
    assert (resultado.numerador, resultado.denominador) == (28, 2)
    assert [fila[-1] for fila in resultado.filas] == [12, 16]
    assert resultado.grupos == [("analista", 12, 1), ("analista_otro", 16, 1)]


def test_formulaciones_aprobadas_a_tiempo(registros):
    antes = calcular(
        "formulaciones_aprobadas_a_tiempo",
        datetime.date(ANIO, 1, 1),
        datetime.date(ANIO, 3, 30),
        hoy=datetime.date(ANIO, 3, 30),
    )
    assert (antes.numerador, antes.denominador) == (0, 0)
    despues = calcular(
        "formulaciones_aprobadas_a_tiempo",
        datetime.date(ANIO, 4, 1),
        datetime.date(ANIO, 6, 30),
        hoy=datetime.date(ANIO, 6, 30),
    )
    assert (despues.numerador, despues.denominador) == (1, 2)
    assert [fila[-1] for fila in despues.filas] == ["No aprobada a tiempo", "Aprobada a tiempo"]


def test_medios_con_veredicto(registros):
    resultado = calcular(
        "medios_con_veredicto",
        datetime.date(ANIO, 1, 1),
        datetime.date(ANIO, 12, 31),
        hoy=datetime.date(ANIO, 12, 31),
    )
    # D is a draft: its two medios do not count.
    assert (resultado.numerador, resultado.denominador) == (3, 6)


def test_medios_con_veredicto_cuenta_los_archivos_de_las_preguntas(
    proceso, formulacion_osorno, encargado, analista
):
    """A deliverable on a form of its own carries its evidence under its questions (issue 16):
    the analysts' verdicts on those files count too, named by the question."""
    from compromisos.services import medio_pregunta_subir
    from formularios.models import Pregunta
    from tests.compromisos.test_medios_de_pregunta import pdf
    from tests.validacion.test_entregables_genericos import crear_entregable, crear_tipo

    tipo = crear_tipo(proceso, preguntas=2)
    informe = crear_entregable(formulacion_osorno, tipo)
    for numero in ("1.1", "1.2"):
        medio_pregunta_subir(
            informe=informe,
            pregunta=Pregunta.objects.get(seccion__plantilla=tipo.formulario, numero=numero),
            archivo=pdf(f"acta {numero}.pdf"),
            usuario=encargado,
        )
    informe = documento_transicionar(objeto=informe, accion="enviar", usuario=encargado)
    documento_transicionar(objeto=informe, accion="tomar", usuario=analista)
    medio = informe.medios.get(pregunta__numero="1.1")
    veredicto_registrar(medio=medio, resultado="aceptado", motivo="", usuario=analista)
    resultado = calcular(
        "medios_con_veredicto",
        datetime.date(ANIO, 1, 1),
        datetime.date(ANIO, 12, 31),
        hoy=datetime.date(ANIO, 12, 31),
    )
    assert (resultado.numerador, resultado.denominador) == (1, 2)
    servicio = formulacion_osorno.servicio.nombre
    assert sorted(resultado.filas) == [
        [servicio, "Informe de evaluación", "1.1", "acta 1.1.pdf", "Sí"],
        [servicio, "Informe de evaluación", "1.2", "acta 1.2.pdf", "No"],
    ]


def test_los_indicadores_calculados_se_guardan_por_periodo(registros, unidad, admin):
    indicador = crear_indicador(
        unidad,
        nombre="Informes revisados a tiempo",
        fuente="calculada",
        computo="informes_revisados_a_tiempo",
        parametros={"dias": 10},
    )
    guardadas = services.indicadores_calcular(
        anio=ANIO, usuario=admin, hoy=datetime.date(ANIO, 10, 30)
    )
    # Q1 and Q2 have no informes; Q3 has three (1 on time); Q4 has begun with none.
    assert guardadas == 1
    medicion = indicador.mediciones.get()
    assert (medicion.periodo, medicion.numerador, medicion.denominador) == (
        3,
        Decimal("1"),
        Decimal("3"),
    )
    indicador.refresh_from_db()
    assert indicador.valor_actual == Decimal("33.33")
    assert indicador.semaforo == Semaforo.NO_CUMPLIDA


def test_otra_aplicacion_registra_un_calculo():
    def nada(**_):
        return computos.Resultado(Decimal(0), Decimal(0), [], [])

    computo = computos.Computo(
        clave="prueba_consultas",
        nombre="Consultas respondidas a tiempo",
        numerador="a tiempo",
        denominador="todas",
        factor=Decimal(100),
        unidad_medida="%",
        sentido="ascendente",
        funcion=nada,
    )
    computos.registrar(computo)
    try:
        assert computos.obtener("prueba_consultas") is computo
        with pytest.raises(ValueError):
            computos.registrar(computos.Computo(**{**computo.__dict__, "nombre": "otro"}))
    finally:
        computos._REGISTRO.pop("prueba_consultas")


# --- Consultas respondidas a tiempo -----------------------------------------------------------
# Five días hábiles (asistencia's default); 16 July is a holiday.
# - 1 Jul (Wed): deadline 8 Jul; answered 8 Jul, the deadline day: on time, 5 días hábiles.
# - 10 Jul (Fri): deadline 20 Jul (13–15, 17, 20); answered 21 Jul: late, 6 días hábiles.
# - 15 Jul (Wed): deadline 23 Jul; answered 17 Jul: on time, 1 día hábil.
# - 28 Sep (Mon): deadline 5 Oct; unanswered.
# - 30 Jun: asked before the quarter, not in it.


def preguntar(servicio, usuario, analista, preguntada, respondida=None):
    consulta = asistencia.consulta_crear(
        servicio=servicio,
        anio=ANIO,
        asunto=f"Consulta del {preguntada:%d-%m}",
        texto="¿Cómo se justifica un medio faltante?",
        usuario=usuario,
        hoy=preguntada,
    )
    Consulta.objects.filter(pk=consulta.pk).update(
        creada_en=momento(preguntada.month, preguntada.day)
    )
    if respondida is not None:
        asistencia.consulta_escribir(consulta=consulta, texto="Así.", usuario=analista)
        Consulta.objects.filter(pk=consulta.pk).update(
            respondida_en=momento(respondida.month, respondida.day)
        )
    return consulta


@pytest.fixture
def consultas(osorno, encargado, analista):
    d = datetime.date
    for preguntada, respondida in [
        (d(ANIO, 7, 1), d(ANIO, 7, 8)),
        (d(ANIO, 7, 10), d(ANIO, 7, 21)),
        (d(ANIO, 7, 15), d(ANIO, 7, 17)),
        (d(ANIO, 9, 28), None),
        (d(ANIO, 6, 30), d(ANIO, 7, 1)),
    ]:
        preguntar(osorno, encargado, analista, preguntada, respondida)


def test_consultas_respondidas_a_tiempo(consultas):
    resultado = calcular(
        "consultas_respondidas_a_tiempo", *TERCER_TRIMESTRE, hoy=datetime.date(ANIO, 10, 3)
    )
    # Two of three answered on time (the one answered on its deadline day counts); the one of
    # 28 Sep is still within its plazo: listed, not counted.
    assert (resultado.numerador, resultado.denominador) == (2, 3)
    assert [(fila[3], fila[5], fila[-1]) for fila in resultado.filas] == [
        (datetime.date(ANIO, 7, 8), 5, "A tiempo"),
        (datetime.date(ANIO, 7, 20), 6, "Fuera de plazo"),
        (datetime.date(ANIO, 7, 23), 1, "A tiempo"),
        (datetime.date(ANIO, 10, 5), None, "Sin responder, en plazo"),
    ]


def test_una_consulta_sin_responder_cuenta_cuando_vence_su_plazo(consultas):
    resultado = calcular(
        "consultas_respondidas_a_tiempo", *TERCER_TRIMESTRE, hoy=datetime.date(ANIO, 10, 6)
    )
    assert (resultado.numerador, resultado.denominador) == (2, 4)
    assert resultado.filas[-1][-1] == "Sin responder, plazo vencido"


@pytest.mark.parametrize("cuantas", [1, 6])
def test_consultas_a_tiempo_lee_consultas_fijas(
    cuantas, osorno, encargado, analista, django_assert_num_queries
):
    for dia in range(cuantas):
        preguntar(osorno, encargado, analista, datetime.date(ANIO, 7, 1 + dia), None)
    # The consultas with their servicio, and the holidays of the range.
    with django_assert_num_queries(2):
        resultado = calcular(
            "consultas_respondidas_a_tiempo", *TERCER_TRIMESTRE, hoy=datetime.date(ANIO, 10, 6)
        )
    assert resultado.denominador == cuantas


def test_los_informes_se_nombran_como_los_nombra_su_anio(registros, proceso):
    """The rows name each informe by its year's deliverable kind, not the fixed cycle's."""
    TipoEntregable.objects.filter(proceso=proceso, clave="avance_1").update(
        nombre="Informe de factibilidad"
    )
    medios = calcular(
        "medios_con_veredicto",
        datetime.date(ANIO, 1, 1),
        datetime.date(ANIO, 12, 31),
        hoy=datetime.date(ANIO, 12, 31),
    )
    assert {fila[1] for fila in medios.filas} == {"Informe de factibilidad", "Informe de avance 2"}
    revisados = calcular(
        "informes_revisados_a_tiempo", *TERCER_TRIMESTRE, hoy=datetime.date(ANIO, 9, 3)
    )
    assert [fila[1] for fila in revisados.filas] == [
        f"Informe de factibilidad {ANIO}",
        f"Informe de factibilidad {ANIO}",
        f"Informe de avance 2 {ANIO}",
    ]
