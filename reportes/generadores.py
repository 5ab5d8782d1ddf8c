"""One function per kind of report: it writes the file into `destino` and returns its name.

Generators read through `reportes.datos` and report their progress; they never touch the
Reporte row themselves (the service decides when a run is done).
"""

import re
import unicodedata
import zipfile
from collections.abc import Callable
from typing import IO, Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from compromisos.models import FormulacionPMG, InformeAvance
from compromisos.selectors import medios_de_preguntas, programa_del_anio
from formularios.instantanea import rotulo
from formularios.pdf import formulario_html
from metas import selectors as metas_selectors
from metas.models import Departamento
from reportes import datos, graficos
from reportes.models import Reporte, TipoReporte
from srm.excel import Columna, LibroExcel, Membrete

Progreso = Callable[[float, str], None]


def _nombre_seguro(texto: str, largo: int = 80) -> str:
    """A file or folder name every operating system accepts, readable and without accents lost."""
    texto = unicodedata.normalize("NFC", str(texto))
    texto = re.sub(r'[\x00-\x1f<>:"/\\|?*]+', " ", texto)
    texto = re.sub(r"\s+", " ", texto).strip(" .")
    return texto[:largo].rstrip(" .") or "sin nombre"


def membrete(reporte: Reporte) -> Membrete:
    """What the run is, for the first rows of each sheet and the file name."""
    filtros = []
    if reporte.servicio_id:
        filtros.append(f"Servicio: {reporte.servicio.nombre}")
    descripcion = reporte.filtros.get("descripcion") or datos.descripcion_filtros(reporte.filtros)
    if descripcion:
        filtros.append(descripcion)
    return Membrete(
        titulo=reporte.get_tipo_display().rsplit(" (", 1)[0],
        anio=reporte.anio,
        periodo=reporte.nombre_periodo,
        filtros=tuple(filtros),
        generado_en=timezone.now(),
    )


def _escribir_pdf(plantilla: str, contexto: dict[str, Any], destino: IO[bytes]) -> None:
    html = render_to_string(plantilla, {**contexto, "generado_en": timezone.localtime()})
    _documento(html).write_pdf(destino)


def _documento(html: str) -> Any:
    from weasyprint import HTML

    # Reports embed no external resource: refuse every fetch (user text cannot reach the network).
    return HTML(string=html, url_fetcher=_sin_recursos_externos).render()


def _sin_recursos_externos(url: str, *args: Any, **kwargs: Any) -> dict:
    raise ValueError(f"Recurso externo no permitido en un reporte: {url[:60]}")


# --- 1. Estado de avance consolidado ------------------------------------------------------

COLUMNAS_CONSOLIDADO = [
    Columna("Servicio", 45),
    Columna("Ministerio", 35),
    Columna("Tipo de servicio", 22),
    Columna("Región", 26),
    Columna("Formulación", 14),
    Columna("Informe", 14),
    Columna("Enviado el", 17, "fecha_hora"),
    Columna("Puntualidad", 15),
    Columna("Compromisos", 13, "entero"),
    Columna("Avance promedio", 15, "porcentaje"),
    Columna("Observaciones pendientes", 15, "entero"),
]
COLUMNAS_TOTALES = [
    Columna("Grupo", 45),
    Columna("Servicios", 11, "entero"),
    Columna("Informes enviados", 14, "entero"),
    Columna("% enviado", 11, "porcentaje"),
    Columna("Fuera de plazo", 13, "entero"),
    Columna("% en plazo", 11, "porcentaje"),
    Columna("Aprobados", 11, "entero"),
    Columna("Avance promedio", 15, "porcentaje"),
    Columna("Observaciones pendientes", 15, "entero"),
]


def _fila_total(fila: dict[str, Any]) -> list[Any]:
    return [
        fila["grupo"],
        fila["servicios"],
        fila["enviados"],
        fila["tasa_envio"],
        fila["atrasados"],
        fila["tasa_en_plazo"],
        fila["aprobados"],
        _fraccion(fila["avance_promedio"]),
        fila["observaciones_abiertas"],
    ]


def _fraccion(valor: float | None) -> float | None:
    return None if valor is None else float(valor) / 100


