"""Cumplimiento as the PMG computes it, checked against hand computation (issue 15, point 4)."""

from decimal import Decimal as D

import pytest
from django.utils import timezone

from compromisos.models import FormulacionPMG, LineaFormulacion
from programa.models import ProgramaMarco, ReglaCumplimiento, TramoIncentivo
from tests.conftest import crear_formulacion, crear_usuario
from validacion.cumplimiento import (
    Regla,
    alcanza,
    cumplimiento_de,
    cumplimiento_ponderado,
    incentivo,
    indicador,
    regla_del_anio,
    resultado_descentralizacion,
)
from validacion.models import ResultadoSistema, ValidacionIniciativa, ValidacionServicio

# Ley 19.553 art. 6 as amended, as fixtures/cumplimiento_2011.json loads it.
TRAMOS = ((D("90"), D("7.6")), (D("75"), D("3.8")), (D("0"), D("0")))


@pytest.mark.parametrize(
    "cumplimiento, esperado",
    [
        (D("100"), D("7.6")),
        (D("90"), D("7.6")),
        (D("89.99"), D("3.8")),
        (D("75"), D("3.8")),
        (D("74.99"), D("0")),
        (D("0"), D("0")),
        (None, None),
    ],
)
def test_tramo_en_los_bordes(cumplimiento, esperado):
    assert incentivo(cumplimiento, TRAMOS) == esperado


def test_sin_tramo_que_lo_cubra_no_hay_incentivo():
    assert incentivo(D("50"), ((D("75"), D("3.8")),)) is None


def test_indicador_implementadas_sobre_comprometidas():
    # 3 of 4 = 75,00; 2 of 3 = 66,666… shown as 66,67.
    assert indicador(3, 4) == D("75.00")
    assert indicador(2, 3) == D("66.67")
    assert indicador(0, 0) is None
    # Compared exactly, not with the rounded value.
    assert not alcanza(2, 3, D("66.67"))
    assert alcanza(2, 3, D("66.66"))


def test_ponderado_suma_los_sistemas_cumplidos():
    # Osorno 2011's six sistemas (seed 001): 20 + 15 + 15 + 10 + 25 + 15 = 100.
    lineas = [
        (D("20"), True),
        (D("15"), False),
        (D("15"), True),
        (D("10"), True),
        (D("25"), True),
        (D("15"), False),
    ]
    assert cumplimiento_ponderado(lineas) == D("70")
    assert incentivo(D("70"), TRAMOS) == D("0")
    # A sistema without its result: no cumplimiento yet.
    assert cumplimiento_ponderado([(D("50"), True), (D("50"), None)]) is None
    assert cumplimiento_ponderado([]) is None


def test_etapas_exige_la_meta_y_parcial_no_cuenta():
    regla = Regla(anio=2011, regimen="etapas", meta=D("100"), tramos=TRAMOS)
    todas = resultado_descentralizacion(
        regla=regla, comprometidas=3, implementadas=3, ratificada=True
    )
    assert todas.cumple is True and todas.valor == D("100.00")
    # Two cumple, one «cumple parcialmente»: the sistema does not cumplir its etapa.
    parcial = resultado_descentralizacion(
        regla=regla, comprometidas=3, implementadas=2, ratificada=True
    )
    assert parcial.cumple is False
    sin_ratificar = resultado_descentralizacion(
        regla=regla, comprometidas=3, implementadas=3, ratificada=False
    )
    assert sin_ratificar.cumple is None and "ratificada" in sin_ratificar.motivo


def test_indicador_contra_su_meta():
    regla = Regla(anio=2014, regimen="indicador", meta=D("75"), tramos=TRAMOS)
    assert resultado_descentralizacion(
        regla=regla, comprometidas=4, implementadas=3, ratificada=True
    ).cumple
    assert not resultado_descentralizacion(
        regla=regla, comprometidas=8, implementadas=5, ratificada=True
    ).cumple
    sin_meta = Regla(anio=2014, regimen="indicador", meta=None, tramos=TRAMOS)
    resultado = resultado_descentralizacion(
        regla=sin_meta, comprometidas=4, implementadas=4, ratificada=True
    )
    assert resultado.cumple is None and "meta" in resultado.motivo


