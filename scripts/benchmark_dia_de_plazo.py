"""The deadline day replayed against gunicorn + PostgreSQL + Redis + a Celery worker, on loopback.

    DATABASE_URL=postgres://…/srm_bench MEDIA_ROOT=/tmp/bench_media \
        .venv/bin/python scripts/benchmark_dia_de_plazo.py --puerto 8100 --redis \
        redis://127.0.0.1:6379/5 [--servicios 20] [--analistas 4] [--segundos 60]

Run it on a database with the demo (manage.py demo; at scale, --servicios 150 --anios 10): it
writes (saves, files, sendings, verdicts, remarks, a report), so use a benchmark database.
At the same time, for --segundos:

- each of --servicios encargados (of the current year's informes still being written) opens
  its informe, saves it, uploads a small PDF and looks at it again; once, near the end, sends it;
- each of --analistas analysts works the queue: takes what was sent, opens an informe under
  review, gives a verdict on one of its files and writes a remark;
- jefatura opens the tablero (cold after every write) and asks for the consolidated report,
  which the Celery worker generates while the rest goes on;
- every person also opens the one-query page (/revision/avisos/): the floor, in the same run.

Each action is timed; the script prints p50 and p95 per action, its errors (an answer other than
the one expected) and the ratio of its p95 to the floor's p95 (the issue's goal: 0 errors and
each page ≤ 3×). It starts gunicorn and the worker itself and stops both (by their pid) at the
end; it exits with status 1 if any action failed.
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "srm.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

import carga  # noqa: E402
from django.db.models import Count, Exists, OuterRef, Q  # noqa: E402

from compromisos.models import EstadoRevision, InformeAvance, MedioVerificacion  # noqa: E402
from demo.archivos import pdf_minimo  # noqa: E402
from reportes.models import Reporte  # noqa: E402
from servicios.models import Cartera  # noqa: E402

PISO = "página de una consulta"
CLAVE = "demo"


class Registro:
    """Times and errors per action, from every thread."""

    def __init__(self) -> None:
        self.tiempos: dict[str, list[float]] = defaultdict(list)
        self.errores: dict[str, int] = defaultdict(int)
        self.cerrojo = threading.Lock()

    def anotar(self, accion: str, ms: float, correcto: bool) -> None:
        with self.cerrojo:
            self.tiempos[accion].append(ms)
            if not correcto:
                self.errores[accion] += 1


def pedir_get(sesion: carga.Sesion, registro: Registro, accion: str, url: str) -> bytes:
    estado, ms, contenido = sesion.get(url)
    registro.anotar(accion, ms, estado == 200)
    return contenido


def pedir_post(sesion, registro, accion, url, campos, **opciones) -> None:
    estado, ms, _ubicacion = sesion.post(url, campos, **opciones)
    registro.anotar(accion, ms, estado == 302)


def encargado(puerto, registro, usuario, informe_id, fin, enviar_en, azar) -> None:
    sesion = carga.Sesion(puerto)
    sesion.ingresar(usuario, CLAVE)
    avances = list(
        InformeAvance.objects.get(pk=informe_id).avances.order_by("pk").values_list("pk", flat=True)
    )
    enviado = False
    while time.monotonic() < fin:
        pedir_get(sesion, registro, PISO, "/revision/avisos/")
        if enviado:  # sent: it waits for SUBDERE, the encargado only looks at it
            pedir_get(
                sesion, registro, "servicio: ver el informe", f"/compromisos/informes/{informe_id}/"
            )
            continue
        pedir_get(
            sesion,
            registro,
            "servicio: abrir el informe",
            f"/compromisos/informes/{informe_id}/editar/",
        )
        campos = {}
        for avance in avances:
            campos |= {
                f"avance-{avance}-porcentaje": str(azar.randint(10, 100)),
                f"avance-{avance}-desarrollo_alcanzado": "Se avanzó según lo comprometido.",
                f"avance-{avance}-dificultades": "",
                f"avance-{avance}-proximos_pasos": "Completar el informe.",
            }
        pedir_post(
            sesion,
            registro,
            "servicio: guardar",
            f"/compromisos/informes/{informe_id}/editar/",
            campos,
        )
        pedir_post(
            sesion,
            registro,
            "servicio: subir un medio",
            f"/compromisos/avances/{azar.choice(avances)}/medios/subir/",
            {"tipo": "informe", "descripcion": "", "medio_comprometido": ""},
            archivos={"archivos": (f"acta-{azar.random()}.pdf", pdf_minimo(str(azar.random())))},
        )
        pedir_get(
            sesion, registro, "servicio: ver el informe", f"/compromisos/informes/{informe_id}/"
        )
        if not enviado and time.monotonic() > enviar_en:
            pedir_post(
                sesion,
                registro,
                "servicio: enviar",
                f"/compromisos/informes/{informe_id}/enviar/",
                {"justificacion_faltantes": "Se adjuntan en el próximo informe."},
            )
            enviado = True
    sesion.cerrar()


def analista(puerto, registro, usuario, fin, azar) -> None:
    sesion = carga.Sesion(puerto)
    sesion.ingresar(usuario, CLAVE)
    # The informes of its cartera (servicio and year), as the queue's default shows them.
    cartera = InformeAvance.objects.filter(
        Exists(
            Cartera.objects.filter(
                usuario__username=usuario,
                rol=Cartera.Rol.ANALISTA,
                servicio=OuterRef("formulacion__servicio"),
                anio=OuterRef("formulacion__proceso__anio"),
            )
        )
    )
    while time.monotonic() < fin:
        pedir_get(sesion, registro, PISO, "/revision/avisos/")
        pedir_get(sesion, registro, "analista: bandeja", "/revision/?cartera=todas")
        enviados = list(
            cartera.filter(estado=EstadoRevision.ENVIADO).values_list("pk", flat=True)[:3]
        )
        if enviados:
            pedir_post(
                sesion,
                registro,
                "analista: tomar",
                "/revision/tomar/",
                {"informes": [str(i) for i in enviados], "volver": ""},
            )
        en_revision = list(
            cartera.filter(estado=EstadoRevision.EN_REVISION)
            .order_by("?")
            .values_list("pk", flat=True)[:1]
        )
        if not en_revision:
            continue
        informe = en_revision[0]
        pedir_get(
            sesion, registro, "analista: revisar un informe", f"/revision/informes/{informe}/"
        )
        medio = (
            MedioVerificacion.objects.filter(
                avance__informe=informe, eliminado_en__isnull=True, reemplazado_por__isnull=True
            )
            .values_list("pk", flat=True)
            .first()
        )
        if medio:
            pedir_post(
                sesion,
                registro,
                "analista: calificar un archivo",
                f"/revision/medios/{medio}/calificar/",
                {"resultado": azar.choice(["aceptado", "observado"]), "motivo": "Revisado."},
            )
        pedir_post(
            sesion,
            registro,
            "analista: observar",
            f"/revision/informes/{informe}/observaciones/nueva/",
            {"texto": "Precise el porcentaje de avance.", "avance": "", "medio": ""},
        )
    sesion.cerrar()


def jefatura(puerto, registro, anio, fin) -> None:
    sesion = carga.Sesion(puerto)
    sesion.ingresar("jefatura", CLAVE)
    antes = Reporte.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    pedir_post(
        sesion,
        registro,
        "jefatura: pedir un reporte",
        "/reportes/solicitar/",
        {
            "tipo": "consolidado_xlsx",
            "consolidado_xlsx-anio": str(anio),
            "consolidado_xlsx-periodo": "avance_3",
        },
    )
    pedido = time.monotonic()
    reporte = Reporte.objects.filter(pk__gt=antes).order_by("pk").first()
    listo = False
    while time.monotonic() < fin:
        pedir_get(sesion, registro, PISO, "/revision/avisos/")
        pedir_get(sesion, registro, "jefatura: tablero", f"/tablero/?anio={anio}")
        if reporte and not listo:
            reporte.refresh_from_db()
            if reporte.estado in (Reporte.Estado.LISTO, Reporte.Estado.ERROR):
                listo = True
                registro.anotar(
                    "reporte generado (worker)",
                    (time.monotonic() - pedido) * 1000,
                    reporte.estado == Reporte.Estado.LISTO,
                )
    if reporte and not listo:
        registro.anotar("reporte generado (worker)", (time.monotonic() - pedido) * 1000, False)
    sesion.cerrar()


def p95(valores: list[float]) -> float:
    return statistics.quantiles(valores, n=20)[-1] if len(valores) > 1 else valores[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--puerto", type=int, default=8100)
    parser.add_argument(
        "--redis", required=True, help="Broker y caché, p. ej. redis://127.0.0.1:6379/5"
    )
    parser.add_argument("--servicios", type=int, default=20)
    parser.add_argument("--analistas", type=int, default=4)
    parser.add_argument("--segundos", type=float, default=60)
    parser.add_argument("--semilla", type=int, default=17)
    argumentos = parser.parse_args()

    anio = (
        InformeAvance.objects.order_by("-formulacion__proceso__anio")
        .values_list("formulacion__proceso__anio", flat=True)
        .first()
    )
    editables = (
        InformeAvance.objects.filter(
            formulacion__proceso__anio=anio,
            estado__in=[EstadoRevision.BORRADOR, EstadoRevision.OBSERVADO],
        )
        .annotate(
            personas=Count(
                "formulacion__servicio__membresias",
                filter=Q(formulacion__servicio__membresias__usuario__is_active=True),
            )
        )
        .filter(personas__gt=0)
        .values_list("pk", "formulacion__servicio__membresias__usuario__username")
        .order_by("pk")
    )
    por_servicio = {}
    for informe, usuario in editables:
        por_servicio.setdefault(usuario, informe)
    servicios = list(por_servicio.items())[: argumentos.servicios]
    from django.contrib.auth.models import User

    analistas = list(
        User.objects.filter(groups__name="analista", is_active=True)
        .order_by("pk")
        .values_list("username", flat=True)[: argumentos.analistas]
    )
    entorno = carga.entorno_produccion(
        argumentos.puerto,
        CELERY_BROKER_URL=argumentos.redis,
        CACHE_URL=argumentos.redis,
        # The notices of each transition are sent by the worker: kept in memory, not mailed.
        EMAIL_HOST="",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "srm",
            "worker",
            "--pool",
            "solo",
            "--loglevel",
            "WARNING",
        ],
        cwd=carga.RAIZ,
        env=entorno,
    )
    registro = Registro()
    try:
        with carga.gunicorn(argumentos.puerto, entorno=entorno):
            inicio = time.monotonic()
            fin = inicio + argumentos.segundos
            azar = random.Random(argumentos.semilla)
            hilos = [
                threading.Thread(
                    target=encargado,
                    args=(
                        argumentos.puerto,
                        registro,
                        usuario,
                        informe,
                        fin,
                        inicio + 0.8 * argumentos.segundos,
                        random.Random(azar.random()),
                    ),
                )
                for usuario, informe in servicios
            ]
            hilos += [
                threading.Thread(
                    target=analista,
                    args=(argumentos.puerto, registro, usuario, fin, random.Random(azar.random())),
                )
                for usuario in analistas
            ]
            hilos.append(
                threading.Thread(target=jefatura, args=(argumentos.puerto, registro, anio, fin))
            )
            for hilo in hilos:
                hilo.start()
            for hilo in hilos:
                hilo.join()
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()

    print(
        f"Día de plazo: {len(servicios)} servicios, {len(analistas)} analistas, jefatura, "
        f"{argumentos.segundos:.0f} s · gunicorn 3 procesos + worker Celery · carga "
        f"{' '.join(f'{c:.2f}' for c in os.getloadavg())}"
    )
    piso = p95(registro.tiempos[PISO]) if registro.tiempos[PISO] else float("nan")
    print(
        f"{'acción':34} {'veces':>6} {'p50 ms':>8} {'p95 ms':>8} {'errores':>7} {'p95 × piso':>10}"
    )
    for accion in sorted(registro.tiempos, key=lambda a: (a != PISO, a)):
        valores = registro.tiempos[accion]
        if not valores:  # none finished within the time (a loaded machine, a short run)
            print(f"{accion:34} {0:6d} {'—':>8} {'—':>8} {registro.errores[accion]:7d} {'—':>10}")
            continue
        print(
            f"{accion:34} {len(valores):6d} {statistics.median(valores):8.1f} {p95(valores):8.1f} "
            f"{registro.errores[accion]:7d} {p95(valores) / piso:10.2f}"
        )
    errores = sum(registro.errores.values())
    print(f"Errores: {errores}")
    return 1 if errores else 0


if __name__ == "__main__":
    sys.exit(main())
