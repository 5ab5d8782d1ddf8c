"""Server time of the pages people work in all day against a one-query page, side by side.

    DATABASE_URL=postgres://…/srm_bench .venv/bin/python scripts/benchmark_paginas.py \
        [--veces 30] [--corridas 5]

Run it on a database with the demo at scale (manage.py demo --servicios 150 --anios 10). Every
page is requested in-process with Django's test client, through the whole middleware stack
(session, authentication, CSP…), signed in as the role that works in it: the analista's queue
and review page, the servicio's informe and formulación pages and its informe being written,
the consultora's validation page, the reports page (jefatura), and the homes. The floor is the
same stack rendering base.html after one query of its own, for each of those users.

These pages keep no cache: every view is computed and drawn from the database. Before each
request the script makes a real write of the kind the working day makes (an Evento, which moves
the tablero's versions and is what every transition logs), so that nothing is served warmer than
the morning after a write. Pages are measured in turns, so a noisy machine slows all of them
alike; each run prints the median, the 90th percentile, the queries and the ratio of the median
to the floor's; with --corridas N the runs repeat and a last table gives, per page, the median
and the range of the ratios.

With --desglose each page's median time is split into what PostgreSQL and the driver take (its
statements as the view runs them), the template (the page's render, less any query run inside
it) and the rest (the view's Python: building and compiling the ORM's queries, making model
objects, forms, the rules; and the middleware, as on the floor). The page's statements are then
replayed as they were sent, through a bare cursor, with no ORM: the data alone. A lower bound of
what the page could cost while drawing the same HTML with the same templates follows: the
floor, plus this page's bare statements and its template (each beyond the floor's own), as if
the view's Python cost nothing beyond the floor's.
"""

import argparse
import contextlib
import os
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "srm.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.http import HttpRequest, HttpResponse  # noqa: E402
from django.shortcuts import render  # noqa: E402
from django.template.backends.django import Template as PlantillaDjango  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.urls import include, path  # noqa: E402

from bitacora.services import evento_registrar  # noqa: E402
from compromisos.models import (  # noqa: E402
    Compromiso,
    EstadoRevision,
    FormulacionPMG,
    InformeAvance,
    Proceso,
)
from servicios.models import Servicio  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import carga  # noqa: E402


def pagina_trivial(request: HttpRequest) -> HttpResponse:
    """One query, the site's layout: the floor every page of the SRM stands on."""
    return render(request, "tablero/sin_proceso.html", {"procesos": Proceso.objects.count()})


urlpatterns = [
    path("_trivial/", pagina_trivial),
    path("", include("srm.urls")),
]

PISO = "página trivial (1 consulta)"


def medir(cliente: Client, url: str) -> tuple[float, float, int, int]:
    """Wall time and this process's CPU time (ms), queries and size of one request. The CPU
    time leaves out PostgreSQL's work and the wait for a core on a loaded machine."""
    with CaptureQueriesContext(connection) as consultas:
        inicio, inicio_cpu = time.perf_counter(), time.process_time()
        respuesta = cliente.get(url, HTTP_HOST="127.0.0.1")
        duracion, cpu = time.perf_counter() - inicio, time.process_time() - inicio_cpu
    assert respuesta.status_code == 200, (url, respuesta.status_code)
    return duracion * 1000, cpu * 1000, len(consultas), len(respuesta.content)