def test_la_regla_2011_como_dato(referencias):
    regla = regla_del_anio(2011)
    assert regla.registrada and regla.regimen == "etapas" and regla.meta == D("100")
    assert regla.tramos == TRAMOS
    for tramo in TramoIncentivo.objects.filter(programa__anio=2011):
        assert "Ley 19.553" in tramo.fuente and "verifica" in tramo.fuente
    assert not regla_del_anio(2030).registrada


def _ratificar(formulacion, veredictos, consultora, jefe):
    validacion = ValidacionServicio.objects.create(
        formulacion=formulacion,
        estado="ratificada",
        resultado="parcial",
        ratificada_por=jefe,
        ratificada_en=timezone.now(),
    )
    for compromiso, veredicto in zip(
        formulacion.compromisos.order_by("codigo"), veredictos, strict=True
    ):
        ValidacionIniciativa.objects.create(
            validacion=validacion,
            compromiso=compromiso,
            resultado=veredicto,
            fundamento="Revisado.",
            consultora=consultora,
        )


@pytest.mark.django_db
def test_cumplimiento_de_un_servicio_a_mano(
    osorno, llanquihue, proceso, consultora, admin, django_assert_num_queries
):
    """Osorno: Descentralización 60 % (3 of 3 cumple) + Equidad de Género 40 % cumple = 100 →
    7,6 %. Llanquihue: Descentralización 60 % with one «parcial» → no cumple; Género 40 %
    cumple → 40 → 0 %."""
    programa = ProgramaMarco.objects.create(anio=proceso.anio)
    ReglaCumplimiento.objects.create(programa=programa, regimen="etapas", meta=D("100"))
    for minimo, porcentaje in TRAMOS:
        TramoIncentivo.objects.create(
            programa=programa, cumplimiento_minimo=minimo, porcentaje_incentivo=porcentaje
        )
    jefe = crear_usuario("jefa_cumplimiento", "admin")
    formulaciones = {}
    for servicio, veredictos in (
        (osorno, ["cumple"] * 3),
        (llanquihue, ["cumple", "parcial", "cumple"]),
    ):
        formulacion = crear_formulacion(servicio, proceso, compromisos=3)
        formulacion.lineas.update(ponderador=D("60"))
        genero = LineaFormulacion.objects.create(
            formulacion=formulacion,
            area="Gestión Desarrollo de Personas",
            sistema="Equidad de Género",
            etapa=2,
            prioridad="MEDIANA",
            ponderador=D("40"),
        )
        ResultadoSistema.objects.create(linea=genero, cumple=True, registrado_por=admin)
        _ratificar(formulacion, veredictos, consultora, jefe)
        formulaciones[servicio.pk] = formulacion
    regla = regla_del_anio(proceso.anio)
    with django_assert_num_queries(2):
        resultados = cumplimiento_de(FormulacionPMG.objects.filter(proceso=proceso), regla)
    osorno_c = resultados[formulaciones[osorno.pk].pk]
    assert osorno_c.descentralizacion.cumple is True
    assert osorno_c.cumplimiento == D("100") and osorno_c.incentivo == D("7.6")
    llanquihue_c = resultados[formulaciones[llanquihue.pk].pk]
    assert llanquihue_c.descentralizacion.cumple is False
    assert llanquihue_c.descentralizacion.valor == D("66.67")
    assert llanquihue_c.cumplimiento == D("40") and llanquihue_c.incentivo == D("0")
    # Without DIPRES's result for Género, no cumplimiento and the missing sistema named.
    ResultadoSistema.objects.filter(linea__formulacion=formulaciones[osorno.pk]).delete()
    osorno_c = cumplimiento_de(FormulacionPMG.objects.filter(servicio=osorno), regla)[
        formulaciones[osorno.pk].pk
    ]
    assert osorno_c.cumplimiento is None and osorno_c.faltan == ["Equidad de Género"]
    # A compromiso left off the Descentralización line (from before its formulación had the
    # line: compromisos_sin_linea lists it) is no iniciativa of that line: Llanquihue's
    # «parcial» C02 no longer counts, 2 of 2 cumple.
    formulaciones[llanquihue.pk].compromisos.filter(codigo="C02").update(linea=None)
    llanquihue_c = cumplimiento_de(FormulacionPMG.objects.filter(servicio=llanquihue), regla)[
        formulaciones[llanquihue.pk].pk
    ]
    assert llanquihue_c.descentralizacion.valor == D("100")
    assert llanquihue_c.descentralizacion.cumple is True