def consolidado_xlsx(reporte: Reporte, destino: IO[bytes], progreso: Progreso) -> str:
    progreso(0.05, "Consultando los informes del periodo")
    contenido = datos.consolidado(
        anio=reporte.anio, periodo=reporte.periodo, filtros=reporte.filtros
    )
    progreso(0.5, "Escribiendo la planilla")
    libro = LibroExcel(membrete(reporte))
    libro.hoja(
        "Servicios",
        COLUMNAS_CONSOLIDADO,
        (
            [
                f["servicio__nombre"],
                f["servicio__ministerio__nombre"],
                f["servicio__tipo__nombre"],
                f["servicio__region__nombre"],
                f["estado_formulacion"],
                f["estado_informe"],
                f["informe_enviado_en"] if f["enviado"] else None,
                f["puntualidad"],
                f["total_compromisos"],
                _fraccion(f["avance_promedio"]),
                f["observaciones_abiertas"],
            ]
            for f in contenido["filas"]
        ),
    )
    universo = contenido["universo"]
    if universo["registrado"]:
        libro.hoja(
            "Universo",
            [
                Columna("Servicio", 45),
                Columna("Ministerio", 35),
                Columna("Tipo", 25),
                Columna("Situación", 24),
                Columna("Sistema que cumple", 25),
                Columna("Motivo", 50),
            ],
            (
                [
                    f["servicio__nombre"],
                    f["servicio__ministerio__nombre"],
                    f["servicio__tipo__nombre"],
                    f["situacion"],
                    f["otro_sistema"],
                    f["motivo"],
                ]
                for f in universo["filas"]
            ),
        )
    for titulo, filas in contenido["totales"]:
        libro.hoja(
            f"Por {titulo.lower()}",
            [Columna(titulo, 45), *COLUMNAS_TOTALES[1:]],
            [_fila_total(f) for f in filas] + [_fila_total(contenido["total_general"])],
        )
    progreso(0.9, "Guardando el archivo")
    libro.guardar(destino)
    return libro.membrete.nombre_archivo("estado_de_avance")


def consolidado_pdf(reporte: Reporte, destino: IO[bytes], progreso: Progreso) -> str:
    progreso(0.05, "Consultando los informes del periodo")
    contenido = datos.consolidado(
        anio=reporte.anio, periodo=reporte.periodo, filtros=reporte.filtros
    )
    general = contenido["total_general"]
    contenido["grafico_envio"] = graficos.barras_horizontales(
        [
            (fila["grupo"], 100 * fila["tasa_envio"])
            for fila in contenido["totales"][1][1]  # by tipo de servicio
        ],
        titulo="Informes enviados por tipo de servicio (%)",
    )
    contenido["grafico_avance"] = graficos.barras_horizontales(
        [(fila["grupo"], fila["avance_promedio"]) for fila in contenido["totales"][0][1]],
        titulo="Avance promedio de los compromisos por ministerio (%)",
    )
    contenido["general"] = general
    contenido["programa"] = programa_del_anio(reporte.anio)
    progreso(0.3, "Componiendo el PDF")
    _escribir_pdf("reportes/pdf/consolidado.html", contenido, destino)
    return membrete(reporte).nombre_archivo("estado_de_avance", "pdf")


# --- 2. Ficha del servicio ----------------------------------------------------------------


def formulacion_del_reporte(reporte: Reporte) -> FormulacionPMG:
    formulacion = (
        FormulacionPMG.objects.filter(servicio_id=reporte.servicio_id, proceso__anio=reporte.anio)
        .select_related("proceso")
        .first()
    )
    if formulacion is None:
        raise datos.ReporteInvalido(
            f"{reporte.servicio} no tiene formulación PMG en {reporte.anio}."
        )
    return formulacion


def ficha(reporte: Reporte, destino: IO[bytes], progreso: Progreso) -> str:
    progreso(0.05, "Consultando la formulación y los informes")
    formulacion = formulacion_del_reporte(reporte)
    _ficha_pdf(formulacion, destino)
    return f"ficha_{_nombre_archivo(reporte)}.pdf"


