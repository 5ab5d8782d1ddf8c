"""Reporting, approving and returning measurements; evidence never overwritten; the light."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from bitacora.models import Evento, Notificacion
from metas import services
from metas.models import EstadoMedicion, Semaforo
from tests.metas.conftest import crear_indicador, evidencia

pytestmark = pytest.mark.django_db


def reportar(indicador, usuario, periodo=1, numerador="9", denominador="10", archivo="acta"):
    return services.medicion_reportar(
        indicador=indicador,
        periodo=periodo,
        usuario=usuario,
        numerador=Decimal(numerador),
        denominador=Decimal(denominador),
        comentario="Según planilla",
        archivo=evidencia(archivo) if archivo else None,
    )


def test_encargado_reporta_con_evidencia_y_su_jefe_aprueba(indicador, encargado_unidad, jefe_depto):
    medicion = reportar(indicador, encargado_unidad)
    assert medicion.estado == EstadoMedicion.REPORTADA
    assert medicion.evidencias.count() == 1
    aprobada = services.medicion_transicionar(
        medicion=medicion, accion="aprobar", usuario=jefe_depto
    )
    assert aprobada.estado == EstadoMedicion.APROBADA
    indicador.refresh_from_db()
    assert indicador.valor_actual == Decimal("90.00")
    assert indicador.semaforo == Semaforo.CUMPLIDA
    acciones = list(
        Evento.objects.filter(objeto_id=medicion.pk, accion__startswith="medicion.")
        .order_by("pk")
        .values_list("accion", flat=True)
    )
    assert acciones == ["medicion.evidencia", "medicion.reportar", "medicion.aprobar"]


def test_sin_evidencia_no_se_reporta(indicador, encargado_unidad):
    with pytest.raises(ValidationError) as error:
        reportar(indicador, encargado_unidad, archivo=None)
    assert "evidencia" in str(error.value)
    assert not indicador.mediciones.exists()


def test_devolver_exige_comentario_y_la_correccion_agrega_archivo(
    indicador, encargado_unidad, jefe_depto
):
    medicion = reportar(indicador, encargado_unidad)
    with pytest.raises(services.TransicionNoPermitida):
        services.medicion_transicionar(medicion=medicion, accion="devolver", usuario=jefe_depto)
    devuelta = services.medicion_transicionar(
        medicion=medicion, accion="devolver", usuario=jefe_depto, comentario="Falta el acta"
    )
    assert devuelta.estado == EstadoMedicion.DEVUELTA
    primera = devuelta.evidencias.get()
    corregida = reportar(indicador, encargado_unidad, numerador="7", archivo="acta firmada")
    assert corregida.estado == EstadoMedicion.REPORTADA
    assert corregida.numerador == Decimal("7")
    assert corregida.evidencias.count() == 2
    primera.refresh_from_db()
    assert primera.archivo.read() == evidencia("acta").read()


def test_el_mismo_archivo_no_se_guarda_dos_veces(indicador, encargado_unidad, jefe_depto):
    medicion = reportar(indicador, encargado_unidad)
    services.medicion_transicionar(
        medicion=medicion, accion="devolver", usuario=jefe_depto, comentario="Corrija"
    )
    with pytest.raises(ValidationError):
        reportar(indicador, encargado_unidad, archivo="acta")
    assert medicion.evidencias.count() == 1


def test_una_medicion_aprobada_ya_no_se_modifica(indicador, encargado_unidad, jefe_depto):
    medicion = reportar(indicador, encargado_unidad)
    services.medicion_transicionar(medicion=medicion, accion="aprobar", usuario=jefe_depto)
    with pytest.raises(services.TransicionNoPermitida):
        reportar(indicador, encargado_unidad, archivo="otra")
    medicion.refresh_from_db()
    with pytest.raises(services.TransicionNoPermitida):
        services.medicion_transicionar(medicion=medicion, accion="aprobar", usuario=jefe_depto)


def test_periodo_fuera_de_la_periodicidad(indicador, encargado_unidad):
    with pytest.raises(ValidationError):
        reportar(indicador, encargado_unidad, periodo=5)


def test_el_denominador_cero_se_rechaza(indicador, encargado_unidad):
    with pytest.raises(ValidationError):
        reportar(indicador, encargado_unidad, denominador="0")


def test_indicador_en_rojo_avisa_una_sola_vez(indicador, encargado_unidad, jefe_depto):
    # 5/10 = 50 %, far below 80 − 10: red, told to the unit's jefe and the department's.
    medicion = reportar(indicador, encargado_unidad, numerador="5")
    services.medicion_transicionar(medicion=medicion, accion="aprobar", usuario=jefe_depto)
    indicador.refresh_from_db()
    assert indicador.semaforo == Semaforo.NO_CUMPLIDA
    avisados = set(Notificacion.objects.values_list("destinatario__username", flat=True))
    assert avisados == {"encargado_unidad", "jefe_depto"}
    assert Evento.objects.filter(accion="indicador.en_rojo").count() == 1
    # Still red after another low quarter and a re-evaluation: nobody is told again.
    segunda = reportar(indicador, encargado_unidad, periodo=2, numerador="4", archivo="t2")
    services.medicion_transicionar(medicion=segunda, accion="aprobar", usuario=jefe_depto)
    services.indicador_evaluar(indicador=indicador)
    assert Notificacion.objects.count() == 2
    assert Evento.objects.filter(accion="indicador.en_rojo").count() == 1


def test_valor_descendente(unidad, encargado_unidad, jefe_depto):
    dias = crear_indicador(
        unidad,
        nombre="Días de respuesta",
        tipo_formula="valor",
        sentido="descendente",
        valor_meta=Decimal("5"),
        tolerancia=Decimal("2"),
        unidad_medida="días",
    )
    medicion = services.medicion_reportar(
        indicador=dias,
        periodo=1,
        usuario=encargado_unidad,
        valor=Decimal("6"),
        archivo=evidencia(),
    )
    services.medicion_transicionar(medicion=medicion, accion="aprobar", usuario=jefe_depto)
    dias.refresh_from_db()
    assert dias.valor_actual == Decimal("6.00")
    assert dias.semaforo == Semaforo.EN_RIESGO
