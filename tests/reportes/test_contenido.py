"""Each report read back (openpyxl, pdftotext, zipfile) and checked against hand-counted data."""

import datetime
import re

import pytest
from django.utils import timezone
from openpyxl.utils import get_column_letter

from reportes.models import Reporte
from srm.excel import FILA_ENCABEZADO
from tests.conftest import ANIO
from tests.reportes.conftest import (
    NOMBRE_FORMULA,
    filas,
    generar,
    libro,
    texto_de,
    texto_pdf,
    zip_de,
)
from validacion.models import ValidacionIniciativa, ValidacionServicio

pytestmark = pytest.mark.django_db


def test_consolidado_xlsx_por_servicio_y_totales(anio_con_datos, jefatura):
    reporte = generar(jefatura, "consolidado_xlsx", periodo="avance_1")
    assert reporte.estado == Reporte.Estado.LISTO, reporte.error
    hojas = libro(reporte)
    assert hojas.sheetnames == [
        "Servicios",
        "Por ministerio",
        "Por tipo de servicio",
        "Por región",
    ]
    servicios = {f["Servicio"]: f for f in filas(hojas["Servicios"])}
    assert set(servicios) == {
        "Gobernación Provincial de Osorno",
        "Gobernación Provincial de Llanquihue",
        "Gobierno Regional de Tarapacá",
    }
    osorno = servicios["Gobernación Provincial de Osorno"]
    assert osorno["Informe"] == "Enviado"
    assert osorno["Puntualidad"] == "En plazo"
    assert osorno["Avance promedio"] == pytest.approx(0.40)
    assert osorno["Observaciones pendientes"] == 1
    assert osorno["Compromisos"] == 2
    assert osorno["Formulación"] == "Aprobado"
    assert osorno["Enviado el"] == datetime.datetime(ANIO, 6, 28, 10, 30)
    llanquihue = servicios["Gobernación Provincial de Llanquihue"]
    assert llanquihue["Puntualidad"] == "Fuera de plazo"
    assert llanquihue["Avance promedio"] == pytest.approx(0.30)
    gore = servicios["Gobierno Regional de Tarapacá"]
    assert gore["Informe"] == "Sin informe" and gore["Puntualidad"] == "No enviado"
    assert gore["Avance promedio"] is None

    por_tipo = {f["Tipo de servicio"]: f for f in filas(hojas["Por tipo de servicio"])}
    gobernaciones = next(v for k, v in por_tipo.items() if k.startswith("Gobernación"))
    assert gobernaciones["Servicios"] == 2
    assert gobernaciones["Informes enviados"] == 2
    assert gobernaciones["Fuera de plazo"] == 1
    assert gobernaciones["% en plazo"] == pytest.approx(0.5)
    assert gobernaciones["Avance promedio"] == pytest.approx((30 + 50 + 30 + 30) / 400)
    assert gobernaciones["Observaciones pendientes"] == 1
    total = por_tipo["Total"]
    assert total["Servicios"] == 3 and total["Informes enviados"] == 2
    assert total["% enviado"] == pytest.approx(2 / 3)

    por_region = {f["Región"]: f for f in filas(hojas["Por región"])}
    assert por_region["Los Lagos"]["Servicios"] == 2
    assert por_region["Tarapacá"]["Informes enviados"] == 0


def test_consolidado_respeta_los_filtros(anio_con_datos, jefatura):
    gore = anio_con_datos["gore"]
    reporte = generar(
        jefatura,
        "consolidado_xlsx",
        periodo="avance_1",
        filtros={"tipo": gore.tipo_id, "descripcion": "Gobierno regional"},
    )
    servicios = [f["Servicio"] for f in filas(libro(reporte)["Servicios"])]
    assert servicios == ["Gobierno Regional de Tarapacá"]