def _anio_con_regla(proceso):
    programa = ProgramaMarco.objects.create(anio=proceso.anio)
    ReglaCumplimiento.objects.create(programa=programa, regimen="etapas", meta=D("100"))
    for minimo, porcentaje in TRAMOS:
        TramoIncentivo.objects.create(
            programa=programa, cumplimiento_minimo=minimo, porcentaje_incentivo=porcentaje
        )


@pytest.mark.django_db
def test_la_ficha_muestra_cumplimiento_y_tramo(
    osorno, proceso, consultora, admin, encargado, encargado_otro, django_assert_num_queries
):
    from django.urls import reverse

    from tests.conftest import cliente

    _anio_con_regla(proceso)
    formulacion = crear_formulacion(osorno, proceso, compromisos=2)
    formulacion.lineas.update(ponderador=D("85"))
    otra = LineaFormulacion.objects.create(
        formulacion=formulacion,
        area="Gestión Desarrollo de Personas",
        sistema="Equidad de Género",
        etapa=2,
        prioridad="MENOR",
        ponderador=D("15"),
    )
    ResultadoSistema.objects.create(linea=otra, cumple=False, registrado_por=admin)
    _ratificar(formulacion, ["cumple", "cumple"], consultora, crear_usuario("jefa_f", "admin"))
    url = reverse("servicios:servicio_detalle", args=[osorno.pk])
    html = cliente(encargado).get(url).content.decode()
    # 85 (Descentralización cumple) + 0 (Género no cumple) = 85 → 3,8 %.
    assert "Cumplimiento ponderado: <strong>85,00 %</strong>" in html
    assert "incentivo: <strong>3,8 %</strong>" in html
    assert "Ingresado por la Unidad" in html
    # 2011's Osorno formulación (fixture) has no ratified validation: it says why.
    assert cliente(encargado_otro).get(url).status_code == 404


@pytest.mark.django_db
def test_la_seccion_de_la_ficha_cuenta_igual_con_2_o_4_anios(osorno, proceso, admin):
    """The ficha's cumplimiento reads a fixed number of queries whatever the years: the years,
    their rules and tramos, the formulaciones by verdict, their lines."""
    from django.db import connection
    from django.test import RequestFactory
    from django.test.utils import CaptureQueriesContext

    from compromisos.models import Proceso
    from validacion.cumplimiento import ficha_cumplimiento

    crear_formulacion(osorno, proceso)
    pedido = RequestFactory().get("/")
    pedido.user = admin

    def contar() -> int:
        with CaptureQueriesContext(connection) as consultas:
            datos = ficha_cumplimiento(pedido, osorno)
        return len(consultas), datos

    contar()  # the person's role, read once per request
    dos, datos = contar()
    assert [c.anio for c in datos["resultados"]] == [proceso.anio, 2011]
    for anio in (2024, 2025):
        crear_formulacion(osorno, Proceso.objects.create(anio=anio))
    cuatro, datos = contar()
    assert len(datos["resultados"]) == 4
    assert dos == cuatro == 5


@pytest.mark.django_db
def test_la_demo_trae_cumplimiento_y_tramo_en_sus_anios_cerrados(referencias):
    from django.core.management import call_command

    call_command("demo", anio=2026, servicios=6, anios=2, verbosity=0)
    regla = regla_del_anio(2025)
    assert regla.registrada and regla.tramos == TRAMOS  # copied from 2011 with the catalogue
    resultados = cumplimiento_de(FormulacionPMG.objects.filter(proceso__anio=2025), regla)
    con_tramo = [c for c in resultados.values() if c.incentivo is not None]
    assert con_tramo
    for c in con_tramo:
        # By hand: the ponderadores of the sistemas that cumplen, and the tramo they reach.
        suma = sum((linea["ponderador"] for linea in c.lineas if linea["cumple"]), D("0"))
        assert c.cumplimiento == suma
        assert c.incentivo == (D("7.6") if suma >= 90 else D("3.8") if suma >= 75 else D("0"))
    assert ResultadoSistema.objects.filter(
        linea__formulacion__proceso__anio=2025, nota__startswith="Dato de demostración"
    ).exists()


