"""A small year whose figures are counted by hand in the tests.

- Osorno (gobernación, Los Lagos): avance 1 sent on time, progress 30 % and 50 % (mean 40 %),
  one open observación and one resolved; a compromiso named like a formula.
- Llanquihue (gobernación, Los Lagos): avance 1 sent late, progress 30 % and 30 % (mean 30 %).
- Gobierno Regional de Tarapacá: a formulación without informes.
"""

import datetime
import io
import subprocess
import zipfile

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from compromisos.models import EstadoRevision, FormulacionPMG
from reportes.models import Reporte
from reportes.services import reporte_generar
from servicios.models import Servicio
from srm.excel import FILA_ENCABEZADO
from tests.conftest import ANIO, crear_formulacion, crear_informe
from validacion.models import Observacion

NOMBRE_FORMULA = '=HYPERLINK("http://malicioso.example","clic")'


@pytest.fixture
def anio_con_datos(formulacion_osorno, formulacion_llanquihue, proceso, analista):
    gore = Servicio.objects.get(nombre__icontains="Tarapacá", tipo__codigo="gobierno-regional")
    crear_formulacion(gore, proceso, compromisos=1)
    FormulacionPMG.objects.filter(pk=formulacion_osorno.pk).update(estado=EstadoRevision.APROBADO)
    formulacion_osorno.compromisos.filter(codigo="C02").update(nombre=NOMBRE_FORMULA)

    enviado = timezone.make_aware(datetime.datetime(ANIO, 6, 28, 10, 30))
    osorno = crear_informe(formulacion_osorno)
    osorno.avances.filter(compromiso__codigo="C02").update(porcentaje=50)
    type(osorno).objects.filter(pk=osorno.pk).update(
        estado=EstadoRevision.ENVIADO, enviado_en=enviado
    )
    llanquihue = crear_informe(formulacion_llanquihue)
    type(llanquihue).objects.filter(pk=llanquihue.pk).update(
        estado=EstadoRevision.EN_REVISION,
        enviado_en=enviado + datetime.timedelta(days=5),
        es_atrasado=True,
    )
    Observacion.objects.create(informe=osorno, texto="Falta el acta firmada.", autor=analista)
    Observacion.objects.create(
        informe=osorno,
        texto="Corregir la fecha.",
        autor=analista,
        estado=Observacion.Estado.RESUELTA,
    )
    return {"osorno": osorno, "llanquihue": llanquihue, "gore": gore}


def generar(usuario, tipo: str, **parametros) -> Reporte:
    """Create a run and generate it in this process, as the Celery task does."""
    reporte = Reporte.objects.create(
        tipo=tipo, anio=parametros.pop("anio", ANIO), solicitado_por=usuario, **parametros
    )
    reporte_generar(reporte.pk)
    reporte.refresh_from_db()
    return reporte


def libro(reporte: Reporte):
    with reporte.archivo.open("rb") as archivo:
        return load_workbook(io.BytesIO(archivo.read()))


def filas(hoja) -> list[dict]:
    # The letterhead comes first (srm.excel.Membrete); the table starts at its header row.
    encabezado, *resto = list(hoja.iter_rows(min_row=FILA_ENCABEZADO, values_only=True))
    return [dict(zip(encabezado, fila, strict=True)) for fila in resto]


def texto_pdf(contenido: bytes) -> str:
    """The PDF's text in reading order, with line breaks inside table cells joined."""
    resultado = subprocess.run(
        ["pdftotext", "-", "-"], input=contenido, capture_output=True, check=True
    )
    return " ".join(resultado.stdout.decode("utf-8").split())


def texto_de(reporte: Reporte) -> str:
    with reporte.archivo.open("rb") as archivo:
        return texto_pdf(archivo.read())


def zip_de(reporte: Reporte) -> zipfile.ZipFile:
    with reporte.archivo.open("rb") as archivo:
        return zipfile.ZipFile(io.BytesIO(archivo.read()))