def test_planilla_tipada_con_encabezado_fijo_y_filtro(anio_con_datos, jefatura):
    reporte = generar(jefatura, "planilla")
    assert reporte.estado == Reporte.Estado.LISTO, reporte.error
    hojas = libro(reporte)
    assert hojas.sheetnames == [
        "Servicios",
        "Formulación",
        "Compromisos",
        "Hitos",
        "Medios",
        "Observaciones",
        "Validaciones",
    ]
    for hoja in hojas.worksheets:
        assert hoja.freeze_panes == f"A{FILA_ENCABEZADO + 1}"
        ultima = get_column_letter(hoja.max_column)
        assert hoja.auto_filter.ref == f"A{FILA_ENCABEZADO}:{ultima}{hoja.max_row}"
        assert hoja[f"A{FILA_ENCABEZADO}"].font.bold

    compromisos = filas(hojas["Compromisos"])
    assert len(compromisos) == 5  # 2 + 2 + 1
    c02 = next(f for f in compromisos if f["Código"] == "C02" and "Osorno" in f["Servicio"])
    assert c02["% Avance 1"] == pytest.approx(0.5)
    assert c02["% Avance 2"] is None
    fila_c02 = next(
        fila
        for fila in hojas["Compromisos"].iter_rows(min_row=FILA_ENCABEZADO + 1)
        if fila[2].value == NOMBRE_FORMULA
    )
    # Stored as text, exactly as typed: no spreadsheet evaluates it.
    assert fila_c02[2].data_type == "s"
    assert fila_c02[8].number_format == "0.0%"

    medios = filas(hojas["Medios"])
    assert len(medios) == 4
    assert {m["Situación"] for m in medios} == {"Vigente"}
    assert all(len(m["SHA-256"]) == 64 and m["Tamaño (bytes)"] > 0 for m in medios)
    assert isinstance(medios[0]["Subido el"], datetime.datetime)

    observaciones = filas(hojas["Observaciones"])
    assert sorted(o["Estado"] for o in observaciones) == ["Abierta", "Resuelta"]

    servicios = {f["Servicio"]: f for f in filas(hojas["Servicios"])}
    assert (
        servicios["Gobernación Provincial de Llanquihue"]["Informe de avance 1: fuera de plazo"]
        == "Sí"
    )
    assert servicios["Gobierno Regional de Tarapacá"]["Informe de avance 1"] == "Sin informe"


def test_texto_que_empieza_como_formula_se_guarda_como_texto(tmp_path):
    from openpyxl import load_workbook

    from srm.excel import Columna, LibroExcel, Membrete

    valores = ["=1+1", "+56 9 1234", "-restar", "@SUMA(A1)", "normal"]
    libro_excel = LibroExcel(Membrete("Prueba", 2026))
    libro_excel.hoja("Textos", [Columna("Texto")], [[v] for v in valores])
    destino = tmp_path / "textos.xlsx"
    with destino.open("wb") as archivo:
        libro_excel.guardar(archivo)
    hoja = load_workbook(destino)["Textos"]
    celdas = [fila[0] for fila in hoja.iter_rows(min_row=FILA_ENCABEZADO + 1)]
    assert [c.value for c in celdas] == valores
    assert {c.data_type for c in celdas} == {"s"}


