"""Benchmark of the reports on a full-scale year, each beside its floor.

    DATABASE_URL=… python manage.py medir_reportes [--anio 2025] [--repeticiones 3]

Prints, per report, the median seconds of the runs, the SQL queries (without the progress
writes) and the size; then the floors, timed the same way: plain openpyxl write-only with the
planilla's rows already in memory, and WeasyPrint on a bare table with the rows of the
consolidated report. Build the year first with `manage.py demo --servicios 150 --anios 10`.
"""

import datetime
import io
import statistics
import time
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Count
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from compromisos.models import FormulacionPMG, MedioVerificacion, Proceso
from reportes import datos, generadores
from reportes.models import Reporte
from reportes.services import reporte_generar

TABLA_DESNUDA = Template(
    "<html><body><table>{% for fila in filas %}<tr>{% for c in fila %}<td>{{ c }}</td>"
    "{% endfor %}</tr>{% endfor %}</table></body></html>"
)


def _mediana(funcion: Callable[[], Any], veces: int) -> float:
    tiempos = []
    for _ in range(veces):
        inicio = time.perf_counter()
        funcion()
        tiempos.append(time.perf_counter() - inicio)
    return statistics.median(tiempos)


def _simple(valor: Any) -> Any:
    """A value plain openpyxl accepts (it refuses time zones): prepared before timing."""
    if isinstance(valor, datetime.datetime) and valor.tzinfo is not None:
        return valor.replace(tzinfo=None)
    return valor


class Command(BaseCommand):
    help = "Mide el tiempo y las consultas de cada reporte frente a su piso (openpyxl, WeasyPrint)."

    def add_arguments(self, parser):
        parser.add_argument("--anio", type=int, help="Año a medir (el último por omisión).")
        parser.add_argument("--repeticiones", type=int, default=3)

    def handle(self, *args: Any, anio: int | None, repeticiones: int, **opciones: Any) -> None:
        proceso = (
            Proceso.objects.filter(anio=anio).first()
            if anio
            else Proceso.objects.order_by("-anio").first()
        )
        if proceso is None:
            raise CommandError("No hay proceso: cree datos con `manage.py demo --servicios 150`.")
        anio = proceso.anio
        formulaciones = FormulacionPMG.objects.filter(proceso=proceso)
        if not formulaciones.exists():
            raise CommandError(f"El año {anio} no tiene formulaciones: elija otro con --anio.")
        medios = MedioVerificacion.objects.filter(avance__informe__formulacion__proceso=proceso)
        self.stdout.write(
            f"Año {anio}: {formulaciones.count()} servicios, "
            f"{formulaciones.aggregate(n=Count('compromisos'))['n']} compromisos, "
            f"{medios.count()} medios. Mediana de {repeticiones} ejecuciones."
        )
        servicio_mayor, medios_mayor = (
            formulaciones.annotate(n=Count("informes__avances__medios"))
            .order_by("-n")
            .values_list("servicio_id", "n")
            .first()
        )
        ministerio = formulaciones.values_list("servicio__ministerio_id", flat=True).first()
        un_ministerio = {"ministerio": ministerio, "descripcion": "un ministerio"}
        casos = [
            ("consolidado_xlsx", {"periodo": "avance_1"}),
            ("consolidado_xlsx un ministerio", {"periodo": "avance_1", "filtros": un_ministerio}),
            ("consolidado_pdf", {"periodo": "avance_1"}),
            ("planilla", {}),
            ("validacion_dipres", {}),
            ("resumen_ejecutivo", {}),
            ("ficha", {"servicio_id": servicio_mayor}),
            ("expediente", {"servicio_id": servicio_mayor}),
        ]
        tiempos = {}
        self.stdout.write(f"\n{'Reporte':34} {'segundos':>9} {'consultas':>9} {'tamaño':>10}")
        for nombre, parametros in casos:
            tipo = nombre.split(" ")[0]
            medidas = []
            for _ in range(repeticiones):
                reporte = Reporte.objects.create(tipo=tipo, anio=anio, **parametros)
                inicio = time.perf_counter()
                with CaptureQueriesContext(connection) as consultas:
                    reporte_generar(reporte.pk)
                medidas.append(time.perf_counter() - inicio)
                reporte.refresh_from_db()
                if reporte.estado != Reporte.Estado.LISTO:
                    raise CommandError(f"{nombre}: {reporte.error}")
            sql = sum(
                1
                for q in consultas.captured_queries
                if not (q["sql"].startswith('UPDATE "reportes_reporte"') and "progreso" in q["sql"])
            )
            tiempos[nombre] = statistics.median(medidas)
            self.stdout.write(
                f"{nombre:34} {tiempos[nombre]:9.2f} {sql:9d} {reporte.tamano / 1024:8.0f} KiB"
            )

        periodos = datos.periodos_del_anio(anio)
        hojas = [
            (
                hoja[0],
                [c.titulo for c in generadores.columnas_de(hoja, periodos)],
                [list(map(_simple, f)) for f in hoja[1](anio)],
            )
            for hoja in generadores.HOJAS_PLANILLA
        ]
        piso_planilla = _mediana(lambda: self._planilla_desnuda(hojas), repeticiones)
        html = self._tabla_desnuda(anio)
        piso_pdf = _mediana(lambda: self._pdf_desnudo(html), repeticiones)
        filas_planilla = sum(len(filas) for _, _, filas in hojas)
        self.stdout.write("\nPisos (mismas filas ya en memoria, sin consultas ni formato):")
        self.stdout.write(
            f"  openpyxl write-only, {filas_planilla} filas en 6 hojas: {piso_planilla:.2f} s"
        )
        self.stdout.write(f"  WeasyPrint, tabla desnuda del consolidado: {piso_pdf:.2f} s")
        self.stdout.write("\nRazones:")
        self.stdout.write(
            f"  planilla / piso openpyxl:          {tiempos['planilla'] / piso_planilla:.2f}×"
            "  (meta ≤ 1,5×)"
        )
        self.stdout.write(
            f"  consolidado PDF / piso WeasyPrint: {tiempos['consolidado_pdf'] / piso_pdf:.2f}×"
        )
        self.stdout.write(
            f"\nFicha y expediente: el servicio con más medios de verificación ({medios_mayor})."
        )

    @staticmethod
    def _planilla_desnuda(hojas: list) -> None:
        libro = Workbook(write_only=True)
        for titulo, encabezado, filas in hojas:
            hoja = libro.create_sheet(title=titulo)
            hoja.append(encabezado)
            for fila in filas:
                hoja.append(fila)
        libro.save(io.BytesIO())

    @staticmethod
    def _tabla_desnuda(anio: int) -> str:
        contenido = datos.consolidado(anio=anio, periodo="avance_1", filtros={})
        filas = [list(fila.values())[:10] for fila in contenido["filas"]]
        return TABLA_DESNUDA.render(Context({"filas": filas}))

    @staticmethod
    def _pdf_desnudo(html: str) -> None:
        from weasyprint import HTML

        HTML(string=html).write_pdf(io.BytesIO())
