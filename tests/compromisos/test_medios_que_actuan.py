"""Evidence files that could act: previews sandboxed, ZIP paths, CSV formulas, foreign medios."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from compromisos.models import MedioComprometido
from demo.archivos import pdf_minimo
from reportes.models import Reporte
from tests.compromisos.test_portal_formulacion import compromiso_post, datos_formset
from tests.compromisos.test_portal_medios import avance, subir  # noqa: F401
from tests.conftest import cliente

pytestmark = pytest.mark.django_db


def test_la_vista_previa_corre_aislada_y_sin_scripts(avance, encargado):  # noqa: F811
    c = cliente(encargado)
    contenido = pdf_minimo("/OpenAction << /S /JavaScript /JS (app.alert(1)) >>")
    subir(c, avance, SimpleUploadedFile("acta.pdf", contenido))
    respuesta = c.get(reverse("compromisos:medio_ver", args=[avance.medios.get().pk]))
    directivas = {
        d.strip().split(" ")[0]: d.strip() for d in respuesta["Content-Security-Policy"].split(";")
    }
    assert directivas["sandbox"] == "sandbox"
    assert directivas["script-src"] == "script-src 'none'"
    assert directivas["frame-ancestors"] == "frame-ancestors 'self'"


def zip_con(entradas: dict[str, bytes]) -> bytes:
    salida = io.BytesIO()
    with zipfile.ZipFile(salida, "w") as comprimido:
        for nombre, datos in entradas.items():
            comprimido.writestr(nombre, datos)
    return salida.getvalue()


@pytest.mark.parametrize("ruta", ["../../x.txt", "/etc/cron.d/x", "a/../../x", "C:/x.bat"])
def test_zip_con_rutas_que_salen_de_su_carpeta_se_rechaza(avance, encargado, ruta):  # noqa: F811
    respuesta = subir(
        cliente(encargado), avance, SimpleUploadedFile("anexos.zip", zip_con({ruta: b"x"}))
    )
    assert "rutas que salen de su carpeta" in respuesta.content.decode()
    assert not avance.medios.exists()


def test_zip_con_carpetas_normales_se_acepta(avance, encargado):  # noqa: F811
    contenido = zip_con({"actas/acta 1.txt": b"uno", "actas/fotos/foto.txt": b"dos"})
    subir(cliente(encargado), avance, SimpleUploadedFile("anexos.zip", contenido))
    assert avance.medios.count() == 1


def test_en_el_expediente_un_nombre_con_ruta_no_sale_de_su_carpeta(
    avance,  # noqa: F811
    encargado,
    admin,
):
    from tests.reportes.conftest import generar

    subir(cliente(encargado), avance, SimpleUploadedFile("../../x.pdf", pdf_minimo("x")))
    medio = avance.medios.get()
    # A name stored before names were cleaned on upload.
    type(medio).objects.filter(pk=medio.pk).update(nombre_original="../../../x.pdf")
    formulacion = avance.informe.formulacion
    reporte = generar(admin, "expediente", servicio=formulacion.servicio)
    assert reporte.estado == Reporte.Estado.LISTO, reporte.error
    with zipfile.ZipFile(reporte.archivo.open("rb")) as expediente:
        nombres = expediente.namelist()
    carpeta = nombres[0].split("/")[0]
    assert all(n.startswith(carpeta + "/") and ".." not in n.split("/") for n in nombres)


@pytest.mark.parametrize(
    ("contenido", "marcado"),
    [
        (b'nombre;monto\nActa;=HYPERLINK("http://x")\n', True),
        (b"nombre,monto\n@SUM(1+1)*cmd|' /C calc'!A0,3\n", True),
        (b"nombre;monto\nActa;+56 9 1234 x\n", True),
        (b"nombre;monto\nActa;-5\nOtra;+56\nTercera;1.234,5\n", False),
    ],
)
def test_csv_con_formulas_se_avisa_al_analista(
    avance,  # noqa: F811
    encargado,
    analista,
    contenido,
    marcado,
):
    subir(cliente(encargado), avance, SimpleUploadedFile("datos.csv", contenido))
    medio = avance.medios.get()
    assert medio.tiene_formulas is marcado


def test_medio_comprometido_ajeno_se_rechaza_sin_borrar_los_propios(formulacion_osorno, encargado):
    c01, c02 = formulacion_osorno.compromisos.order_by("codigo")
    propio = MedioComprometido.objects.create(compromiso=c01, descripcion="Acta", tipo="acta")
    ajeno = MedioComprometido.objects.create(compromiso=c02, descripcion="Convenio", tipo="acta")
    datos = compromiso_post(
        codigo="C01",
        **datos_formset(
            "medios", [{"descripcion": "Acta", "tipo": "acta", "id": str(ajeno.pk)}], iniciales=1
        ),
    )
    respuesta = cliente(encargado).post(
        reverse("compromisos:compromiso_editar", args=[c01.pk]), datos
    )
    assert respuesta.status_code == 200
    assert "no pertenece al compromiso" in respuesta.content.decode()
    assert MedioComprometido.objects.filter(pk__in=[propio.pk, ajeno.pk]).count() == 2