def test_validacion_dipres_lleva_solo_lo_ratificado(anio_con_datos, jefatura, consultora, analista):
    from django.utils import timezone

    def validar(formulacion, estado, resultados):
        ratificada = estado == ValidacionServicio.Estado.RATIFICADA
        validacion = ValidacionServicio.objects.create(
            formulacion=formulacion,
            estado=estado,
            resultado="parcial" if ratificada else "",
            ratificada_por=analista if ratificada else None,
            ratificada_en=timezone.now() if ratificada else None,
        )
        for compromiso, resultado in zip(
            formulacion.compromisos.order_by("codigo"), resultados, strict=True
        ):
            ValidacionIniciativa.objects.create(
                validacion=validacion,
                compromiso=compromiso,
                resultado=resultado,
                fundamento=f"Fundamento de {compromiso.codigo}",
                consultora=consultora,
            )

    ratificada = ValidacionServicio.Estado.RATIFICADA
    validar(anio_con_datos["osorno"].formulacion, ratificada, ["cumple", "parcial"])
    validar(anio_con_datos["llanquihue"].formulacion, "enviada", ["no_cumple", "cumple"])
    reporte = generar(jefatura, "validacion_dipres")
    hoja = libro(reporte)["Validación final"]
    veredictos = {(f["Servicio"], f["Código"]): f for f in filas(hoja)}
    # Llanquihue's validation is still with SUBDERE: it does not go to DIPRES.
    assert set(veredictos) == {
        ("Gobernación Provincial de Osorno", "C01"),
        ("Gobernación Provincial de Osorno", "C02"),
    }
    c01 = veredictos[("Gobernación Provincial de Osorno", "C01")]
    assert c01["Veredicto"] == "Cumple" and c01["Fundamento"] == "Fundamento de C01"
    assert veredictos[("Gobernación Provincial de Osorno", "C02")]["Veredicto"] == (
        "Cumple parcialmente"
    )
    assert c01["Estado de la validación"] == "Ratificada por SUBDERE"
    assert c01["Resultado del servicio"] == "Cumple parcialmente"
    # The planilla keeps every verdict.
    planilla = libro(generar(jefatura, "planilla"))["Validaciones"]
    assert len(filas(planilla)) == 4


def test_texto_con_caracteres_de_control_no_rompe_la_planilla(anio_con_datos, jefatura, analista):
    from validacion.models import Observacion

    Observacion.objects.create(
        informe=anio_con_datos["osorno"], texto="Pegado\x0bdesde\x1fWord", autor=analista
    )
    reporte = generar(jefatura, "planilla")
    assert reporte.estado == Reporte.Estado.LISTO, reporte.error
    textos = [f["Observación"] for f in filas(libro(reporte)["Observaciones"])]
    assert "PegadodesdeWord" in textos


def test_el_avance_promedio_cuenta_solo_informes_enviados(anio_con_datos, jefatura):
    from compromisos.models import EstadoRevision, InformeAvance

    InformeAvance.objects.filter(pk=anio_con_datos["llanquihue"].pk).update(
        estado=EstadoRevision.BORRADOR, enviado_en=None, es_atrasado=False
    )
    hojas = libro(generar(jefatura, "consolidado_xlsx", periodo="avance_1"))
    llanquihue = next(f for f in filas(hojas["Servicios"]) if f["Servicio"].endswith("Llanquihue"))
    assert llanquihue["Informe"] == "Borrador" and llanquihue["Avance promedio"] is None
    total = next(
        f for f in filas(hojas["Por tipo de servicio"]) if f["Tipo de servicio"] == "Total"
    )
    assert total["Avance promedio"] == pytest.approx(0.40)  # Osorno's alone


def test_consolidado_pdf(anio_con_datos, jefatura):
    reporte = generar(jefatura, "consolidado_pdf", periodo="avance_1")
    assert reporte.estado == Reporte.Estado.LISTO, reporte.error
    texto = texto_de(reporte)
    assert "Estado de avance consolidado" in texto
    assert "Informe de avance 1 · PMG Descentralización 2026" in texto
    assert "Gobernación Provincial de Llanquihue" in texto
    assert "Fuera de plazo" in texto
    assert "Totales por región" in texto
    assert "Página 2 de" in texto


def test_ficha_pdf(anio_con_datos, analista):
    osorno = anio_con_datos["osorno"].formulacion.servicio
    reporte = generar(analista, "ficha", servicio=osorno)
    assert reporte.estado == Reporte.Estado.LISTO, reporte.error
    assert reporte.nombre_archivo == "ficha_gobernacion_provincial_de_osorno_2026.pdf"
    texto = texto_de(reporte)
    for esperado in [
        "Ficha del servicio",
        "GOBERNACIÓN PROVINCIAL DE OSORNO",
        "Descentralización",
        "100,00 %",
        "Compromiso 1",
        "Falta el acta firmada.",
        "Ronda 1",
        "La validación final aún no comienza.",
    ]:
        assert esperado in texto, esperado
    assert "50 %" in texto and "30 %" in texto


