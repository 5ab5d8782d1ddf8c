"""Time of uploading a 25 MB medio against a plain copy of the same bytes on the same disk.

    DATABASE_URL=postgres://…/srm_bench MEDIA_ROOT=/tmp/bench_media \
        .venv/bin/python scripts/benchmark_subida.py [--veces 10] [--mb 25]

Run it on a database with the demo (manage.py demo): it uploads to an informe being written (draft or
observed) of the demo's servicio, signed in as «servicio». Three times are taken in turns, each with fresh bytes:

- a plain copy of the file (shutil.copyfile) into MEDIA_ROOT: the floor;
- the same bytes posted to a view that stores the upload as it comes, without checks (what
  Django alone costs: parsing the multipart body, writing the temporary file, storing it);
- the same bytes posted to the SRM's upload (compromisos:medio_subir): content check, SHA-256,
  storage, the medio's row and its event.

The multipart body is built before the clock starts. Every upload stays stored (medios are
never deleted): run it on a benchmark database.
"""

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "srm.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.files.storage import default_storage  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.http import HttpRequest, HttpResponse  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.urls import include, path, reverse  # noqa: E402
from django.views.decorators.csrf import csrf_exempt  # noqa: E402

from compromisos.models import AvanceCompromiso, EstadoRevision  # noqa: E402


@csrf_exempt
def subida_simple(request: HttpRequest) -> HttpResponse:
    """Django alone: store the uploaded file as it came, no checks."""
    default_storage.save(f"benchmark/{request.FILES['archivos'].name}", request.FILES["archivos"])
    return HttpResponse("ok")


urlpatterns = [
    path("_subida_simple/", subida_simple),
    path("", include("srm.urls")),
]


def contenido(tamano: int) -> bytes:
    """A PDF header and random bytes: fresh content, so no upload is a duplicate."""
    return b"%PDF-1.4\n" + os.urandom(tamano - 9)


def cuerpo(nombre: str, datos: bytes) -> bytes:
    archivo = SimpleUploadedFile(nombre, datos, content_type="application/pdf")
    return encode_multipart(
        BOUNDARY, {"archivos": archivo, "tipo": "acta", "descripcion": "benchmark"}
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--veces", type=int, default=10)
    parser.add_argument("--mb", type=int, default=25)
    argumentos = parser.parse_args()
    tamano = argumentos.mb * 1024 * 1024 - 1024
    usuario = get_user_model().objects.get(username="servicio")
    avance = (
        AvanceCompromiso.objects.filter(
            informe__estado__in=[EstadoRevision.BORRADOR, EstadoRevision.OBSERVADO],
            informe__formulacion__servicio__membresias__usuario=usuario,
        )
        .order_by("-informe__formulacion__proceso__anio")
        .first()
    )
    if avance is None:
        sys.exit("El usuario «servicio» no tiene un informe por completar: ejecute manage.py demo.")
    destino = Path(settings.MEDIA_ROOT) / "benchmark"
    destino.mkdir(parents=True, exist_ok=True)
    tiempos: dict[str, list[float]] = {"copia simple": [], "subida Django": [], "subida SRM": []}
    with override_settings(ROOT_URLCONF=__name__, DEBUG=False, ALLOWED_HOSTS=["127.0.0.1"]):
        cliente = Client()
        cliente.force_login(usuario)
        url = reverse("compromisos:medio_subir", args=[avance.pk])
        for vez in range(argumentos.veces + 1):  # the first round warms up
            datos = contenido(tamano)
            with tempfile.NamedTemporaryFile(dir=destino, delete=False) as origen:
                origen.write(datos)
            inicio = time.perf_counter()
            shutil.copyfile(origen.name, destino / f"copia-{vez}.pdf")
            copia = time.perf_counter() - inicio
            os.remove(origen.name)

            simple = cuerpo(f"simple-{vez}.pdf", contenido(tamano))
            inicio = time.perf_counter()
            respuesta = cliente.generic(
                "POST", "/_subida_simple/", simple, MULTIPART_CONTENT, HTTP_HOST="127.0.0.1"
            )
            django_solo = time.perf_counter() - inicio
            assert respuesta.status_code == 200, respuesta.status_code

            srm = cuerpo(f"medio-{vez}.pdf", datos)
            antes = avance.medios.count()
            inicio = time.perf_counter()
            respuesta = cliente.generic("POST", url, srm, MULTIPART_CONTENT, HTTP_HOST="127.0.0.1")
            subida = time.perf_counter() - inicio
            assert respuesta.status_code == 302, respuesta.status_code
            assert avance.medios.count() == antes + 1, "la subida no se guardó"
            if vez:
                tiempos["copia simple"].append(copia * 1000)
                tiempos["subida Django"].append(django_solo * 1000)
                tiempos["subida SRM"].append(subida * 1000)
    shutil.rmtree(destino, ignore_errors=True)
    piso = statistics.median(tiempos["copia simple"])
    print(
        f"{argumentos.mb} MB, {argumentos.veces} veces · carga "
        f"{' '.join(f'{c:.2f}' for c in os.getloadavg())}"
    )
    print(f"{'':16} {'mediana ms':>10} {'mín':>7} {'máx':>7} {'× copia':>8}")
    for nombre, valores in tiempos.items():
        mediana = statistics.median(valores)
        print(
            f"{nombre:16} {mediana:10.1f} {min(valores):7.1f} {max(valores):7.1f} "
            f"{mediana / piso:8.2f}"
        )


if __name__ == "__main__":
    main()