def paginas_a_medir() -> list[tuple[str, str, str]]:
    """(name, url, username) of each page, on the demo's data: the busiest documents."""
    anio = Proceso.objects.order_by("-anio").values_list("anio", flat=True).first()
    osorno = Servicio.objects.get(nombre__startswith="Gobernación Provincial de Osorno")
    informe_osorno = (
        InformeAvance.objects.filter(formulacion__servicio=osorno)
        .order_by("-formulacion__proceso__anio", "-periodo")
        .first()
    )
    editable = (
        InformeAvance.objects.filter(
            formulacion__servicio=osorno,
            estado__in=[EstadoRevision.BORRADOR, EstadoRevision.OBSERVADO],
        )
        .order_by("-formulacion__proceso__anio")
        .first()
    )
    # The review page of the informe with the most files, among the ones in review.
    en_revision = (
        InformeAvance.objects.exclude(estado=EstadoRevision.BORRADOR)
        .filter(formulacion__proceso__anio=anio)
        .annotate(n_medios=Count("avances__medios"))
        .order_by("-n_medios", "pk")
        .first()
    )
    # The consultora's page of the closed year with the most iniciativas.
    validada = (
        FormulacionPMG.objects.filter(validacion__isnull=False)
        .annotate(n=Count("compromisos"))
        .order_by("-proceso__anio", "-n")
        .first()
    )
    paginas = [
        ("bandeja (por omisión)", "/revision/", "analista"),
        ("bandeja, todos los estados", "/revision/?estado=&cartera=todas", "analista"),
        # The queue pages by key (srm/paginacion.py): its last page is named, not numbered.
        ("bandeja, última página", "/revision/?estado=&cartera=todas&pagina=ultima", "analista"),
        ("revisión de un informe", f"/revision/informes/{en_revision.pk}/", "analista"),
        ("reportes", "/reportes/", "jefatura"),
        ("servicio: informe", f"/compromisos/informes/{informe_osorno.pk}/", "servicio"),
        (
            "servicio: formulación",
            f"/compromisos/formulaciones/{informe_osorno.formulacion_id}/",
            "servicio",
        ),
    ]
    if validada is not None:
        paginas.append(
            (
                "validación de la consultora",
                f"/revision/validacion-final/{validada.pk}/",
                "consultora",
            )
        )
    if editable is not None:
        paginas.append(
            (
                "servicio: completar informe",
                f"/compromisos/informes/{editable.pk}/editar/",
                "servicio",
            )
        )
    paginas += [
        ("inicio del servicio", "/", "servicio"),
        ("inicio del analista", "/", "analista"),
        ("inicio de jefatura", "/", "jefatura"),
    ]
    return paginas


def escribir(usuario) -> None:
    """A write of the working day: an Evento (what every transition logs)."""
    evento_registrar(
        usuario=usuario,
        accion="seguridad.fuera_de_alcance",
        objeto=None,
        servicio_id=None,
        descripcion="benchmark_paginas",
        detalle={"ruta": "/", "motivo": "medición"},
    )


def corrida(clientes, paginas, veces: int, usuario_escritor):
    tiempos: dict[str, list[float]] = {PISO: []} | {nombre: [] for nombre, _u, _p in paginas}
    cpu: dict[str, list[float]] = {nombre: [] for nombre in tiempos}
    consultas: dict[str, int] = {}
    tamanos: dict[str, int] = {}
    for _ in range(veces):
        for nombre, url, persona in [(PISO, "/_trivial/", "analista"), *paginas]:
            escribir(usuario_escritor)
            ms, ms_cpu, cantidad, tamano = medir(clientes[persona], url)
            tiempos[nombre].append(ms)
            cpu[nombre].append(ms_cpu)
            consultas[nombre], tamanos[nombre] = cantidad, tamano
    return tiempos, consultas, tamanos, cpu


@dataclass
class Desglose:
    """Where one page's time goes: ms per view, averaged over the rounds (so that the parts
    add up to the whole)."""

    total: float  # the whole view, as the test client sees it
    sql: float  # PostgreSQL and the driver: the statements as the view sent them
    crudo: float  # the same statements replayed through a bare cursor: the data, no ORM
    plantilla: float  # the page's render, less the queries run inside it
    consultas_en_plantilla: float

    @property
    def resto(self) -> float:
        """The view's Python and the middleware: the ORM, forms, rules."""
        return self.total - self.sql - self.plantilla