def _ficha_pdf(
    formulacion: FormulacionPMG, destino: IO[bytes], *, con_formularios: bool = True
) -> None:
    """The ficha, then (`con_formularios`) each filled form as on paper, in one PDF."""
    contenido = datos.ficha(formulacion_id=formulacion.pk)
    contenido["programa"] = formulacion.proceso.programa
    html = render_to_string(
        "reportes/pdf/ficha.html", {**contenido, "generado_en": timezone.localtime()}
    )
    documentos = [_documento(html)]
    if con_formularios:
        documentos += [
            _documento(_formulario_html(informe))
            for informe in datos.informes_con_formulario(formulacion.pk)
        ]
    # Each document keeps its own page style (the form's is the paper form's).
    documentos[0].copy(
        [pagina for documento in documentos for pagina in documento.pages]
    ).write_pdf(destino)


def _titulo_formulario(informe: InformeAvance) -> str:
    return f"{informe.get_periodo_display()} {informe.formulacion.proceso.anio}"


def _formulario_html(informe: InformeAvance) -> str:
    """A filled form as on paper (formularios.pdf), with each question's files."""
    return formulario_html(
        plantilla=informe.llenado.plantilla,
        llenado=informe.llenado,
        servicio=informe.formulacion.servicio.nombre,
        titulo=_titulo_formulario(informe),
        medios=medios_de_preguntas(informe_id=informe.pk),
    )


def _nombre_archivo(reporte: Reporte) -> str:
    nombre = slugify(reporte.servicio.nombre).replace("-", "_")[:60]
    return f"{nombre}_{reporte.anio}"


# --- 3. Planilla estadística anual -------------------------------------------------------

HOJAS_PLANILLA = [
    (
        "Servicios",
        datos.hoja_servicios,
        [
            Columna("Servicio", 45),
            Columna("Sigla", 10),
            Columna("Ministerio", 35),
            Columna("Tipo de servicio", 22),
            Columna("Región", 26),
            Columna("Formulación", 13),
            Columna("Formulación enviada", 17, "fecha_hora"),
            Columna("Compromisos", 12, "entero"),
        ],
        # Then the year's deliverables, three columns each (columnas_de).
        lambda periodos: [
            columna
            for _, nombre in periodos
            for columna in (
                Columna(nombre, 14),
                Columna(f"{nombre}: enviado", 17, "fecha_hora"),
                Columna(f"{nombre}: fuera de plazo", 12),
            )
        ],
    ),
    (
        "Formulación",
        datos.hoja_formulacion,
        [
            Columna("Servicio", 40),
            Columna("Formulación", 13),
            Columna("Línea", 22),
            Columna("Marco", 16),
            Columna("Área", 26),
            Columna("Sistema", 40),
            Columna("Etapa", 8, "entero"),
            Columna("Prioridad", 11),
            Columna("Ponderador (%)", 13, "decimal"),
            Columna("Justificación", 60),
        ],
    ),
    (
        "Compromisos",
        datos.hoja_compromisos,
        [
            Columna("Servicio", 40),
            Columna("Código", 9),
            Columna("Compromiso", 50),
            Columna("Tipo de medida", 18),
            Columna("Complejidad", 18),
            Columna("Ámbito", 22),
            Columna("Meta", 40),
            Columna("Indicador", 30),
        ],
        lambda periodos: [
            *(
                Columna(f"% {datos.nombre_corto(clave, nombre)}", 12, "porcentaje")
                for clave, nombre in periodos
            ),
            Columna("Validación", 18),
        ],
    ),
    (
        "Hitos",
        datos.hoja_hitos,
        [
            Columna("Servicio", 40),
            Columna("Compromiso", 11),
            Columna("Hito", 50),
            Columna("Fecha comprometida", 14, "fecha"),
            Columna("Fecha de cumplimiento", 14, "fecha"),
            Columna("Situación", 20),
        ],
    ),
    (
        "Medios",
        datos.hoja_medios,
        [
            Columna("Servicio", 40),
            Columna("Compromiso o pregunta", 24),
            Columna("Informe", 18),
            Columna("Archivo", 40),
            Columna("Tipo", 12),
            Columna("Tamaño (bytes)", 14, "entero"),
            Columna("SHA-256", 20),
            Columna("Subido el", 17, "fecha_hora"),
            Columna("Situación", 12),
        ],
    ),
    (
        "Observaciones",
        datos.hoja_observaciones,
        [
            Columna("Servicio", 40),
            Columna("Informe", 18),
            Columna("Ronda", 8, "entero"),
            Columna("Compromiso", 11),
            Columna("Medio", 30),
            Columna("Observación", 60),
            Columna("Autor", 28),
            Columna("Fecha", 17, "fecha_hora"),
            Columna("Estado", 12),
            Columna("Respuestas", 11, "entero"),
        ],
    ),
    (
        "Validaciones",
        datos.hoja_validaciones,
        [
            Columna("Servicio", 40),
            Columna("Código", 9),
            Columna("Iniciativa", 50),
            Columna("Veredicto", 20),
            Columna("Fundamento", 60),
            Columna("Medios examinados", 12, "entero"),
            Columna("Estado de la validación", 20),
            Columna("Resultado del servicio", 20),
            Columna("Ratificada el", 17, "fecha_hora"),
            Columna("Registrada en DIPRES", 14, "fecha"),
        ],
    ),
]