@pytest.mark.django_db
def test_la_unidad_ingresa_el_resultado_dipres_en_administracion(osorno, proceso, admin):
    from django.urls import reverse

    from bitacora.models import Evento
    from tests.conftest import cliente

    formulacion = crear_formulacion(osorno, proceso)
    genero = LineaFormulacion.objects.create(
        formulacion=formulacion,
        area="Gestión Desarrollo de Personas",
        sistema="Equidad de Género",
        etapa=2,
        prioridad="MENOR",
        ponderador=D("10"),
    )
    c = cliente(admin)
    url = reverse("admin:validacion_resultadosistema_add")
    descentralizacion = formulacion.lineas.get(sistema="Descentralización")
    respuesta = c.post(url, {"linea": descentralizacion.pk, "cumple": "on", "origen": "admin"})
    assert respuesta.status_code == 200
    assert "sale de la validación de la consultora" in respuesta.content.decode()
    assert not ResultadoSistema.objects.exists()
    respuesta = c.post(
        url, {"linea": genero.pk, "cumple": "on", "origen": "admin", "nota": "Oficio"}
    )
    assert respuesta.status_code == 302
    resultado = ResultadoSistema.objects.get()
    assert resultado.cumple and resultado.registrado_por == admin
    assert Evento.objects.filter(accion="resultado_sistema.guardar").exists()


def _planilla(filas) -> bytes:
    import io

    from openpyxl import Workbook

    libro = Workbook()
    hoja = libro.active
    hoja.append(["Resultados PMG (DIPRES)"])
    hoja.append(["Servicio", "Sistema", "Resultado"])
    for fila in filas:
        hoja.append(fila)
    destino = io.BytesIO()
    libro.save(destino)
    return destino.getvalue()


@pytest.mark.django_db
def test_la_planilla_dipres_se_importa_entera_o_muestra_los_errores_por_fila(
    osorno, llanquihue, proceso, admin
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from tests.conftest import cliente

    for servicio in (osorno, llanquihue):
        formulacion = crear_formulacion(servicio, proceso)
        LineaFormulacion.objects.create(
            formulacion=formulacion,
            area="Gestión Desarrollo de Personas",
            sistema="Equidad de Género",
            etapa=2,
            prioridad="MENOR",
            ponderador=D("10"),
        )
    c = cliente(admin)
    url = reverse("admin:validacion_resultadosistema_importar")
    assert c.get(url).status_code == 200
    malas = _planilla(
        [
            ["Gobernación Provincial de Osorno", "Equidad de Genero", "Cumple"],
            ["Gobernación Provincial de Osorno", "Descentralización", "Cumple"],
            ["Servicio que no existe", "Equidad de Género", "Cumple"],
            ["Gobernación Provincial de Llanquihue", "Equidad de Género", "Tal vez"],
            ["Gobernación Provincial de Osorno", "Equidad de género", "No cumple"],
        ]
    )
    respuesta = c.post(
        url, {"anio": proceso.anio, "archivo": SimpleUploadedFile("dipres.xlsx", malas)}
    )
    html = respuesta.content.decode()
    assert respuesta.status_code == 200 and 'role="alert"' in html
    assert "Fila 4: El resultado de Descentralización sale de la validación" in html
    assert f"Fila 5: «Servicio que no existe» no tiene formulación {proceso.anio}" in html
    assert "Fila 6: Resultado «Tal vez»" in html
    assert "Fila 7: El sistema ya viene en la fila 3." in html
    assert not ResultadoSistema.objects.exists()

    buenas = _planilla(
        [
            ["Gobernación Provincial de Osorno", "Equidad de Genero", "Cumple"],
            ["Gobernación Provincial de Llanquihue", "EQUIDAD DE GÉNERO", "No cumple"],
        ]
    )
    respuesta = c.post(
        url, {"anio": proceso.anio, "archivo": SimpleUploadedFile("dipres.xlsx", buenas)}
    )
    assert respuesta.status_code == 302
    assert dict(
        ResultadoSistema.objects.values_list("linea__formulacion__servicio__nombre", "cumple")
    ) == {"Gobernación Provincial de Osorno": True, "Gobernación Provincial de Llanquihue": False}
    assert set(ResultadoSistema.objects.values_list("origen", flat=True)) == {"planilla"}
    # Not a spreadsheet: said, nothing saved.
    respuesta = c.post(
        url, {"anio": proceso.anio, "archivo": SimpleUploadedFile("x.xlsx", b"no es excel")}
    )
    assert "no es una planilla Excel" in respuesta.content.decode()
