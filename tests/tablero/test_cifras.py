"""The tablero's figures against data counted by hand (tests/tablero/conftest.py), its filters,
and the drill-down lists, whose row counts must equal the figure that links to them."""

import io
import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from compromisos.models import Compromiso
from srm.excel import FILA_ENCABEZADO
from tests.conftest import ANIO, cliente

pytestmark = pytest.mark.django_db

URL = reverse("tablero:tablero")


def tablero(usuario, **filtros):
    # The figures are read from the context, which only a cache miss computes.
    cache.clear()
    consulta = {"anio": ANIO, "periodo": "avance_1", **filtros}
    respuesta = cliente(usuario).get(URL, consulta)
    assert respuesta.status_code == 200
    return respuesta


def test_informes_por_estado_y_entrega_a_tiempo(jefatura, anio_tablero):
    informes = tablero(jefatura).context["cifras"]["informes"]
    assert informes["servicios"] == 4
    estados = {e["valor"]: e["cantidad"] for e in informes["estados"]}
    assert estados == {
        "sin_informe": 1,
        "borrador": 1,
        "enviado": 0,
        "en_revision": 0,
        "observado": 1,
        "aprobado": 1,
        # The results of certified kinds and the kinds SUBDERE only receives (issue 16).
        "certificado": 0,
        "no_certificado": 0,
        "recibido": 0,
    }
    assert (informes["a_tiempo"], informes["atrasados"], informes["sin_enviar"]) == (1, 1, 2)
    assert informes["porcentaje_a_tiempo"] == 25.0
    assert tablero(jefatura).context["cifras"]["observaciones"]["servicios"] == 1


def test_observaciones_abiertas(jefatura, anio_tablero):
    observaciones = tablero(jefatura).context["cifras"]["observaciones"]
    assert observaciones == {"abiertas": 1, "respondidas": 0, "resueltas": 0, "servicios": 1}


def test_compromisos_por_complejidad_ambito_y_tipo(jefatura, anio_tablero):
    cifras = tablero(jefatura).context["cifras"]

    def como_dict(filas):
        return {f["valor"]: f["cantidad"] for f in filas if f["cantidad"]}

    # Osorno C01 + Economía C01 + GORE C01, C02 are inmediata; Osorno C02 mayor; Llanquihue ×3.
    assert como_dict(cifras["complejidad"]) == {"inmediata": 4, "mediana": 3, "mayor": 1}
    assert como_dict(cifras["ambito"]) == {
        "infraestructura": 4,
        "fomento_productivo": 3,
        "cultura": 1,
    }
    assert como_dict(cifras["tipo_medida"]) == {"descentralizacion": 7, "desconcentracion": 1}


def test_validacion_de_iniciativas(jefatura, anio_tablero):
    validacion = tablero(jefatura).context["cifras"]["validacion"]
    assert validacion["total"] == 8 and validacion["validadas"] == 3
    assert {f["valor"]: f["cantidad"] for f in validacion["filas"]} == {
        "cumple": 1,
        "parcial": 1,
        "no_cumple": 1,
        "sin_validar": 5,
    }
    assert validacion["porcentaje_validadas"] == 37.5


def test_avance_por_region_tipo_y_ministerio(jefatura, anio_tablero):
    cifras = tablero(jefatura).context["cifras"]
    por_region = {f["nombre"]: (f["servicios"], f["avance"]) for f in cifras["por_region"]}
    # Los Lagos: (40 + 60 + 10 + 30 + 50) / 5; national: Economía's informe is a draft, so its
    # 100 % is not a figure yet; Arica: no informe.
    assert por_region == {
        "Arica y Parinacota": (1, None),
        "Los Lagos": (2, 38.0),
        "Alcance nacional": (1, None),
    }
    por_tipo = {f["nombre"]: f["servicios"] for f in cifras["por_tipo"]}
    assert por_tipo == {
        "Gobierno regional": 1,
        "Gobernación provincial / Delegación presidencial provincial": 2,
        "Subsecretaría": 1,
    }
    assert {f["nombre"]: (f["servicios"], f["avance"]) for f in cifras["por_ministerio"]} == {
        "MININTERIOR": (3, 38.0),
        "MINECON": (1, None),
    }
    mapa = {r["codigo"]: r for r in cifras["mapa"]}
    assert len(mapa) == 16
    assert mapa["10"]["nivel"] == 1 and mapa["10"]["servicios"] == 2
    assert mapa["15"]["nivel"] == -1 and mapa["15"]["servicios"] == 1
    assert mapa["13"]["servicios"] == 0


