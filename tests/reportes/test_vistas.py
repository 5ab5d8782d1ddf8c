"""The Reportes page: who may request and download what; another servicio and wrong roles refused."""

import pytest
from django.test import Client
from django.urls import reverse

from reportes.models import Reporte
from tests.conftest import ANIO, cliente
from tests.reportes.conftest import generar
from tests.srm.test_vistas import CONSULTAS_BASE

pytestmark = pytest.mark.django_db

URLS_PROBADAS = {
    "reportes:lista",
    "reportes:solicitar",
    "reportes:estado",
    "reportes:descargar",
    "reportes:repetir",
    # A GORE's informe de resultados from its scorecard: tests/calidad/test_reporte.py.
    "reportes:calidad_pdf",
}
ANUALES = {
    "consolidado_xlsx",
    "consolidado_pdf",
    "planilla",
    "validacion_dipres",
    "resumen_ejecutivo",
}
DE_SERVICIO = {"ficha", "expediente"}
# The División's metas (metas app): jefatura and admin.
DE_METAS = {"metas_xlsx", "metas_pdf"}
# The GORE quality system's scores (calidad app), for SUBDERE.
DE_CALIDAD = {"calidad_xlsx"}
# Technical assistance of the year (asistencia app), for SUBDERE.
DE_ASISTENCIA = {"asistencia_xlsx"}


def pedir(usuario, tipo: str, **campos) -> "Client.response":
    datos = {"tipo": tipo, **{f"{tipo}-{campo}": valor for campo, valor in campos.items()}}
    return cliente(usuario).post(reverse("reportes:solicitar"), datos)


def test_anonimo_va_al_ingreso(anio_con_datos, jefatura):
    reporte = generar(jefatura, "planilla")
    for url in [
        reverse("reportes:lista"),
        reverse("reportes:estado") + f"?ids={reporte.pk}",
        reverse("reportes:descargar", args=[reporte.pk]),
    ]:
        respuesta = Client().get(url)
        assert respuesta.status_code == 302 and respuesta.url.startswith(reverse("login"))
    for url in [reverse("reportes:solicitar"), reverse("reportes:repetir", args=[reporte.pk])]:
        assert Client().post(url).status_code == 302
    assert Reporte.objects.count() == 1


@pytest.mark.parametrize(
    ("persona", "esperados"),
    [
        ("encargado", DE_SERVICIO),
        ("consultora", DE_SERVICIO),
        ("analista", ANUALES | DE_SERVICIO | DE_CALIDAD | DE_ASISTENCIA),
        ("jefatura", ANUALES | DE_SERVICIO | DE_METAS | DE_CALIDAD | DE_ASISTENCIA),
        ("admin", ANUALES | DE_SERVICIO | DE_METAS | DE_CALIDAD | DE_ASISTENCIA),
    ],
)
def test_cada_rol_ve_los_reportes_que_puede_pedir(request, persona, esperados, proceso):
    usuario = request.getfixturevalue(persona)
    respuesta = cliente(usuario).get(reverse("reportes:lista"))
    assert respuesta.status_code == 200
    assert {f.tipo_reporte.value for f in respuesta.context["formularios"]} == esperados
    assert 'href="/reportes/"' in respuesta.content.decode()  # in the navigation bar


def test_sin_rol_no_entra(sin_rol):
    assert cliente(sin_rol).get(reverse("reportes:lista")).status_code == 403
    assert cliente(sin_rol).get(reverse("reportes:estado")).status_code == 403
    assert pedir(sin_rol, "ficha").status_code == 403


