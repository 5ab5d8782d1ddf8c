"""The run's life: request, generate, fail with a message, rerun safely, fixed query counts."""

import io
import re

import pytest
from django.core.files.storage import default_storage
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext

from reportes import generadores, services
from reportes.models import Reporte, TipoReporte, ruta_reporte
from servicios.models import Membresia, Servicio
from tests.conftest import ANIO, crear_formulacion, crear_informe, crear_usuario, falla_en_bd
from tests.reportes.conftest import generar, libro

pytestmark = pytest.mark.django_db


def test_solicitar_encola_solo_tras_el_commit(
    anio_con_datos, jefatura, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as pendientes:
        reporte = services.reporte_solicitar(
            usuario=jefatura, tipo="consolidado_xlsx", anio=ANIO, periodo="avance_1"
        )
    reporte.refresh_from_db()
    assert reporte.estado == Reporte.Estado.PENDIENTE and len(pendientes) == 1
    pendientes[0]()  # the commit: on the embedded default the task runs in-process
    reporte.refresh_from_db()
    assert reporte.estado == Reporte.Estado.LISTO
    assert reporte.progreso == 100 and reporte.intentos == 1 and reporte.tamano > 0
    assert default_storage.exists(reporte.archivo.name)


def test_un_reporte_invalido_queda_fallido_con_el_motivo(anio_con_datos, jefatura):
    reporte = generar(jefatura, "planilla", anio=1999)
    assert reporte.estado == Reporte.Estado.ERROR
    assert reporte.error == "No existe un proceso PMG para el año 1999."
    assert not reporte.archivo


def test_una_excepcion_deja_el_reporte_fallido_sin_archivo(anio_con_datos, jefatura, monkeypatch):
    def falla_a_medio_escribir(reporte, destino, progreso):
        destino.write(b"PK\x03\x04 medio archivo")
        progreso(0.5, "Escribiendo")
        raise KeyError("columna")

    monkeypatch.setitem(generadores.GENERADORES, TipoReporte.PLANILLA, falla_a_medio_escribir)
    monkeypatch.setattr(services, "GENERADORES", generadores.GENERADORES)
    reporte = generar(jefatura, "planilla")
    assert reporte.estado == Reporte.Estado.ERROR
    assert "Error interno al generar el reporte (KeyError)" in reporte.error
    assert f"n.º {reporte.pk}" in reporte.error
    assert not reporte.archivo
    assert not default_storage.exists(f"reportes/{ANIO}/{reporte.pk}")


def test_error_transitorio_vuelve_a_la_cola_y_el_ultimo_intento_falla(
    anio_con_datos, jefatura, monkeypatch
):
    def base_caida(reporte, destino, progreso):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setitem(generadores.GENERADORES, TipoReporte.PLANILLA, base_caida)
    reporte = Reporte.objects.create(tipo="planilla", anio=ANIO, solicitado_por=jefatura)
    with pytest.raises(OperationalError):
        services.reporte_generar(reporte.pk, ultimo_intento=False)
    reporte.refresh_from_db()
    assert reporte.estado == Reporte.Estado.PENDIENTE
    assert "se reintentará" in reporte.etapa
    with pytest.raises(OperationalError):
        services.reporte_generar(reporte.pk, ultimo_intento=True)
    reporte.refresh_from_db()
    assert reporte.estado == Reporte.Estado.ERROR and reporte.intentos == 2
    assert "no respondieron tras varios intentos" in reporte.error


def test_en_proceso_un_error_transitorio_falla_sin_bloquear_y_en_worker_espera(
    anio_con_datos, jefatura, monkeypatch
):
    from reportes.tasks import espera_antes_de_reintentar, generar_reporte

    def base_caida(reporte, destino, progreso):
        raise OperationalError("timeout")

    monkeypatch.setitem(generadores.GENERADORES, TipoReporte.PLANILLA, base_caida)
    reporte = Reporte.objects.create(tipo="planilla", anio=ANIO, solicitado_por=jefatura)
    generar_reporte.delay(reporte.pk)
    reporte.refresh_from_db()
    assert reporte.estado == Reporte.Estado.ERROR and reporte.intentos == 1
    assert "no respondieron tras varios intentos" in reporte.error
    # On a worker: 10 s, 20 s, 40 s… never more than 10 minutes (below the broker's
    # visibility timeout, so a waiting retry is not delivered twice).
    assert [espera_antes_de_reintentar(n) for n in range(8)] == [10, 20, 40, 80, 160, 320, 600, 600]


def test_repetir_la_tarea_sobre_un_reporte_listo_no_hace_nada(anio_con_datos, jefatura):
    reporte = generar(jefatura, "validacion_dipres")
    archivo, terminado = reporte.archivo.name, reporte.terminado_en
    assert services.reporte_generar(reporte.pk) is None
    reporte.refresh_from_db()
    assert (reporte.archivo.name, reporte.terminado_en, reporte.intentos) == (
        archivo,
        terminado,
        1,
    )


def test_un_reporte_interrumpido_se_rehace_sin_duplicar_el_archivo(anio_con_datos, jefatura):
    """A worker died after storing the file, before marking the run: the rerun leaves one file."""
    reporte = Reporte.objects.create(
        tipo="validacion_dipres",
        anio=ANIO,
        solicitado_por=jefatura,
        estado=Reporte.Estado.GENERANDO,
        intentos=1,
        progreso=60,
    )
    huerfano = ruta_reporte(reporte, f"validacion_final_dipres_{ANIO}_20260101-0900.xlsx")
    default_storage.save(huerfano, io.BytesIO(b"medio archivo"))
    services.reporte_generar(reporte.pk)
    reporte.refresh_from_db()
    assert reporte.estado == Reporte.Estado.LISTO and reporte.intentos == 2
    assert re.fullmatch(
        rf"reportes/{ANIO}/{reporte.pk}/2/validacion_final_dipres_{ANIO}_\d{{8}}-\d{{4}}\.xlsx",
        reporte.archivo.name,
    )
    assert not default_storage.exists(huerfano)
    assert libro(reporte).sheetnames == ["Validación final", "Cumplimiento por servicio"]


def test_dos_entregas_a_la_vez_dejan_un_reporte_listo_con_su_archivo(
    anio_con_datos, jefatura, monkeypatch
):
    """A worker that lost the broker while generating, and the redelivered copy, overlap."""
    original = generadores.GENERADORES[TipoReporte.VALIDACION_DIPRES]
    llamadas = []

    def con_segunda_entrega(reporte, destino, progreso):
        llamadas.append(reporte.intentos)
        if len(llamadas) == 1:
            # The second delivery starts and finishes while the first is still writing.
            services.reporte_generar(reporte.pk)
        return original(reporte, destino, progreso)

    monkeypatch.setitem(generadores.GENERADORES, TipoReporte.VALIDACION_DIPRES, con_segunda_entrega)
    reporte = generar(jefatura, "validacion_dipres")
    assert llamadas == [1, 2]
    assert reporte.estado == Reporte.Estado.LISTO and reporte.intentos == 2
    # The first delivery found the run taken over and removed only its own file.
    assert default_storage.exists(reporte.archivo.name)
    raiz = f"reportes/{ANIO}/{reporte.pk}"
    archivos = {
        carpeta: default_storage.listdir(f"{raiz}/{carpeta}")[1]
        for carpeta in default_storage.listdir(raiz)[0]
    }
    assert {c: a for c, a in archivos.items() if a} == {"2": [reporte.nombre_archivo]}
    assert libro(reporte).sheetnames == ["Validación final", "Cumplimiento por servicio"]


def test_los_reportes_sin_worker_se_detienen_en_minutos_con_explicacion(anio_con_datos, jefatura):
    import datetime

    from django.utils import timezone

    ahora = timezone.now()
    hace = lambda **t: ahora - datetime.timedelta(**t)  # noqa: E731
    viejo = Reporte.objects.create(tipo="planilla", anio=ANIO, solicitado_por=jefatura)
    Reporte.objects.filter(pk=viejo.pk).update(creado=hace(hours=3))

    def generando(**campos):
        return Reporte.objects.create(
            tipo="planilla",
            anio=ANIO,
            solicitado_por=jefatura,
            estado=Reporte.Estado.GENERANDO,
            progreso=28,
            **campos,
        )

    # Started 40 minutes ago, its last heartbeat 4 minutes ago: its worker died.
    callado = generando(iniciado_en=hace(minutes=40), latido=hace(minutes=4))
    # Started an hour ago and still beating: a long report, alive.
    vivo = generando(iniciado_en=hace(hours=1), latido=hace(seconds=30))
    assert services.cerrar_reportes_detenidos(ahora=ahora) == 2
    for reporte in (viejo, callado):
        reporte.refresh_from_db()
        assert reporte.estado == Reporte.Estado.DETENIDO
        assert "el proceso que lo generaba se detuvo" in reporte.error
    vivo.refresh_from_db()
    assert vivo.estado == Reporte.Estado.GENERANDO


def test_el_progreso_late_aunque_el_porcentaje_no_se_mueva(anio_con_datos, jefatura):
    import datetime

    from django.utils import timezone

    reporte = Reporte.objects.create(
        tipo="planilla", anio=ANIO, solicitado_por=jefatura, estado=Reporte.Estado.GENERANDO
    )
    antes = timezone.now() - datetime.timedelta(minutes=2)
    Reporte.objects.filter(pk=reporte.pk).update(latido=antes)
    progreso = services.Progreso(reporte)
    progreso(0.01, "Escribiendo")
    reporte.refresh_from_db()
    assert reporte.latido > antes and reporte.etapa == "Escribiendo"
    # Same stage and percentage: written again only once LATIDO seconds have passed.
    progreso.ultimo -= services.LATIDO
    Reporte.objects.filter(pk=reporte.pk).update(latido=antes)
    progreso(0.02, "Escribiendo")
    reporte.refresh_from_db()
    assert reporte.latido > antes


def test_reintentar_un_reporte_detenido_lo_rehace_sin_segunda_fila_ni_archivo(
    anio_con_datos, jefatura, encargado_otro, django_capture_on_commit_callbacks
):
    import datetime

    from django.urls import reverse
    from django.utils import timezone

    from tests.conftest import cliente

    reporte = Reporte.objects.create(
        tipo="validacion_dipres",
        anio=ANIO,
        solicitado_por=jefatura,
        estado=Reporte.Estado.GENERANDO,
        intentos=1,
        progreso=28,
        iniciado_en=timezone.now() - datetime.timedelta(minutes=10),
        latido=timezone.now() - datetime.timedelta(minutes=9),
    )
    # The dead attempt had stored its file before dying.
    huerfano = ruta_reporte(reporte, "a_medias.xlsx")
    default_storage.save(huerfano, io.BytesIO(b"medio archivo"))
    services.cerrar_reportes_detenidos(ahora=timezone.now())
    pagina = cliente(jefatura).get(reverse("reportes:lista")).content.decode()
    assert "Detenido" in pagina and "Quedó en 28 %" in pagina and "Reintentar" in pagina
    assert (
        cliente(encargado_otro).post(reverse("reportes:repetir", args=[reporte.pk])).status_code
        == 404
    )
    c = cliente(jefatura)
    with django_capture_on_commit_callbacks(execute=False) as encolados:
        c.post(reverse("reportes:repetir", args=[reporte.pk]))
        c.post(reverse("reportes:repetir", args=[reporte.pk]))  # a second click, still queued
    assert len(encolados) == 1
    encolados[0]()  # the worker runs it
    reporte.refresh_from_db()
    assert Reporte.objects.count() == 1
    assert reporte.estado == Reporte.Estado.LISTO and reporte.intentos == 2
    # The original message, redelivered hours later, finds it done: still one file.
    assert services.reporte_generar(reporte.pk) is None
    raiz = f"reportes/{ANIO}/{reporte.pk}"
    archivos = [
        f"{carpeta}/{nombre}"
        for carpeta in default_storage.listdir(raiz)[0]
        for nombre in default_storage.listdir(f"{raiz}/{carpeta}")[1]
    ]
    assert archivos == [f"2/{reporte.nombre_archivo}"]


def test_la_base_exige_archivo_en_un_reporte_listo_y_motivo_en_uno_fallido(jefatura):
    assert falla_en_bd(Reporte(tipo="planilla", anio=ANIO, estado=Reporte.Estado.LISTO))
    assert falla_en_bd(Reporte(tipo="planilla", anio=ANIO, estado=Reporte.Estado.ERROR))
    assert falla_en_bd(Reporte(tipo="ficha", anio=ANIO))


def test_el_avance_se_anota_mientras_se_genera(anio_con_datos, jefatura, monkeypatch):
    vistos = []
    original = generadores.GENERADORES[TipoReporte.PLANILLA]

    def observado(reporte, destino, progreso):
        def anotar(fraccion, etapa):
            progreso(fraccion, etapa)
            fila = Reporte.objects.values("estado", "progreso", "etapa").get(pk=reporte.pk)
            vistos.append((fila["estado"], fila["progreso"], fila["etapa"]))

        return original(reporte, destino, anotar)

    monkeypatch.setitem(generadores.GENERADORES, TipoReporte.PLANILLA, observado)
    generar(jefatura, "planilla")
    assert {estado for estado, _, _ in vistos} == {"generando"}
    porcentajes = [p for _, p, _ in vistos]
    assert porcentajes == sorted(porcentajes) and porcentajes[-1] > 50
    assert ("generando", 0, "Escribiendo la hoja «Servicios»") in vistos
    assert any(etapa == "Escribiendo la hoja «Medios»" for _, _, etapa in vistos)


# --- Query counts: independent of the number of servicios (and of their compromisos) --------


def _agregar_servicios(desde: int, hasta: int, proceso, compromisos: int = 2) -> None:
    gobernaciones = Servicio.objects.filter(tipo__codigo="gobernacion").order_by("pk")
    for servicio in gobernaciones[desde:hasta]:
        usuario = crear_usuario(f"encargado-{servicio.pk}", "servicio")
        Membresia.objects.create(usuario=usuario, servicio=servicio)
        formulacion = crear_formulacion(servicio, proceso, compromisos=compromisos)
        crear_informe(formulacion, medios_por_avance=2)


def _consultas(usuario, tipo: str, **parametros) -> int:
    """Queries of a run, without the progress updates (at most one per 5 %)."""
    reporte = Reporte.objects.create(tipo=tipo, anio=ANIO, solicitado_por=usuario, **parametros)
    with CaptureQueriesContext(connection) as consultas:
        services.reporte_generar(reporte.pk)
    reporte.refresh_from_db()
    assert reporte.estado == Reporte.Estado.LISTO, reporte.error
    return sum(
        1
        for q in consultas.captured_queries
        if not (q["sql"].startswith('UPDATE "reportes_reporte"') and "progreso" in q["sql"])
    )


ANUALES = [
    ("consolidado_xlsx", {"periodo": "avance_1"}),
    ("consolidado_pdf", {"periodo": "avance_1"}),
    ("planilla", {}),
    ("validacion_dipres", {}),
    ("resumen_ejecutivo", {}),
]


@pytest.mark.parametrize(("tipo", "parametros"), ANUALES, ids=[t for t, _ in ANUALES])
def test_consultas_de_un_reporte_anual_no_crecen_con_los_servicios(
    tipo, parametros, proceso, jefatura
):
    _agregar_servicios(0, 2, proceso)
    pocos = _consultas(jefatura, tipo, **parametros)
    _agregar_servicios(2, 8, proceso)
    assert _consultas(jefatura, tipo, **parametros) == pocos


@pytest.mark.parametrize("tipo", ["ficha", "expediente"])
def test_consultas_de_un_reporte_de_servicio_no_crecen_con_sus_compromisos(
    tipo, proceso, osorno, llanquihue, jefatura, encargado, encargado_otro
):
    crear_informe(crear_formulacion(osorno, proceso, compromisos=1), medios_por_avance=1)
    crear_informe(crear_formulacion(llanquihue, proceso, compromisos=6), medios_por_avance=3)
    assert _consultas(jefatura, tipo, servicio=osorno) == _consultas(
        jefatura, tipo, servicio=llanquihue
    )