def test_tendencia_entre_anios(jefatura, anio_tablero):
    tendencia = tablero(jefatura).context["cifras"]["tendencia"]
    # 2011: Osorno's formulación from the reference fixtures; 2025 and 2026 from the test.
    por_anio = {f["anio"]: f for f in tendencia}
    assert [f["anio"] for f in tendencia] == sorted(por_anio)
    assert por_anio[ANIO - 1]["servicios"] == 1 and por_anio[ANIO - 1]["compromisos"] == 4
    assert por_anio[ANIO]["servicios"] == 4 and por_anio[ANIO]["compromisos"] == 8
    assert por_anio[ANIO]["porcentaje_a_tiempo"] == 25.0
    assert por_anio[ANIO]["porcentaje_cumple"] == 12.5


class TestFiltros:
    def test_por_ministerio(self, jefatura, anio_tablero):
        economia = anio_tablero["economia"].ministerio
        informes = tablero(jefatura, ministerio=economia.pk).context["cifras"]["informes"]
        assert informes["servicios"] == 1 and informes["borrador"] == 1

    def test_por_tipo(self, jefatura, anio_tablero):
        tipo = anio_tablero["osorno"].tipo
        cifras = tablero(jefatura, tipo=tipo.pk).context["cifras"]
        assert cifras["informes"]["servicios"] == 2
        assert cifras["validacion"]["total"] == 5

    def test_por_region_y_alcance_nacional(self, jefatura, anio_tablero):
        region = anio_tablero["gore"].region
        assert tablero(jefatura, region=region.pk).context["cifras"]["informes"]["servicios"] == 1
        nacional = tablero(jefatura, region="null").context["cifras"]["informes"]
        assert nacional["servicios"] == 1 and nacional["borrador"] == 1

    def test_por_anio_y_periodo(self, jefatura, anio_tablero):
        anterior = tablero(jefatura, anio=ANIO - 1).context
        assert anterior["alcance"].proceso.anio == ANIO - 1
        assert anterior["cifras"]["informes"]["servicios"] == 1
        avance_2 = tablero(jefatura, periodo="avance_2").context["cifras"]["informes"]
        assert avance_2["sin_informe"] == 4

    def test_los_filtros_quedan_en_la_direccion_de_cada_enlace(self, jefatura, anio_tablero):
        tipo = anio_tablero["osorno"].tipo
        respuesta = tablero(jefatura, tipo=tipo.pk)
        for clave, grafico in respuesta.context["graficos"].items():
            if clave == "mapa":
                continue
            for fila in grafico["filas"]:
                assert f"tipo={tipo.pk}" in fila["enlace"] and "anio=" in fila["enlace"]

    def test_anio_desconocido_muestra_el_anio_vigente(self, jefatura, anio_tablero):
        respuesta = cliente(jefatura).get(URL, {"anio": "1999"})
        assert respuesta.status_code == 200
        assert respuesta.context["alcance"].proceso.anio == ANIO


def _cantidad_en_lista(c, enlace) -> int:
    respuesta = c.get(enlace)
    assert respuesta.status_code == 200, enlace
    # Read from the HTML: a list visited twice comes from the cache, without a context.
    return int(re.search(r'id="total-\w+">(\d+) ', respuesta.content.decode()).group(1))


@pytest.mark.parametrize("filtros", [{}, {"region": "null"}, {"tipo": 2}])
def test_cada_cifra_lleva_a_una_lista_con_la_misma_cantidad(jefatura, anio_tablero, filtros):
    c = cliente(jefatura)
    respuesta = tablero(jefatura, **filtros)
    graficos = respuesta.context["graficos"]
    revisadas = 0
    for clave, grafico in graficos.items():
        if clave in ("tendencia", "mapa"):
            continue
        for fila in grafico["filas"]:
            esperado = fila["servicios"] if "servicios" in fila else fila["valor"]
            assert _cantidad_en_lista(c, fila["enlace"]) == esperado, (clave, fila)
            revisadas += 1
    for region in graficos["mapa"]:
        if region["servicios"]:
            assert _cantidad_en_lista(c, region["enlace"]) == region["servicios"], region
        else:
            assert region["enlace"] is None
    assert revisadas > 20


def test_cada_tarjeta_lleva_a_su_lista(jefatura, anio_tablero):
    contenido = tablero(jefatura).content.decode()
    c = cliente(jefatura)
    consulta = f"anio={ANIO}&amp;periodo=avance_1"
    for enlace, esperado in [
        (f"{reverse('tablero:servicio_lista')}?{consulta}&amp;plazo=a_tiempo", 1),
        (f"{reverse('tablero:servicio_lista')}?{consulta}&amp;observaciones=pendientes", 1),
        (f"{reverse('tablero:compromiso_lista')}?{consulta}", 8),
    ]:
        assert enlace in contenido
        assert _cantidad_en_lista(c, enlace.replace("&amp;", "&")) == esperado


