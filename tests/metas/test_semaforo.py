"""The traffic light and the projection, on measurements built in memory."""

from decimal import Decimal

from metas.models import Indicador, Medicion, Semaforo
from metas.semaforo import acumulado, proyeccion, semaforo


def indicador(**campos) -> Indicador:
    datos = {
        "valor_meta": Decimal("80"),
        "tolerancia": Decimal("10"),
        "periodicidad": "trimestral",
        "factor": Decimal("100"),
        **campos,
    }
    return Indicador(**datos)


def medir(ind: Indicador, periodo: int, numerador: str, denominador: str = "10") -> Medicion:
    return Medicion(
        indicador=ind,
        periodo=periodo,
        numerador=Decimal(numerador),
        denominador=Decimal(denominador),
    )


def test_acumulado_es_la_suma_de_numeradores_sobre_la_de_denominadores():
    ind = indicador()
    mediciones = [medir(ind, 1, "9"), medir(ind, 2, "3", "20")]
    assert acumulado(ind, mediciones) == Decimal("40.00")


def test_proyeccion_lineal_al_ultimo_trimestre():
    ind = indicador()
    # 90, 80, 70 % → the line falls 10 points a quarter: 60 % in the fourth.
    mediciones = [medir(ind, 1, "9"), medir(ind, 2, "8"), medir(ind, 3, "7")]
    assert proyeccion(ind, mediciones) == Decimal("60.00")
    assert semaforo(ind, proyeccion(ind, mediciones)) == Semaforo.NO_CUMPLIDA


def test_una_sola_medicion_se_proyecta_igual():
    ind = indicador()
    assert proyeccion(ind, [medir(ind, 1, "7")]) == Decimal("70.00")


def test_luces_ascendentes_y_descendentes():
    ascendente = indicador()
    assert semaforo(ascendente, Decimal("80")) == Semaforo.CUMPLIDA
    assert semaforo(ascendente, Decimal("70")) == Semaforo.EN_RIESGO
    assert semaforo(ascendente, Decimal("69.99")) == Semaforo.NO_CUMPLIDA
    assert semaforo(ascendente, None) == Semaforo.SIN_DATOS
    descendente = indicador(sentido="descendente", valor_meta=Decimal("5"), tolerancia=Decimal("2"))
    assert semaforo(descendente, Decimal("4")) == Semaforo.CUMPLIDA
    assert semaforo(descendente, Decimal("7")) == Semaforo.EN_RIESGO
    assert semaforo(descendente, Decimal("7.5")) == Semaforo.NO_CUMPLIDA


def test_una_situacion_a_la_fecha_toma_el_ultimo_periodo():
    ind = indicador(acumulacion="ultimo")
    assert acumulado(ind, [medir(ind, 1, "5"), medir(ind, 2, "9")]) == Decimal("90.00")


def test_la_proyeccion_de_un_porcentaje_no_pasa_de_cien():
    ind = indicador(unidad_medida="%")
    # 90, 95, 100 % → the line would read 105 % in the fourth quarter.
    mediciones = [medir(ind, 1, "9"), medir(ind, 2, "9.5"), medir(ind, 3, "10")]
    assert proyeccion(ind, mediciones) == Decimal("100.00")


def test_la_proyeccion_de_un_porcentaje_no_baja_de_cero():
    ind = indicador(unidad_medida="%")
    # 20, 10, 5 % → the line would read −3,33 %.
    mediciones = [medir(ind, 1, "2"), medir(ind, 2, "1"), medir(ind, 3, "0.5")]
    assert proyeccion(ind, mediciones) == Decimal("0.00")


def test_un_indicador_que_no_es_porcentaje_no_tiene_tope():
    # A mean (factor 1) and a typed value may go beyond 100.
    promedio = indicador(factor=Decimal("1"), unidad_medida="días hábiles")
    mediciones = [medir(promedio, 1, "900"), medir(promedio, 2, "950"), medir(promedio, 3, "1000")]
    assert proyeccion(promedio, mediciones) == Decimal("105.00")
    valor = indicador(tipo_formula="valor", unidad_medida="%")
    mediciones = [
        Medicion(indicador=valor, periodo=p, valor=Decimal(v))
        for p, v in [(1, "90"), (2, "95"), (3, "100")]
    ]
    assert proyeccion(valor, mediciones) == Decimal("105.00")