class _Cronometros:
    """Time spent in SQL (the connection's execute wrapper) and in rendering (the template
    backend's render, outermost call only), accumulated while it is installed."""

    def __init__(self):
        self.sql = self.plantilla = self.sql_en_plantilla = 0.0
        self.consultas_en_plantilla = 0
        self._dibujando = False

    def ejecutar(self, execute, sql, params, many, context):
        inicio = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            transcurrido = time.perf_counter() - inicio
            self.sql += transcurrido
            if self._dibujando:
                self.sql_en_plantilla += transcurrido
                self.consultas_en_plantilla += 1

    @contextlib.contextmanager
    def instalado(self):
        original = PlantillaDjango.render
        cronometros = self

        def render(plantilla, context=None, request=None):
            if cronometros._dibujando:  # an include or a fragment of the page being drawn
                return original(plantilla, context, request)
            cronometros._dibujando, inicio = True, time.perf_counter()
            try:
                return original(plantilla, context, request)
            finally:
                cronometros.plantilla += time.perf_counter() - inicio
                cronometros._dibujando = False

        PlantillaDjango.render = render  # measurement only: put back on leaving
        try:
            with connection.execute_wrapper(self.ejecutar):
                yield self
        finally:
            PlantillaDjango.render = original


def corrida_desglose(clientes, paginas, veces: int, usuario_escritor) -> dict[str, Desglose]:
    """Each page's time, split (see the module's docstring): `veces` rounds, each page in turn
    after a write, then its statements replayed once through a bare cursor (in turns too, so
    that a noisy machine slows every page and every part alike)."""
    sentencias = {}
    for nombre, url, persona in paginas:
        with CaptureQueriesContext(connection) as capturadas:
            medir(clientes[persona], url)
        # The statements as sent (Django logs them with their parameters interpolated).
        sentencias[nombre] = [c["sql"] for c in capturadas.captured_queries]
    totales: dict[str, list[float]] = {nombre: [] for nombre, _u, _p in paginas}
    crudos = dict.fromkeys(totales, 0.0)
    cronometros = {nombre: _Cronometros() for nombre in totales}
    for _ in range(veces):
        for nombre, url, persona in paginas:
            escribir(usuario_escritor)  # outside the stopwatches: not the page's work
            with cronometros[nombre].instalado():
                inicio = time.perf_counter()
                clientes[persona].get(url, HTTP_HOST="127.0.0.1")
                totales[nombre].append((time.perf_counter() - inicio) * 1000)
            with connection.cursor() as cursor:
                inicio = time.perf_counter()
                for sentencia in sentencias[nombre]:
                    cursor.execute(sentencia)
                    if cursor.description is not None:
                        cursor.fetchall()
                crudos[nombre] += time.perf_counter() - inicio
    return {
        nombre: Desglose(
            total=statistics.fmean(totales[nombre]),
            sql=c.sql * 1000 / veces,
            crudo=crudos[nombre] * 1000 / veces,
            plantilla=(c.plantilla - c.sql_en_plantilla) * 1000 / veces,
            consultas_en_plantilla=c.consultas_en_plantilla / veces,
        )
        for nombre, c in cronometros.items()
    }


META = 3  # the goal: each page within 3× the one-query page


def tabla_desglose(desgloses: dict[str, Desglose]) -> dict[str, tuple[float, float]]:
    """Print the split of a run; per page, its ratio to the floor and its lower bound's, and
    what the view's own Python (beyond the floor's) takes against what the goal leaves it."""
    piso = desgloses[PISO]
    print(
        f"{'página':32} {'total':>6} {'SQL':>5} {'crudo':>5} {'plantilla':>9} {'resto':>6} "
        f"{'mínimo':>6} {'× piso':>6} {'mín. × piso':>11} {'vista':>6} {'meta deja':>9}"
    )
    razones = {}
    for nombre, d in desgloses.items():
        minimo = piso.total + (d.crudo - piso.crudo) + (d.plantilla - piso.plantilla)
        razones[nombre] = (d.total / piso.total, minimo / piso.total)
        print(
            f"{nombre:32} {d.total:6.1f} {d.sql:5.1f} {d.crudo:5.1f} {d.plantilla:9.1f} "
            f"{d.resto:6.1f} {minimo:6.1f} {razones[nombre][0]:6.2f} {razones[nombre][1]:11.2f} "
            f"{d.resto - piso.resto:6.1f} {META * piso.total - minimo:9.1f}"
        )
    print(
        "ms por vista (promedios). SQL: las sentencias como las envió la vista; crudo: las "
        "mismas por un cursor, sin ORM; resto: la vista y el middleware en Python. mínimo: el "
        "piso más el SQL crudo y la plantilla de la página (lo que exceden a los del piso). "
        f"vista: su Python más allá del del piso; meta deja: lo que le dejaría {META}× el piso."
    )
    return razones