def test_la_tendencia_lleva_al_tablero_de_cada_anio(jefatura, anio_tablero):
    c = cliente(jefatura)
    for fila in tablero(jefatura).context["graficos"]["tendencia"]["filas"]:
        assert c.get(fila["enlace"]).context["anio"] == fila["nombre"]


def test_el_tablero_se_exporta_a_excel(jefatura, anio_tablero):
    respuesta = tablero(jefatura, formato="xlsx")
    assert respuesta["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in respuesta["Content-Disposition"]
    libro = load_workbook(io.BytesIO(respuesta.content))
    assert {"Filtros", "Informes por estado", "Validación", "Por región", "Tendencia"} <= set(
        libro.sheetnames
    )
    hoja = libro["Informes por estado"]
    assert hoja.freeze_panes == f"A{FILA_ENCABEZADO + 1}"
    # «Sin informe» and each state an informe can take.
    assert hoja.auto_filter.ref == f"A{FILA_ENCABEZADO}:B{FILA_ENCABEZADO + 9}"
    filas = {
        fila[0]: fila[1] for fila in hoja.iter_rows(min_row=FILA_ENCABEZADO + 1, values_only=True)
    }
    assert filas["Aprobado"] == 1 and isinstance(filas["Aprobado"], int)
    region = {
        fila[0]: fila[2]
        for fila in libro["Por región"].iter_rows(min_row=FILA_ENCABEZADO + 1, values_only=True)
    }
    assert region["Los Lagos"] == 38.0


def test_las_listas_se_exportan_y_el_texto_no_se_vuelve_formula(jefatura, anio_tablero):
    Compromiso.objects.filter(formulacion__servicio=anio_tablero["gore"], codigo="C01").update(
        nombre='=HYPERLINK("http://malo.example","clic")'
    )
    c = cliente(jefatura)
    respuesta = c.get(
        reverse("tablero:compromiso_lista"),
        {"anio": ANIO, "formato": "xlsx", "complejidad": "inmediata"},
    )
    hoja = load_workbook(io.BytesIO(respuesta.content))["Compromisos"]
    nombres = [fila[2] for fila in hoja.iter_rows(min_row=FILA_ENCABEZADO + 1, values_only=True)]
    assert len(nombres) == 4
    # The text as typed, stored as a string cell: no spreadsheet evaluates it.
    assert '=HYPERLINK("http://malo.example","clic")' in nombres
    celdas = [fila[2] for fila in hoja.iter_rows(min_row=FILA_ENCABEZADO + 1)]
    assert {celda.data_type for celda in celdas} == {"s"}
    servicios = load_workbook(
        io.BytesIO(
            c.get(
                reverse("tablero:servicio_lista"),
                {"anio": ANIO, "periodo": "avance_1", "formato": "xlsx"},
            ).content
        )
    )["Servicios"]
    assert servicios.max_row == FILA_ENCABEZADO + 4
    assert servicios.freeze_panes == f"A{FILA_ENCABEZADO + 1}"


def test_cada_excel_del_tablero_dice_su_anio_periodo_filtros_y_momento(jefatura, anio_tablero):
    from servicios.models import Region

    region = Region.objects.get(nombre="Los Lagos")
    respuesta = tablero(jefatura, formato="xlsx", region=region.pk)
    nombre = re.search(r'filename="([^"]+)"', respuesta["Content-Disposition"])[1]
    assert re.fullmatch(
        rf"tablero_{ANIO}_informe-de-avance-1_region-x-los-lagos_\d{{8}}-\d{{4}}\.xlsx", nombre
    )
    ahora = timezone.localtime()
    for hoja in load_workbook(io.BytesIO(respuesta.content)).worksheets:
        lineas = [fila[0] for fila in hoja.iter_rows(max_row=4, values_only=True)]
        assert lineas[:3] == [
            "Tablero PMG · SRM, SUBDERE",
            f"Año: {ANIO} · Periodo: Informe de avance 1",
            f"Filtros: Región: {region}",
        ]
        assert lineas[3].startswith(f"Generado el {ahora:%d-%m-%Y} ")
    # A list behind a figure adds its own filter to the tablero's.
    lista = cliente(jefatura).get(
        reverse("tablero:compromiso_lista"),
        {"anio": ANIO, "formato": "xlsx", "complejidad": "inmediata"},
    )
    hoja = load_workbook(io.BytesIO(lista.content))["Compromisos"]
    assert hoja["A3"].value == "Filtros: Complejidad: Medida inmediata"
    assert "_complejidad-medida-inmediata_" in lista["Content-Disposition"]


def test_las_partes_de_la_validacion_suman_el_total_mostrado():
    """A third each: rounded alone they show 33,3 + 33,3 + 33,3 = 99,9 % under a 100 % total."""
    from tablero.selectors import compromisos_y_validacion

    cifras = {f"{campo}_{valor}": 0 for campo, valores in _CAMPOS.items() for valor in valores}
    cifras.update(total=3, validacion_cumple=1, validacion_parcial=1, validacion_no_cumple=1)
    filas = compromisos_y_validacion(cifras)["validacion"]["filas"]
    partes = {f["valor"]: f["porcentaje"] for f in filas}
    assert partes == {"cumple": 33.4, "parcial": 33.3, "no_cumple": 33.3, "sin_validar": 0.0}
    assert round(sum(partes.values()), 6) == 100


_CAMPOS = {
    campo: [valor for valor, _ in Compromiso._meta.get_field(campo).choices]
    for campo in ("tipo_medida", "complejidad", "ambito")
}


def test_el_excel_del_tablero_guarda_porcentajes_como_numeros_con_un_decimal(
    jefatura, anio_tablero
):
    libro = load_workbook(io.BytesIO(tablero(jefatura, formato="xlsx").content))
    celda = next(
        fila[2]
        for fila in libro["Por región"].iter_rows(min_row=FILA_ENCABEZADO + 1)
        if fila[0].value == "Los Lagos"
    )
    # A typed number (38.0), shown with the one decimal the page shows («38,0 %»).
    assert celda.data_type == "n" and celda.value == 38.0
    assert celda.number_format == "#,##0.0"
    validacion = [
        fila[2]
        for fila in libro["Validación"].iter_rows(min_row=FILA_ENCABEZADO + 1)
        if fila[2].value is not None
    ]
    assert {c.number_format for c in validacion} == {"#,##0.0"}
    assert sum(c.value for c in validacion) == pytest.approx(100)


def test_el_tablero_escribe_cifras_con_coma_y_conteos_que_concuerdan(jefatura, anio_tablero):
    html = tablero(jefatura).content.decode()
    assert ">38,0 %<" in html
    assert not re.search(r"\d\.\d+ ?%", html)
    # Counts agree with their words in the links' labels.
    assert not re.search(r'aria-label="1 (servicios|compromisos|iniciativas)', html)
    assert re.search(r'aria-label="1 servicio: ', html)


def test_un_anio_sin_informes_del_periodo_dice_sin_datos(jefatura, anio_tablero):
    """2011 (Osorno, from the reference fixtures) had no informe de avance: its on-time and
    approved shares are no figure, not 0 %; its iniciativas still count."""
    respuesta = tablero(jefatura)
    por_anio = {f["anio"]: f for f in respuesta.context["cifras"]["tendencia"]}
    assert por_anio[2011]["servicios"] == 1 and por_anio[2011]["informes"] == 0
    assert por_anio[2011]["porcentaje_a_tiempo"] is None
    assert por_anio[2011]["porcentaje_aprobados"] is None
    # The year shown keeps its shares (it has informes of the periodo).
    assert por_anio[ANIO]["porcentaje_a_tiempo"] == 25.0
    html = respuesta.content.decode()
    fila_2011 = html.split('aria-label="Tablero 2011"', 1)[1].split("</tr>", 1)[0]
    # Osorno 2011 holds no iniciativa either: the third share has nothing to divide too.
    assert por_anio[2011]["compromisos"] == 0 and por_anio[2011]["porcentaje_cumple"] is None
    assert fila_2011.count("sin datos") == 3
    assert "0 %" not in fila_2011


def test_un_informe_certificado_cuenta_como_aprobado(jefatura, anio_tablero):
    """A deliverable certified by SUBDERE (issue 16) ended its review well: the tablero's
    approved share counts it as it counted it approved."""
    from compromisos.models import EstadoRevision, InformeAvance

    aprobado = InformeAvance.objects.filter(
        formulacion__proceso__anio=ANIO, estado=EstadoRevision.APROBADO
    ).first()
    assert aprobado is not None

    def aprobados() -> float:
        cache.clear()
        tendencia = tablero(jefatura, periodo=aprobado.periodo).context["cifras"]["tendencia"]
        return {f["anio"]: f for f in tendencia}[ANIO]["porcentaje_aprobados"]

    antes = aprobados()
    assert antes > 0
    aprobado.estado = EstadoRevision.CERTIFICADO
    aprobado.save()
    assert aprobados() == antes
    aprobado.estado = EstadoRevision.NO_CERTIFICADO
    aprobado.save()
    assert aprobados() < antes
