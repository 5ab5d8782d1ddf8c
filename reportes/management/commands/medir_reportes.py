"""Benchmark of the reports on a full-scale year, each beside its floor.

    DATABASE_URL=… python manage.py medir_reportes [--anio 2026]

Prints, per report: seconds, SQL queries (without the progress writes), size; and the floors:
plain openpyxl write-only with the planilla's rows already in memory, and WeasyPrint on a bare
table with the rows of the consolidated report. Build the year first with
`manage.py demo --servicios 150 --anios 10`.
"""

import io
import time
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


class Command(BaseCommand):
    help = "Mide el tiempo y las consultas de cada reporte frente a su piso (openpyxl, WeasyPrint)."

    def add_arguments(self, parser):
        parser.add_argument("--anio", type=int, help="Año a medir (el último por omisión).")

    def handle(self, *args: Any, anio: int | None = None, **opciones: Any) -> None:
        proceso = (
            Proceso.objects.filter(anio=anio).first()
            if anio
            else Proceso.objects.order_by("-anio").first()
        )
        if proceso is None:
            raise CommandError("No hay proceso: cree datos con `manage.py demo --servicios 150`.")
        anio = proceso.anio
        formulaciones = FormulacionPMG.objects.filter(proceso=proceso)
        medios = MedioVerificacion.objects.filter(avance__informe__formulacion__proceso=proceso)
        self.stdout.write(
            f"Año {anio}: {formulaciones.count()} servicios, "
            f"{formulaciones.aggregate(n=Count('compromisos'))['n']} compromisos, "
            f"{medios.count()} medios."
        )
        mayor = (
            formulaciones.annotate(n=Count("informes__avances__medios"))
            .order_by("-n")
            .values_list("servicio_id", "n")
            .first()
        )
        ministerio = formulaciones.values_list("servicio__ministerio_id", flat=True).first()
        casos = [
            ("consolidado_xlsx", {"periodo": "avance_1"}),
            (
                "consolidado_xlsx (un ministerio)",
                {"periodo": "avance_1", "filtros": {"ministerio": ministerio}},
            ),
            ("consolidado_pdf", {"periodo": "avance_1"}),
            ("planilla", {}),
            ("validacion_dipres", {}),
            ("resumen_ejecutivo", {}),
            ("ficha", {"servicio_id": mayor[0]}),
            ("expediente", {"servicio_id": mayor[0]}),
        ]
        resultados = {}
        self.stdout.write(f"\n{'Reporte':34} {'segundos':>9} {'consultas':>9} {'tamaño':>10}")
        for nombre, parametros in casos:
            tipo = nombre.split(" ")[0]
            reporte = Reporte.objects.create(tipo=tipo, anio=anio, **parametros)
            inicio = time.perf_counter()
            with CaptureQueriesContext(connection) as consultas:
                reporte_generar(reporte.pk)
            segundos = time.perf_counter() - inicio
            reporte.refresh_from_db()
            if reporte.estado != Reporte.Estado.LISTO:
                raise CommandError(f"{nombre}: {reporte.error}")
            sql = sum(
                1
                for q in consultas.captured_queries
                if not (q["sql"].startswith('UPDATE "reportes_reporte"') and "progreso" in q["sql"])
            )
            resultados[nombre] = segundos
            self.stdout.write(
                f"{nombre:34} {segundos:9.2f} {sql:9d} {reporte.tamano / 1024:8.0f} KiB"
            )

        piso_planilla, filas_planilla = self._piso_planilla(anio)
        piso_pdf = self._piso_pdf(anio)
        self.stdout.write("\nPisos (mismas filas, sin consultas ni formato):")
        self.stdout.write(
            f"  openpyxl write-only, {filas_planilla} filas en 6 hojas: {piso_planilla:.2f} s"
        )
        self.stdout.write(f"  WeasyPrint, tabla desnuda del consolidado: {piso_pdf:.2f} s")
        self.stdout.write("\nRazones:")
        self.stdout.write(
            f"  planilla / piso openpyxl:      {resultados['planilla'] / piso_planilla:.2f}×"
            "  (meta ≤ 1,5×)"
        )
        self.stdout.write(
            f"  consolidado PDF / piso WeasyPrint: {resultados['consolidado_pdf'] / piso_pdf:.2f}×"
        )
        if mayor:
            self.stdout.write(f"\nFicha y expediente: el servicio con más medios ({mayor[1]}).")

    def _piso_planilla(self, anio: int) -> tuple[float, int]:
        hojas = [
            (titulo, [c.titulo for c in columnas], list(filas(anio)))
            for titulo, filas, columnas in generadores.HOJAS_PLANILLA
        ]
        inicio = time.perf_counter()
        libro = Workbook(write_only=True)
        for titulo, encabezado, filas in hojas:
            hoja = libro.create_sheet(title=titulo)
            hoja.append(encabezado)
            for fila in filas:
                hoja.append(fila)
        libro.save(io.BytesIO())
        return time.perf_counter() - inicio, sum(len(f) for _, _, f in hojas)

    def _piso_pdf(self, anio: int) -> float:
        from weasyprint import HTML

        contenido = datos.consolidado(anio=anio, periodo="avance_1", filtros={})
        filas = [list(fila.values())[:10] for fila in contenido["filas"]]
        html = TABLA_DESNUDA.render(Context({"filas": filas}))
        inicio = time.perf_counter()
        HTML(string=html).write_pdf(io.BytesIO())
        return time.perf_counter() - inicio
