"""Server time of the tablero and the hitos tracker against a trivial page, side by side.

    DATABASE_URL=postgres://…/srm_bench .venv/bin/python scripts/benchmark_tablero.py [--veces 30]

Run it on a database with the demo at scale (manage.py demo --servicios 150 --anios 10).
Every page is requested in-process with Django's test client, signed in as «jefatura», through
the whole middleware stack (session, authentication, CSP…). The trivial page is the same stack
rendering base.html after one query of its own. Pages are measured in turns, so that a noisy
machine slows all of them alike; the script prints the median and the 90th percentile of each,
its SQL queries, and the ratio of its median to the trivial page's.

Three times: warm, the rendered body served from the cache (a repeated view, what users mostly
get); cold after an informe is saved, the versions bumped before each request as saving an
avance, a remark or a transition of the year shown does (tablero/cache.py: the data version and
that year's, so the page and every figure of the periodo are computed and rendered again; the
other years' trend rows and the year's compromisos stay cached, as after such a write); and
cold after a compromiso or a verdict is saved, which also moves the year's compromisos version.
The versions are bumped rather than the cache cleared, so the script is harmless against a
shared Redis.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "srm.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import HttpRequest, HttpResponse  # noqa: E402
from django.shortcuts import render  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.urls import include, path  # noqa: E402

from compromisos.models import Compromiso, FormulacionPMG, Proceso  # noqa: E402
from tablero import cache  # noqa: E402


def pagina_trivial(request: HttpRequest) -> HttpResponse:
    """One query, the site's layout: the floor every page of the SRM stands on."""
    return render(
        request,
        "tablero/sin_proceso.html",
        {"procesos": Proceso.objects.count()},
    )


urlpatterns = [
    path("_trivial/", pagina_trivial),
    path("", include("srm.urls")),
]


def medir(cliente: Client, url: str) -> tuple[float, int, int]:
    with CaptureQueriesContext(connection) as consultas:
        inicio = time.perf_counter()
        respuesta = cliente.get(url, HTTP_HOST="127.0.0.1")
        duracion = time.perf_counter() - inicio
    assert respuesta.status_code == 200, (url, respuesta.status_code)
    return duracion * 1000, len(consultas), len(respuesta.content)


TRIVIAL = "página trivial (1 consulta)"


def rondas(cliente: Client, paginas: dict[str, str], veces: int, *, tras: str, anio: int):
    """Each page once per round, the trivial one first; after a write (`tras`: "informe" or
    "compromiso"), each page after the version bumps that write makes."""
    tiempos: dict[str, list[float]] = {nombre: [] for nombre in paginas}
    consultas: dict[str, int] = {}
    for _ in range(veces):
        for nombre, url in paginas.items():
            if tras and nombre != TRIVIAL:
                # What saving something of that year does (signals, tablero.resumenes).
                cache.invalidar()
                cache.invalidar_anios([anio], compromisos=tras == "compromiso")
            ms, cantidad, _tamano = medir(cliente, url)
            tiempos[nombre].append(ms)
            consultas[nombre] = cantidad
    return tiempos, consultas


def informe(titulo: str, tiempos: dict[str, list[float]], consultas: dict[str, int]) -> None:
    base = statistics.median(tiempos[TRIVIAL])
    print(f"\n{titulo}")
    print(f"{'página':34} {'mediana ms':>10} {'p90 ms':>8} {'consultas':>9} {'× trivial':>9}")
    for nombre, valores in tiempos.items():
        mediana = statistics.median(valores)
        p90 = statistics.quantiles(valores, n=10)[-1]
        print(
            f"{nombre:34} {mediana:10.1f} {p90:8.1f} {consultas[nombre]:9d} {mediana / base:9.2f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--veces", type=int, default=30, help="Rondas de medición (30).")
    parser.add_argument("--usuario", default="jefatura")
    argumentos = parser.parse_args()
    anio = Proceso.objects.order_by("-anio").values_list("anio", flat=True).first()
    paginas = {
        TRIVIAL: "/_trivial/",
        "tablero": f"/tablero/?anio={anio}&periodo=avance_3",
        "tablero, un tipo de servicio": f"/tablero/?anio={anio}&periodo=avance_3&tipo=5",
        "seguimiento de hitos": f"/tablero/hitos/?anio={anio}",
        "lista de servicios (cifra)": f"/tablero/servicios/?anio={anio}&periodo=avance_3&estado=aprobado",
    }
    with override_settings(ROOT_URLCONF=__name__, DEBUG=False, ALLOWED_HOSTS=["127.0.0.1"]):
        cliente = Client()
        cliente.force_login(get_user_model().objects.get(username=argumentos.usuario))
        for url in paginas.values():  # warm-up: imports, template cache, connection, the cache
            medir(cliente, url)
        caliente = rondas(cliente, paginas, argumentos.veces, tras="", anio=anio)
        tras_informe = rondas(cliente, paginas, argumentos.veces, tras="informe", anio=anio)
        tras_compromiso = rondas(cliente, paginas, argumentos.veces, tras="compromiso", anio=anio)
    motor = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    cache_backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    print(
        f"Base de datos: {motor} · {FormulacionPMG.objects.values('servicio').distinct().count()} "
        f"servicios, {Proceso.objects.count()} años, {FormulacionPMG.objects.count()} formulaciones, "
        f"{Compromiso.objects.count()} compromisos · caché {cache_backend} · "
        f"{argumentos.veces} rondas"
    )
    informe("En caché (vista repetida, sin cambios en los datos):", *caliente)
    informe(
        "En frío tras guardar un informe (avance, observación, transición): se calcula y dibuja "
        "la página",
        *tras_informe,
    )
    informe(
        "En frío tras guardar un compromiso o un veredicto: además, los compromisos del año",
        *tras_compromiso,
    )


if __name__ == "__main__":
    main()