def columnas_de(hoja: tuple, periodos: list[tuple[str, str]]) -> list[Columna]:
    """A sheet's columns: fixed ones, then those of the year's deliverables when it has them."""
    _, _, columnas, *por_periodo = hoja
    return [*columnas, *(columna for armar in por_periodo for columna in armar(periodos))]


def planilla(reporte: Reporte, destino: IO[bytes], progreso: Progreso) -> str:
    datos.proceso_del_anio(reporte.anio)
    libro = LibroExcel(membrete(reporte))
    periodos = datos.periodos_del_anio(reporte.anio)
    for indice, hoja in enumerate(HOJAS_PLANILLA):
        titulo, filas = hoja[0], hoja[1]
        progreso(indice / (len(HOJAS_PLANILLA) + 1), f"Escribiendo la hoja «{titulo}»")
        libro.hoja(titulo, columnas_de(hoja, periodos), filas(reporte.anio))
    progreso(len(HOJAS_PLANILLA) / (len(HOJAS_PLANILLA) + 1), "Guardando el archivo")
    libro.guardar(destino)
    return libro.membrete.nombre_archivo("planilla_estadistica")


# --- 4. Validación final para DIPRES ------------------------------------------------------


# The servicio's PMG cumplimiento under the year's rule (validacion/cumplimiento.py).
COLUMNAS_CUMPLIMIENTO = [
    Columna("Servicio", 40),
    Columna("Descentralización", 16),
    Columna("Sin resultado porque", 40),
    Columna("Iniciativas implementadas", 14, "entero"),
    Columna("Iniciativas comprometidas", 14, "entero"),
    Columna("Implementadas ÷ comprometidas", 14, "porcentaje"),
    Columna("Meta", 10, "porcentaje"),
    Columna("Cumplimiento PMG ponderado", 14, "porcentaje"),
    Columna("Incentivo", 10, "porcentaje"),
    Columna("Sistemas sin resultado DIPRES", 30),
]


def validacion_dipres(reporte: Reporte, destino: IO[bytes], progreso: Progreso) -> str:
    datos.proceso_del_anio(reporte.anio)
    progreso(0.1, "Consultando las validaciones")
    libro = LibroExcel(membrete(reporte))
    # Only what SUBDERE ratified goes to DIPRES; the planilla keeps every verdict.
    columnas = HOJAS_PLANILLA[-1][2]
    libro.hoja(
        "Validación final", columnas, datos.hoja_validaciones(reporte.anio, solo_ratificadas=True)
    )
    progreso(0.6, "Calculando el cumplimiento de cada servicio")
    libro.hoja(
        "Cumplimiento por servicio", COLUMNAS_CUMPLIMIENTO, datos.hoja_cumplimiento(reporte.anio)
    )
    progreso(0.9, "Guardando el archivo")
    libro.guardar(destino)
    return libro.membrete.nombre_archivo("validacion_final_dipres")


# --- 5. Resumen ejecutivo ------------------------------------------------------------------