def test_el_servicio_pide_su_ficha_y_la_descarga(
    anio_con_datos, encargado, osorno, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        respuesta = pedir(encargado, "ficha", servicio=osorno.pk, anio=ANIO)
    assert respuesta.status_code == 302
    reporte = Reporte.objects.get()
    assert (reporte.tipo, reporte.servicio, reporte.solicitado_por) == ("ficha", osorno, encargado)
    assert reporte.estado == Reporte.Estado.LISTO, reporte.error
    pagina = cliente(encargado).get(reverse("reportes:lista"))
    assert reverse("reportes:descargar", args=[reporte.pk]) in pagina.content.decode()
    descarga = cliente(encargado).get(reverse("reportes:descargar", args=[reporte.pk]))
    assert descarga.status_code == 200
    assert descarga["Content-Type"] == "application/pdf"
    assert descarga["Content-Disposition"].startswith("attachment;")
    assert b"".join(descarga.streaming_content).startswith(b"%PDF")


def test_el_servicio_no_pide_la_ficha_de_otro_servicio(anio_con_datos, encargado, llanquihue):
    respuesta = pedir(encargado, "ficha", servicio=llanquihue.pk, anio=ANIO)
    assert respuesta.status_code == 400
    assert "Escoja una opción válida" in respuesta.content.decode()
    assert not Reporte.objects.exists()


@pytest.mark.parametrize("persona", ["encargado", "consultora"])
@pytest.mark.parametrize("tipo", sorted(ANUALES))
def test_servicio_y_consultora_no_piden_reportes_anuales(request, persona, tipo, anio_con_datos):
    respuesta = pedir(request.getfixturevalue(persona), tipo, anio=ANIO, periodo="avance_1")
    assert respuesta.status_code == 403
    assert not Reporte.objects.exists()


def test_la_consultora_pide_el_expediente_de_su_asignacion(
    anio_con_datos, consultora, osorno, llanquihue, django_capture_on_commit_callbacks
):
    assert pedir(consultora, "expediente", servicio=llanquihue.pk, anio=ANIO).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        assert pedir(consultora, "expediente", servicio=osorno.pk, anio=ANIO).status_code == 302
    assert Reporte.objects.get().estado == Reporte.Estado.LISTO


def test_un_anio_sin_formulacion_se_explica_y_conserva_lo_elegido(anio_con_datos, analista, osorno):
    from compromisos.models import Proceso

    Proceso.objects.create(anio=ANIO + 1)
    respuesta = pedir(analista, "ficha", servicio=osorno.pk, anio=ANIO + 1)
    assert respuesta.status_code == 400
    contenido = respuesta.content.decode()
    assert f"Gobernación Provincial de Osorno no tiene formulación PMG en {ANIO + 1}" in contenido
    formulario = next(f for f in respuesta.context["formularios"] if f.prefix == "ficha")
    assert formulario.data["ficha-servicio"] == str(osorno.pk)
    assert not Reporte.objects.exists()


def test_el_analista_pide_el_consolidado_con_filtros(
    anio_con_datos, analista, django_capture_on_commit_callbacks
):
    gore = anio_con_datos["gore"]
    with django_capture_on_commit_callbacks(execute=True):
        respuesta = pedir(
            analista, "consolidado_xlsx", anio=ANIO, periodo="avance_2", tipo_servicio=gore.tipo_id
        )
    assert respuesta.status_code == 302
    reporte = Reporte.objects.get()
    assert reporte.periodo == "avance_2"
    assert reporte.filtros == {"tipo": gore.tipo_id, "descripcion": "Gobierno regional"}
    assert reporte.estado == Reporte.Estado.LISTO
    assert "Informe de avance 2 · Gobierno regional" in reporte.descripcion


def test_descargas_fuera_del_alcance(anio_con_datos, jefatura, encargado, encargado_otro, osorno):
    planilla = generar(jefatura, "planilla")
    ficha = generar(encargado, "ficha", servicio=osorno)
    assert cliente(jefatura).get(reverse("reportes:descargar", args=[ficha.pk])).status_code == 200
    # The other servicio does not see Osorno's ficha; a servicio does not see the year's reports.
    assert (
        cliente(encargado_otro).get(reverse("reportes:descargar", args=[ficha.pk])).status_code
        == 404
    )
    assert (
        cliente(encargado).get(reverse("reportes:descargar", args=[planilla.pk])).status_code == 404
    )


def test_un_reporte_sin_archivo_no_se_descarga(anio_con_datos, jefatura):
    fallido = generar(jefatura, "planilla", anio=1999)
    respuesta = cliente(jefatura).get(reverse("reportes:descargar", args=[fallido.pk]))
    assert respuesta.status_code == 404


def test_el_estado_solo_muestra_reportes_visibles(anio_con_datos, jefatura, encargado, osorno):
    planilla = generar(jefatura, "planilla")
    ficha = generar(encargado, "ficha", servicio=osorno)
    url = reverse("reportes:estado") + f"?ids={planilla.pk},{ficha.pk}"
    ids = [r["id"] for r in cliente(encargado).get(url).json()["reportes"]]
    assert ids == [ficha.pk]
    respuesta = cliente(jefatura).get(url).json()["reportes"]
    assert {r["id"]: r["estado"] for r in respuesta} == {planilla.pk: "listo", ficha.pk: "listo"}
    assert cliente(jefatura).get(reverse("reportes:estado") + "?ids=x").status_code == 400


def test_repetir_crea_otra_ejecucion_con_los_mismos_parametros(
    anio_con_datos, jefatura, encargado_otro, django_capture_on_commit_callbacks
):
    fallido = generar(jefatura, "consolidado_pdf", anio=1999, periodo="avance_3")
    with django_capture_on_commit_callbacks(execute=True):
        respuesta = cliente(jefatura).post(reverse("reportes:repetir", args=[fallido.pk]))
    assert respuesta.status_code == 302
    nuevo = Reporte.objects.exclude(pk=fallido.pk).get()
    assert (nuevo.tipo, nuevo.anio, nuevo.periodo) == ("consolidado_pdf", 1999, "avance_3")
    assert (
        cliente(encargado_otro).post(reverse("reportes:repetir", args=[nuevo.pk])).status_code
        == 404
    )


def test_la_pagina_muestra_avance_y_error(anio_con_datos, jefatura):
    en_curso = Reporte.objects.create(
        tipo="planilla",
        anio=ANIO,
        solicitado_por=jefatura,
        estado=Reporte.Estado.GENERANDO,
        progreso=45,
        etapa="Escribiendo la hoja «Medios»",
    )
    generar(jefatura, "planilla", anio=1999)
    contenido = cliente(jefatura).get(reverse("reportes:lista")).content.decode()
    assert '<progress max="100" value="45"' in contenido
    assert "Escribiendo la hoja «Medios»" in contenido
    assert "No existe un proceso PMG para el año 1999." in contenido
    assert f'data-en-curso="{en_curso.pk}"' in contenido


def test_la_pagina_hace_las_mismas_consultas_con_2_o_12_reportes(
    anio_con_datos, jefatura, encargado, osorno, django_assert_num_queries
):
    for _ in range(2):
        generar(encargado, "ficha", servicio=osorno)
    c = cliente(jefatura)
    # base, años (×8 formularios), servicios y filtros en los formularios, departamentos del
    # reporte de metas, count, page of runs
    c.get(reverse("reportes:lista"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as pocos:
        c.get(reverse("reportes:lista"))
    for _ in range(10):
        generar(encargado, "ficha", servicio=osorno)  # each row shows its servicio
    with django_assert_num_queries(len(pocos)):
        c.get(reverse("reportes:lista"))
    assert len(pocos) <= CONSULTAS_BASE + 14


def test_la_administracion_lee_el_historial_sin_poder_cambiarlo(anio_con_datos, admin, jefatura):
    reporte = generar(jefatura, "planilla", anio=1999)
    c = cliente(admin)
    lista = c.get(reverse("admin:reportes_reporte_changelist") + "?estado__exact=error")
    assert lista.status_code == 200 and f">{reporte.pk}<" in lista.content.decode()
    assert c.get(reverse("admin:reportes_reporte_add")).status_code == 403
    assert c.post(reverse("admin:reportes_reporte_delete", args=[reporte.pk])).status_code == 403
    assert cliente(jefatura).get(reverse("admin:reportes_reporte_changelist")).status_code == 302


def test_el_servicio_de_reportes_exige_el_alcance_aunque_no_pase_por_el_formulario(
    anio_con_datos, encargado, consultora, osorno, llanquihue
):
    from django.core.exceptions import PermissionDenied

    from compromisos.models import Proceso
    from reportes.services import reporte_solicitar
    from tests.conftest import crear_formulacion

    # Another servicio, and a year of its own servicio outside the consultora's cartera.
    crear_formulacion(osorno, Proceso.objects.create(anio=ANIO + 1))
    for usuario, servicio, anio in [
        (encargado, llanquihue, ANIO),
        (consultora, llanquihue, ANIO),
        (consultora, osorno, ANIO + 1),
    ]:
        with pytest.raises(PermissionDenied):
            reporte_solicitar(usuario=usuario, tipo="ficha", anio=anio, servicio=servicio)
        with pytest.raises(PermissionDenied):
            reporte_solicitar(usuario=usuario, tipo="planilla", anio=anio)
    assert not Reporte.objects.exists()


def test_el_servicio_no_ve_que_persona_de_subdere_pidio_su_expediente(
    anio_con_datos, encargado, analista, jefatura, osorno
):
    analista.first_name, analista.last_name = "Carolina", "Vargas Soto"
    analista.save()
    encargado.first_name, encargado.last_name = "Marta", "Ñancupil"
    encargado.save()
    de_subdere = generar(analista, "expediente", servicio=osorno)
    propio = generar(encargado, "ficha", servicio=osorno)

    def fila(pagina: str, reporte: Reporte) -> str:
        inicio = pagina.index(f'id="reporte-{reporte.pk}"')
        return pagina[inicio : pagina.index("</tr>", inicio)]

    pagina = cliente(encargado).get(reverse("reportes:lista")).content.decode()
    # The file SUBDERE made about the servicio is listed (and downloadable), without who asked.
    assert "Carolina" not in pagina and "Vargas" not in pagina
    assert "SUBDERE" in fila(pagina, de_subdere)
    assert reverse("reportes:descargar", args=[de_subdere.pk]) in pagina
    assert "Marta Ñancupil" in fila(pagina, propio)
    # SUBDERE sees both requesters.
    pagina = cliente(jefatura).get(reverse("reportes:lista")).content.decode()
    assert "Carolina Vargas Soto" in fila(pagina, de_subdere)
    assert "Marta Ñancupil" in fila(pagina, propio)