def test_resumen_ejecutivo_pdf_con_graficos_svg(anio_con_datos, jefatura):
    reporte = generar(jefatura, "resumen_ejecutivo")
    assert reporte.estado == Reporte.Estado.LISTO, reporte.error
    texto = texto_de(reporte)
    assert "Resumen ejecutivo" in texto and "PMG Descentralización 2026" in texto
    assert "servicios con formulación" in texto
    assert "Informe de avance 1" in texto
    # Mean progress of avance 1 over the four compromisos sent: (30 + 50 + 30 + 30) / 4, with
    # the one decimal every mean has (srm/formato.py).
    assert "35,0 %" in texto


def test_expediente_zip(anio_con_datos, encargado):
    osorno = anio_con_datos["osorno"].formulacion.servicio
    reporte = generar(encargado, "expediente", servicio=osorno)
    assert reporte.estado == Reporte.Estado.LISTO, reporte.error
    archivo = zip_de(reporte)
    nombres = archivo.namelist()
    carpeta = "expediente_gobernacion_provincial_de_osorno_2026/"
    assert carpeta + "00_indice.xlsx" in nombres
    assert carpeta + "01_ficha_del_servicio.pdf" in nombres
    assert carpeta + "02_historial_de_observaciones.pdf" in nombres
    medios = sorted(n for n in nombres if "/medios/" in n)
    assert len(medios) == 2
    assert medios[0] == carpeta + "medios/1. Informe de avance 1/C01 Compromiso 1/acta 0.pdf"
    # A compromiso named like a formula or a path gives a plain folder name.
    carpeta_c02 = medios[1].split("/")[3]
    assert carpeta_c02.startswith("C02 =HYPERLINK( http") and not set('"/:') & set(carpeta_c02)
    # The files are the uploaded bytes.
    medio = anio_con_datos["osorno"].avances.get(compromiso__codigo="C01").medios.get()
    with medio.archivo.open("rb") as original:
        assert (
            archivo.read(carpeta + "medios/1. Informe de avance 1/C01 Compromiso 1/acta 0.pdf")
            == original.read()
        )
    assert "Falta el acta firmada." in texto_pdf(
        archivo.read(carpeta + "02_historial_de_observaciones.pdf")
    )


# --- Reports say what they are --------------------------------------------------------------


def membrete_de(hoja) -> list[str]:
    return [fila[0] for fila in hoja.iter_rows(max_row=FILA_ENCABEZADO - 2, values_only=True)]


def test_un_consolidado_filtrado_lo_dice_en_cada_hoja_y_en_su_nombre(anio_con_datos, jefatura):
    gore = anio_con_datos["gore"]
    reporte = generar(
        jefatura,
        "consolidado_xlsx",
        periodo="avance_1",
        filtros={"tipo": gore.tipo_id, "descripcion": "Gobierno regional"},
    )
    generado = timezone.localtime(reporte.terminado_en)
    for hoja in libro(reporte).worksheets:
        lineas = membrete_de(hoja)
        assert lineas[0] == "Estado de avance consolidado · SRM, SUBDERE"
        assert lineas[1] == f"Año: {ANIO} · Periodo: Informe de avance 1"
        assert lineas[2] == "Filtros: Gobierno regional"
        assert lineas[3].startswith(f"Generado el {generado:%d-%m-%Y} ")
    assert re.fullmatch(
        rf"estado_de_avance_{ANIO}_informe-de-avance-1_gobierno-regional_\d{{8}}-\d{{4}}\.xlsx",
        reporte.nombre_archivo,
    )
    nacional = generar(jefatura, "consolidado_xlsx", periodo="avance_1")
    assert membrete_de(libro(nacional)["Servicios"])[2] == "Filtros: ninguno (todos los servicios)"
    assert re.fullmatch(
        rf"estado_de_avance_{ANIO}_informe-de-avance-1_\d{{8}}-\d{{4}}\.xlsx",
        nacional.nombre_archivo,
    )