def resumen_ejecutivo(reporte: Reporte, destino: IO[bytes], progreso: Progreso) -> str:
    progreso(0.05, "Calculando las cifras del año")
    contenido = datos.resumen_ejecutivo(anio=reporte.anio)
    contenido["programa"] = programa_del_anio(reporte.anio)
    contenido["grafico_estados"] = graficos.barras_apiladas(
        [(p["nombre"], p["estados"]) for p in contenido["periodos"]],
        series=contenido["estados"],
        titulo="Informes por estado en cada periodo",
    )
    contenido["grafico_tipo"] = graficos.barras_horizontales(
        [(f["grupo"], f["avance_promedio"]) for f in contenido["por_tipo"]],
        titulo="Avance promedio por tipo de servicio (%)",
    )
    contenido["grafico_ministerio"] = graficos.barras_horizontales(
        [(f["grupo"], f["avance_promedio"]) for f in contenido["por_ministerio"]],
        titulo="Avance promedio por ministerio (%)",
    )
    contenido["grafico_validacion"] = graficos.barras_apiladas(
        [("Iniciativas", [total for _, total in contenido["resultados"]])],
        series=[etiqueta for etiqueta, _ in contenido["resultados"]],
        titulo="Resultado de la validación de iniciativas",
    )
    progreso(0.4, "Componiendo el PDF")
    _escribir_pdf("reportes/pdf/resumen_ejecutivo.html", contenido, destino)
    return f"resumen_ejecutivo_{reporte.anio}.pdf"


# --- 6. Expediente del servicio ------------------------------------------------------------


def expediente(reporte: Reporte, destino: IO[bytes], progreso: Progreso) -> str:
    formulacion = formulacion_del_reporte(reporte)
    carpeta = f"expediente_{_nombre_archivo(reporte)}"
    medios = list(datos.medios_del_expediente(formulacion.pk))
    indice: list[list[Any]] = []
    with zipfile.ZipFile(destino, "w", compression=zipfile.ZIP_DEFLATED) as archivo_zip:
        progreso(0.02, "Componiendo la ficha del servicio")
        with archivo_zip.open(f"{carpeta}/01_ficha_del_servicio.pdf", "w") as pdf:
            # The forms go beside it, one file each (04_formulario …).
            _ficha_pdf(formulacion, pdf, con_formularios=False)
        progreso(0.1, "Componiendo el historial de observaciones")
        with archivo_zip.open(f"{carpeta}/02_historial_de_observaciones.pdf", "w") as pdf:
            _escribir_pdf(
                "reportes/pdf/observaciones.html",
                {
                    "formulacion": datos.formulacion_para_ficha(formulacion.pk),
                    "programa": formulacion.proceso.programa,
                },
                pdf,
            )
        for informe in datos.informes_con_formulario(formulacion.pk):
            # Each filled form as on paper (formularios.pdf).
            nombre = _nombre_seguro(_titulo_formulario(informe))
            with archivo_zip.open(f"{carpeta}/04_formulario {nombre}.pdf", "w") as pdf:
                _documento(_formulario_html(informe)).write_pdf(pdf)
        usados: set[str] = set()
        for numero, medio in enumerate(medios, start=1):
            ruta = _ruta_en_expediente(carpeta, medio, usados)
            try:
                with medio.archivo.open("rb") as origen, archivo_zip.open(ruta, "w") as copia:
                    while bloque := origen.read(1024 * 1024):
                        copia.write(bloque)
                situacion = "Reemplazado" if medio.reemplazado_por_id else "Vigente"
            except FileNotFoundError:
                ruta, situacion = "", "FALTA EN EL ALMACENAMIENTO"
            indice.append(
                [
                    ruta.removeprefix(carpeta + "/"),
                    medio.informe.get_periodo_display(),
                    _donde_en_el_informe(medio),
                    medio.nombre_original,
                    medio.get_tipo_display(),
                    medio.tamano,
                    medio.sha256,
                    medio.subido_en,
                    medio.subido_por.get_full_name() or medio.subido_por.username,
                    situacion,
                ]
            )
            if numero % 20 == 0:
                progreso(
                    0.15 + 0.8 * numero / len(medios),
                    f"Copiando medios ({numero} de {len(medios)})",
                )
        progreso(0.95, "Escribiendo la asistencia técnica recibida")
        with archivo_zip.open(f"{carpeta}/03_asistencia_tecnica.xlsx", "w") as xlsx:
            _asistencia_del_servicio(reporte, formulacion.servicio_id).guardar(xlsx)
        progreso(0.96, "Escribiendo el índice")
        libro = LibroExcel(membrete(reporte))
        libro.hoja("Índice", COLUMNAS_INDICE, indice)
        with archivo_zip.open(f"{carpeta}/00_indice.xlsx", "w") as xlsx:
            libro.guardar(xlsx)
    return f"{carpeta}.zip"