PISO_HTTP = "/revision/avisos/"  # one query of its own: the analista's notice preferences


def corrida_http(puerto: int, paginas, veces: int, conexiones: int, usuario_escritor):
    """The same rounds over HTTP against gunicorn: each page requested by `conexiones`
    sessions at once (one keep-alive connection each), five times each per round."""
    personas = {persona for _n, _u, persona in paginas} | {"analista"}
    sesiones: dict[str, list[carga.Sesion]] = {}
    for persona in personas:
        sesiones[persona] = [carga.Sesion(puerto) for _ in range(conexiones)]
        for sesion in sesiones[persona]:
            sesion.ingresar(persona, "demo")
    tiempos: dict[str, list[float]] = {PISO: []} | {nombre: [] for nombre, _u, _p in paginas}
    tamanos: dict[str, int] = {}
    errores: dict[str, int] = dict.fromkeys(tiempos, 0)

    def pedir(sesion: carga.Sesion, url: str) -> list[tuple[int, float, int]]:
        return [
            (estado, ms, len(cuerpo)) for estado, ms, cuerpo in (sesion.get(url) for _ in range(5))
        ]

    with ThreadPoolExecutor(max_workers=conexiones) as hilos:
        for _ in range(veces):
            for nombre, url, persona in [(PISO, PISO_HTTP, "analista"), *paginas]:
                escribir(usuario_escritor)
                for resultado in hilos.map(pedir, sesiones[persona], [url] * conexiones):
                    for estado, ms, tamano in resultado:
                        if estado != 200:
                            errores[nombre] += 1
                        tiempos[nombre].append(ms)
                        tamanos[nombre] = tamano
    for lista in sesiones.values():
        for sesion in lista:
            sesion.cerrar()
    if any(errores.values()):
        print("Errores (respuestas no 200):", {k: v for k, v in errores.items() if v})
    # Queries are not seen from outside the server: the in-process mode counts them.
    return tiempos, dict.fromkeys(tiempos, 0), tamanos