def test_cada_hoja_se_imprime_apaisada_al_ancho_con_el_encabezado_repetido(
    anio_con_datos, jefatura
):
    for tipo, parametros in [
        ("planilla", {}),
        ("consolidado_xlsx", {"periodo": "avance_1"}),
        ("validacion_dipres", {}),
    ]:
        for hoja in libro(generar(jefatura, tipo, **parametros)).worksheets:
            assert hoja.page_setup.orientation == "landscape", (tipo, hoja.title)
            assert hoja.sheet_properties.pageSetUpPr.fitToPage
            assert (hoja.page_setup.fitToWidth, hoja.page_setup.fitToHeight) == (1, 0)
            assert hoja.print_title_rows == f"${FILA_ENCABEZADO}:${FILA_ENCABEZADO}"


def test_la_planilla_trae_la_formulacion_con_numeros_y_exenciones(anio_con_datos, jefatura):
    from decimal import Decimal

    from compromisos.models import ExencionFormulacion, LineaFormulacion

    osorno = anio_con_datos["osorno"].formulacion
    osorno.lineas.update(ponderador=Decimal("60.50"))
    LineaFormulacion.objects.create(
        formulacion=osorno,
        area="Gestión Territorial",
        sistema="Gestión Territorial Integrada",
        etapa=3,
        prioridad="MENOR",
        ponderador=Decimal("39.50"),
        orden=1,
    )
    ExencionFormulacion.objects.create(
        formulacion=osorno,
        area="Gestión de la Calidad",
        sistema="Sistema de Gestión de la Calidad",
        tipo="eximir",
        justificacion="El servicio no certifica procesos este año.",
    )
    hoja = libro(generar(jefatura, "planilla"))["Formulación"]
    de_osorno = [f for f in filas(hoja) if f["Servicio"] == "Gobernación Provincial de Osorno"]
    assert [(f["Línea"], f["Sistema"], f["Etapa"], f["Prioridad"]) for f in de_osorno] == [
        ("Sistema comprometido", "Descentralización", 1, "Alta"),
        ("Sistema comprometido", "Gestión Territorial Integrada", 3, "Menor"),
        ("Sistema eximido", "Sistema de Gestión de la Calidad", None, None),
    ]
    assert [f["Ponderador (%)"] for f in de_osorno] == [60.5, 39.5, None]
    assert de_osorno[2]["Justificación"] == "El servicio no certifica procesos este año."
    assert de_osorno[0]["Formulación"] == "Aprobado"
    # Every formulación of the year is there (three servicios, one line each besides Osorno).
    assert len(filas(hoja)) == 5
    numero = next(fila for fila in hoja.iter_rows(min_row=FILA_ENCABEZADO + 1))[8]
    assert numero.data_type == "n" and numero.number_format == "#,##0.00"


def test_el_autor_de_las_observaciones_va_con_su_nombre_completo(
    anio_con_datos, jefatura, analista
):
    analista.first_name, analista.last_name = "Carolina", "Vargas Soto"
    analista.save()
    autores = {f["Autor"] for f in filas(libro(generar(jefatura, "planilla"))["Observaciones"])}
    assert autores == {"Carolina Vargas Soto"}