def _asistencia_del_servicio(reporte: Reporte, servicio_id: int) -> LibroExcel:
    """The servicio's contacts with its analyst and its consultas of the year, with their
    threads: the technical assistance it received, for its expediente."""
    from asistencia import selectors as asistencia_selectors

    libro = LibroExcel(membrete(reporte))
    libro.hoja(
        "Contactos",
        COLUMNAS_CONTACTOS,
        asistencia_selectors.filas_contactos(reporte.anio, servicio_id),
    )
    libro.hoja(
        "Consultas",
        COLUMNAS_CONSULTAS,
        asistencia_selectors.filas_consultas(reporte.anio, servicio_id),
    )
    libro.hoja(
        "Mensajes de las consultas",
        [
            Columna("Consulta", 40),
            Columna("Escrito el", 17, "fecha_hora"),
            Columna("De", 10),
            Columna("Autor", 24),
            Columna("Mensaje", 80),
        ],
        asistencia_selectors.filas_mensajes(reporte.anio, servicio_id),
    )
    return libro


COLUMNAS_INDICE = [
    Columna("Archivo en el expediente", 70),
    Columna("Informe", 18),
    Columna("Compromiso o pregunta", 24),
    Columna("Nombre original", 40),
    Columna("Tipo de medio", 14),
    Columna("Tamaño (bytes)", 14, "entero"),
    Columna("SHA-256", 20),
    Columna("Subido el", 17, "fecha_hora"),
    Columna("Subido por", 25),
    Columna("Situación", 24),
]


def _orden_del_periodo(informe: Any) -> int:
    """The folder's number: 1–4 for the standard cycle, else the kind's place in the year."""
    estandar = list(InformeAvance.Periodo.values)
    if informe.periodo in estandar:
        return estandar.index(informe.periodo) + 1
    return informe.tipo.orden


def _donde_en_el_informe(medio: Any) -> str:
    """What a file supports: its compromiso's code, or its form question as numbered."""
    if medio.avance_id is not None:
        return medio.avance.compromiso.codigo
    return f"Pregunta {rotulo(medio.pregunta)}"


def _ruta_en_expediente(carpeta: str, medio: Any, usados: set[str]) -> str:
    """medios/<informe>/<código compromiso> <nombre> (or Pregunta <número> <título>)/
    [versiones_reemplazadas/]<archivo>."""
    informe = medio.informe
    if medio.avance_id is not None:
        carpeta_medio = f"{medio.avance.compromiso.codigo} {medio.avance.compromiso.nombre}"
    else:
        carpeta_medio = _donde_en_el_informe(medio)
    partes = [
        carpeta,
        "medios",
        f"{_orden_del_periodo(informe)}. " + _nombre_seguro(informe.get_periodo_display()),
        _nombre_seguro(carpeta_medio, 60),
    ]
    if medio.reemplazado_por_id:
        partes.append("versiones_reemplazadas")
    nombre = _nombre_seguro(medio.nombre_original, 100)
    ruta = "/".join([*partes, nombre])
    base, punto, extension = nombre.rpartition(".")
    copia = 2
    while ruta in usados:
        alterno = f"{base} ({copia}).{extension}" if punto else f"{nombre} ({copia})"
        ruta = "/".join([*partes, alterno])
        copia += 1
    usados.add(ruta)
    return ruta


# --- 7. Metas de la División (metas app) -----------------------------------------------

COLUMNAS_METAS = [
    Columna("Departamento", 34),
    Columna("Unidad", 34),
    Columna("Meta", 34),
    Columna("Indicador", 40),
    Columna("Período", 9),
    Columna("Numerador", 11, "decimal"),
    Columna("Denominador", 12, "decimal"),
    Columna("Valor", 10, "decimal"),
    Columna("Resultado", 11, "decimal"),
    Columna("Unidad de medida", 12),
    Columna("Meta del año", 11, "decimal"),
    Columna("Estado", 18),
    Columna("Reportada por", 22),
    Columna("Reportada el", 17, "fecha_hora"),
    Columna("Evidencias", 10, "entero"),
    Columna("Comentario", 50),
]