def tabla(tiempos, consultas, tamanos, cpu=None) -> dict[str, tuple[float, float | None]]:
    """Print a run; per page, the ratio of its median to the floor's, in wall time and (in
    process) in CPU time."""
    piso = statistics.median(tiempos[PISO])
    piso_cpu = statistics.median(cpu[PISO]) if cpu else None
    razones = {}
    print(
        f"{'página':32} {'mediana ms':>10} {'p90 ms':>8} {'consultas':>9} {'KiB':>6} {'× piso':>7}"
        + (f" {'CPU ms':>7} {'× CPU':>6}" if cpu else "")
    )
    for nombre, valores in tiempos.items():
        mediana = statistics.median(valores)
        p90 = statistics.quantiles(valores, n=10)[-1]
        linea = (
            f"{nombre:32} {mediana:10.1f} {p90:8.1f} {consultas[nombre]:9d} "
            f"{tamanos[nombre] / 1024:6.0f} {mediana / piso:7.2f}"
        )
        razon_cpu = None
        if cpu:
            mediana_cpu = statistics.median(cpu[nombre])
            razon_cpu = mediana_cpu / piso_cpu
            linea += f" {mediana_cpu:7.1f} {razon_cpu:6.2f}"
        razones[nombre] = (mediana / piso, razon_cpu)
        print(linea)
    return razones


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--veces", type=int, default=30, help="Rondas por corrida (30).")
    parser.add_argument("--corridas", type=int, default=1, help="Corridas seguidas (1).")
    parser.add_argument("--solo", default="", help="Solo las páginas cuyo nombre contiene esto.")
    parser.add_argument(
        "--gunicorn",
        type=int,
        metavar="PUERTO",
        help="Medir por HTTP contra gunicorn (3 procesos, DEBUG apagado) en 127.0.0.1:PUERTO.",
    )
    parser.add_argument(
        "--conexiones", type=int, default=4, help="Con --gunicorn: conexiones simultáneas (4)."
    )
    parser.add_argument(
        "--desglose",
        action="store_true",
        help="Dentro del proceso: separar SQL, plantilla y el resto de cada página, y el mínimo "
        "que costaría sin el ORM ni la lógica de la vista.",
    )
    argumentos = parser.parse_args()
    if argumentos.desglose and argumentos.gunicorn:
        parser.error("--desglose mide dentro del proceso: no va con --gunicorn.")
    paginas = [p for p in paginas_a_medir() if argumentos.solo in p[0]]
    usuarios = get_user_model().objects.in_bulk(
        ["analista", "servicio", "consultora", "jefatura"], field_name="username"
    )
    motor = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(
        f"Base de datos: {motor} · {Servicio.objects.filter(formulaciones__isnull=False).distinct().count()} "
        f"servicios, {Proceso.objects.count()} años, {InformeAvance.objects.count()} informes, "
        f"{Compromiso.objects.count()} compromisos · {argumentos.veces} rondas · carga "
        f"{' '.join(f'{c:.2f}' for c in os.getloadavg())}"
    )
    todas: dict[str, list[tuple[float, float | None]]] = {}
    if argumentos.gunicorn:
        print(
            f"Por HTTP: gunicorn con 3 procesos, {argumentos.conexiones} conexiones; piso: "
            f"{PISO_HTTP} (analista)"
        )
        with carga.gunicorn(argumentos.gunicorn):
            for numero in range(1, argumentos.corridas + 1):
                print(f"\nCorrida {numero} (carga {os.getloadavg()[0]:.2f}):")
                medido = corrida_http(
                    argumentos.gunicorn,
                    paginas,
                    argumentos.veces,
                    argumentos.conexiones,
                    usuarios["analista"],
                )
                for nombre, razon in tabla(*medido).items():
                    todas.setdefault(nombre, []).append(razon)
        resumen(todas, argumentos.corridas)
        return
    with override_settings(ROOT_URLCONF=__name__, DEBUG=False, ALLOWED_HOSTS=["127.0.0.1"]):
        clientes = {}
        for nombre, usuario in usuarios.items():
            clientes[nombre] = Client()
            clientes[nombre].force_login(usuario)
        for _nombre, url, persona in [(PISO, "/_trivial/", "analista"), *paginas]:
            medir(clientes[persona], url)  # warm-up: imports, template cache, connection
        for numero in range(1, argumentos.corridas + 1):
            print(f"\nCorrida {numero} (carga {os.getloadavg()[0]:.2f}):")
            if argumentos.desglose:
                razones = tabla_desglose(
                    corrida_desglose(
                        clientes,
                        [(PISO, "/_trivial/", "analista"), *paginas],
                        argumentos.veces,
                        usuarios["analista"],
                    )
                )
            else:
                razones = tabla(*corrida(clientes, paginas, argumentos.veces, usuarios["analista"]))
            for nombre, razon in razones.items():
                todas.setdefault(nombre, []).append(razon)
    resumen(todas, argumentos.corridas, "mínimo" if argumentos.desglose else "CPU")


def resumen(
    todas: dict[str, list[tuple[float, float | None]]], corridas: int, segunda: str = "CPU"
) -> None:
    """Per page, the median and range over the runs of its ratio to the floor and of the
    second ratio of each run (in CPU time, or its lower bound's with --desglose)."""
    if corridas > 1:
        print(f"\nRazón frente al piso en {corridas} corridas: mediana (mínimo–máximo)")
        for nombre, pares in todas.items():
            linea = f"{nombre:32} {_rango([real for real, _otra in pares])}"
            if pares[0][1] is not None:
                linea += f"   {segunda}: {_rango([otra for _real, otra in pares])}"
            print(linea)


def _rango(razones: list[float]) -> str:
    return f"{statistics.median(razones):5.2f} ({min(razones):.2f}–{max(razones):.2f})"


if __name__ == "__main__":
    main()