def test_validacion_dipres_lleva_el_cumplimiento_por_servicio(
    anio_con_datos, jefatura, consultora, analista, admin
):
    """Osorno: 2 of 2 iniciativas cumple, its only sistema weighs 100 → 100 % → 7,6 %.
    Llanquihue: not ratified → no result, and why."""
    from decimal import Decimal

    from django.utils import timezone

    from programa.models import ProgramaMarco, ReglaCumplimiento, TramoIncentivo

    programa, _ = ProgramaMarco.objects.get_or_create(anio=ANIO)
    ReglaCumplimiento.objects.create(programa=programa, regimen="indicador", meta=Decimal("75"))
    for minimo, porcentaje in (("90", "7.6"), ("75", "3.8"), ("0", "0")):
        TramoIncentivo.objects.create(
            programa=programa, cumplimiento_minimo=minimo, porcentaje_incentivo=porcentaje
        )
    formulacion = anio_con_datos["osorno"].formulacion
    validacion = ValidacionServicio.objects.create(
        formulacion=formulacion,
        estado="ratificada",
        resultado="cumple",
        ratificada_por=analista,
        ratificada_en=timezone.now(),
    )
    for compromiso in formulacion.compromisos.all():
        ValidacionIniciativa.objects.create(
            validacion=validacion,
            compromiso=compromiso,
            resultado="cumple",
            fundamento="Revisado.",
            consultora=consultora,
        )
    hoja = libro(generar(jefatura, "validacion_dipres"))["Cumplimiento por servicio"]
    por_servicio = {f["Servicio"]: f for f in filas(hoja)}
    osorno = por_servicio["Gobernación Provincial de Osorno"]
    assert osorno["Descentralización"] == "Cumple"
    assert osorno["Implementadas ÷ comprometidas"] == 1.0 and osorno["Meta"] == 0.75
    assert osorno["Cumplimiento PMG ponderado"] == 1.0
    assert osorno["Incentivo"] == pytest.approx(0.076)
    llanquihue = por_servicio["Gobernación Provincial de Llanquihue"]
    assert llanquihue["Descentralización"] == "Sin resultado"
    assert "ratificada" in llanquihue["Sin resultado porque"]


def test_los_reportes_cuentan_contra_el_universo_2011(referencias, jefatura):
    """2011: Osorno formulated; the other 28 named participants are «Falta» rows, and the two
    SERVIU in PMG Gestión Territorial are listed apart with their reason."""
    from reportes.datos import FALTA

    reporte = generar(jefatura, "consolidado_xlsx", anio=2011, periodo="avance_1")
    planilla = libro(reporte)
    servicios = filas(planilla["Servicios"])
    assert sum(FALTA in f.values() for f in servicios) == 28
    universo = filas(planilla["Universo"])
    otro = [f for f in universo if f["Situación"] == "En otro sistema"]
    assert len(otro) == 2 and all(f["Motivo"] for f in otro)
    assert {f["Sistema que cumple"] for f in otro} == {"PMG Gestión Territorial"}
    estadistica = filas(libro(generar(jefatura, "planilla", anio=2011))["Servicios"])
    assert sum(FALTA in f.values() for f in estadistica) == 28
    pdf = generar(jefatura, "consolidado_pdf", anio=2011, periodo="avance_1")
    with pdf.archivo.open("rb") as archivo:
        texto = texto_pdf(archivo.read())
    assert "Universo 2011" in texto and "28 faltan por formular" in texto
    assert "PMG Gestión Territorial" in texto


def test_los_pdf_de_un_anio_nombran_su_programa(anio_con_datos, jefatura, analista, proceso):
    """A year whose programme had another name (2007: PMG Gestión Territorial) is named so in
    the headings of its PDFs; the standing name appears nowhere in them."""
    proceso.programa = "PMG Gestión Territorial"
    proceso.save(update_fields=["programa"])
    osorno = anio_con_datos["osorno"].formulacion.servicio
    textos = {
        "consolidado_pdf": texto_de(generar(jefatura, "consolidado_pdf", periodo="avance_1")),
        "resumen_ejecutivo": texto_de(generar(jefatura, "resumen_ejecutivo")),
        "ficha": texto_de(generar(analista, "ficha", servicio=osorno)),
    }
    assert "Informe de avance 1 · PMG Gestión Territorial 2026" in textos["consolidado_pdf"]
    assert "PMG Gestión Territorial 2026" in textos["resumen_ejecutivo"]
    assert "ADMINISTRATIVO · PMG GESTIÓN TERRITORIAL" in textos["ficha"]  # uppercased by CSS
    for tipo, texto in textos.items():
        assert "SUBDERE · PMG Gestión Territorial" in texto, tipo
        assert "PMG Descentralización" not in texto, tipo
    expediente = zip_de(generar(analista, "expediente", servicio=osorno))
    (historial,) = [n for n in expediente.namelist() if "historial_de_observaciones" in n]
    texto = texto_pdf(expediente.read(historial))
    assert "PMG Gestión Territorial" in texto and "PMG Descentralización" not in texto