def metas_xlsx(reporte: Reporte, destino: IO[bytes], progreso: Progreso) -> str:
    progreso(0.1, "Consultando las mediciones")
    libro = LibroExcel(membrete(reporte))
    filas = metas_selectors.mediciones_del_anio(reporte.anio, reporte.filtros.get("departamento"))
    libro.hoja("Mediciones", COLUMNAS_METAS, filas)
    progreso(0.9, "Guardando el archivo")
    libro.guardar(destino)
    return libro.membrete.nombre_archivo("mediciones_metas_division")


def metas_pdf(reporte: Reporte, destino: IO[bytes], progreso: Progreso) -> str:
    progreso(0.1, "Consultando los indicadores")
    departamento = None
    if reporte.filtros.get("departamento"):
        departamento = Departamento.objects.filter(pk=reporte.filtros["departamento"]).first()
    grupos = metas_selectors.panorama(None, anio=reporte.anio, departamento=departamento)
    progreso(0.4, "Componiendo el PDF")
    _escribir_pdf(
        "reportes/pdf/metas.html",
        {"anio": reporte.anio, "grupos": grupos, "departamento": departamento},
        destino,
    )
    return membrete(reporte).nombre_archivo("metas_division", "pdf")


# --- 8. Puntajes de calidad de los gobiernos regionales (calidad app) ---------------------


def calidad_xlsx(reporte: Reporte, destino: IO[bytes], progreso: Progreso) -> str:
    from calidad import selectors as calidad_selectors

    libro = LibroExcel(membrete(reporte))
    progreso(0.1, "Sumando los puntajes por criterio")
    criterios, filas = calidad_selectors.filas_por_criterio(reporte.anio)
    columnas = [
        Columna("Región", 22),
        Columna("Gobierno regional", 40),
        Columna("Estado", 22),
        *(
            Columna(
                f"C{c.numero} {c.nombre} (máx. {c.puntaje_maximo}"
                + (", supuesto)" if c.es_supuesto else ")"),
                16,
                "decimal",
            )
            for c in criterios
        ),
        Columna("Puntaje validado", 12, "decimal"),
        Columna("Nivel", 22),
        Columna("Plan de Mejoras", 16),
        Columna("Resolución de acreditación", 30),
    ]
    libro.hoja("Por criterio", columnas, filas)
    progreso(0.5, "Escribiendo la calificación de cada elemento")
    libro.hoja(
        "Por elemento",
        [
            Columna("Gobierno regional", 40),
            Columna("Elemento", 9),
            Columna("Nombre", 45),
            Columna("Máximo", 10, "decimal"),
            Columna("Nivel propuesto", 10, "entero"),
            Columna("Puntaje propuesto", 10, "decimal"),
            Columna("Nivel evaluado", 10, "entero"),
            Columna("Puntaje evaluado", 10, "decimal"),
            Columna("Observación del evaluador", 50),
        ],
        calidad_selectors.filas_por_elemento(reporte.anio),
    )
    progreso(0.9, "Guardando el archivo")
    libro.guardar(destino)
    return libro.membrete.nombre_archivo("puntajes_calidad_gore")


def calidad_pdf(reporte: Reporte, destino: IO[bytes], progreso: Progreso) -> str:
    from calidad import selectors as calidad_selectors
    from calidad.models import NivelAcreditacion

    progreso(0.1, "Leyendo la autoevaluación, su plan y su acreditación")
    contenido = calidad_selectors.informe_de_resultados(
        servicio_id=reporte.servicio_id, anio=reporte.anio
    )
    if contenido is None:
        raise datos.ReporteInvalido(
            f"{reporte.servicio} no tiene autoevaluación de calidad en {reporte.anio}."
        )
    contenido["niveles"] = dict(NivelAcreditacion.choices)
    progreso(0.4, "Componiendo el PDF")
    _escribir_pdf("reportes/pdf/calidad.html", contenido, destino)
    return f"informe_calidad_{_nombre_archivo(reporte)}.pdf"


# --- 9. Asistencia técnica del año (asistencia app) ---------------------------------------

COLUMNAS_CONSULTAS = [
    Columna("Servicio", 40),
    Columna("Asunto", 40),
    Columna("Sobre", 18),
    Columna("Preguntada el", 17, "fecha_hora"),
    Columna("Plazo (días hábiles)", 10, "entero"),
    Columna("Responder a más tardar", 13, "fecha"),
    Columna("Estado", 20),
    Columna("Respondida el", 17, "fecha_hora"),
    Columna("Días hábiles para responder", 12, "entero"),
    Columna("Respondida en plazo", 11),
    Columna("Publicada como pregunta frecuente", 13),
]
COLUMNAS_CONTACTOS = [
    Columna("Fecha", 12, "fecha"),
    Columna("Servicio", 40),
    Columna("Canal", 22),
    Columna("Tema", 40),
    Columna("Analista", 24),
    Columna("Acuerdos", 50),
]


def asistencia_xlsx(reporte: Reporte, destino: IO[bytes], progreso: Progreso) -> str:
    from asistencia import selectors as asistencia_selectors

    anio = reporte.anio
    libro = LibroExcel(membrete(reporte))
    progreso(0.1, "Escribiendo las actividades del plan")
    libro.hoja(
        "Actividades",
        [
            Columna("Inicio", 17, "fecha_hora"),
            Columna("Tipo", 28),
            Columna("Tema", 40),
            Columna("Estado", 13),
            Columna("Lugar o enlace", 30),
            Columna("Analista a cargo", 24),
            Columna("Convocados según", 30),
            Columna("Servicios convocados", 12, "entero"),
            Columna("Personas inscritas", 12, "entero"),
            Columna("Personas que asistieron", 12, "entero"),
            Columna("Servicios con asistentes", 12, "entero"),
            Columna("Asistencia (servicios, si se realizó)", 14, "porcentaje"),
            Columna("Acuerdos", 10, "entero"),
        ],
        asistencia_selectors.filas_actividades(anio),
    )
    progreso(0.3, "Escribiendo las consultas")
    libro.hoja("Consultas", COLUMNAS_CONSULTAS, asistencia_selectors.filas_consultas(anio))
    progreso(0.5, "Escribiendo los contactos y acuerdos")
    libro.hoja("Contactos", COLUMNAS_CONTACTOS, asistencia_selectors.filas_contactos(anio))
    libro.hoja(
        "Acuerdos",
        [
            Columna("Actividad", 40),
            Columna("Servicio", 36),
            Columna("Acuerdo", 50),
            Columna("Responsable", 24),
            Columna("Plazo", 12, "fecha"),
            Columna("Estado", 20),
            Columna("Cerrado el", 17, "fecha_hora"),
            Columna("Cómo se cumplió", 50),
        ],
        asistencia_selectors.filas_acuerdos(anio),
    )
    progreso(0.7, "Poniendo la asistencia recibida junto a los resultados")
    libro.hoja(
        "Asistencia y resultados",
        [
            Columna("Servicio", 40),
            Columna("Tipo de servicio", 22),
            Columna("Contactos", 10, "entero"),
            Columna("Último contacto", 12, "fecha"),
            Columna("Actividades asistidas", 11, "entero"),
            Columna("Consultas", 10, "entero"),
            Columna("Informes enviados", 10, "entero"),
            Columna("Enviados fuera de plazo", 10, "entero"),
            Columna("Informes aprobados", 10, "entero"),
            Columna("Envíos (rondas de revisión)", 11, "entero"),
        ],
        asistencia_selectors.filas_asistencia_y_resultados(anio),
    )
    progreso(0.9, "Guardando el archivo")
    libro.guardar(destino)
    return libro.membrete.nombre_archivo("asistencia_tecnica")


GENERADORES: dict[str, Callable[[Reporte, IO[bytes], Progreso], str]] = {
    TipoReporte.CONSOLIDADO_XLSX: consolidado_xlsx,
    TipoReporte.CONSOLIDADO_PDF: consolidado_pdf,
    TipoReporte.FICHA: ficha,
    TipoReporte.PLANILLA: planilla,
    TipoReporte.VALIDACION_DIPRES: validacion_dipres,
    TipoReporte.RESUMEN_EJECUTIVO: resumen_ejecutivo,
    TipoReporte.EXPEDIENTE: expediente,
    TipoReporte.METAS_XLSX: metas_xlsx,
    TipoReporte.METAS_PDF: metas_pdf,
    TipoReporte.CALIDAD_XLSX: calidad_xlsx,
    TipoReporte.CALIDAD_PDF: calidad_pdf,
    TipoReporte.ASISTENCIA_XLSX: asistencia_xlsx,
}
