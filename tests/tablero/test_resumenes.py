"""The tablero's running totals (tablero.models) stay equal to the rows they count.

Each test writes through the services and the models as the application does, then compares
every stored total with the same totals computed from scratch.
"""

import datetime
import threading
import time

import pytest
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.utils import timezone

from compromisos import services as compromisos_services
from compromisos.models import (
    AvanceCompromiso,
    Compromiso,
    FormulacionPMG,
    Hito,
    InformeAvance,
)
from servicios.models import Servicio
from tablero import cache, resumenes
from tablero.models import ResumenFormulacion, ResumenInforme
from tablero.tasks import recalcular_resumenes
from tests.conftest import ANIO, crear_formulacion
from validacion import services as validacion_services
from validacion.models import Observacion, ValidacionIniciativa

pytestmark = pytest.mark.django_db


def guardados() -> tuple[dict, dict]:
    formulaciones = {
        fila.pop("formulacion_id"): fila for fila in ResumenFormulacion.objects.values()
    }
    informes = {fila.pop("informe_id"): fila for fila in ResumenInforme.objects.values()}
    return formulaciones, informes


def recalculados() -> tuple[dict, dict]:
    def sin_prefijo(fila: dict) -> dict:
        fila.pop("anio")  # which year's figures to invalidate, not a column
        return {clave.removeprefix("nuevo_"): valor for clave, valor in fila.items()}

    formulaciones = {
        fila.pop("pk"): sin_prefijo(fila)
        for fila in resumenes.totales_de_formulaciones(FormulacionPMG.objects.all())
    }
    informes = {
        fila.pop("pk"): sin_prefijo(fila)
        for fila in resumenes.totales_de_informes(InformeAvance.objects.all())
    }
    return formulaciones, informes


def assert_al_dia() -> None:
    formulaciones, informes = guardados()
    esperadas, esperados = recalculados()
    # Every formulación and informe has its row, and every row its counts.
    assert formulaciones == esperadas
    assert informes == esperados


def test_el_anio_construido_con_servicios_y_modelos_queda_al_dia(anio_tablero):
    assert_al_dia()
    osorno = FormulacionPMG.objects.get(servicio=anio_tablero["osorno"], proceso__anio=2026)
    assert ResumenFormulacion.objects.get(formulacion=osorno).validacion_parcial == 1
    informe = InformeAvance.objects.get(formulacion=osorno, periodo="avance_1")
    resumen = ResumenInforme.objects.get(informe=informe)
    assert (resumen.avance_suma, resumen.avances) == (100, 2)


def test_observaciones_respondidas_resueltas_y_borradas(anio_tablero, analista):
    informe = InformeAvance.objects.get(
        formulacion__servicio=anio_tablero["llanquihue"], periodo="avance_1"
    )
    observacion = informe.observaciones.get()
    encargado = informe.formulacion.servicio.membresias.get().usuario
    validacion_services.observacion_responder(
        observacion=observacion, texto="Se adjunta el acta.", usuario=encargado
    )
    assert ResumenInforme.objects.get(informe=informe).observaciones_respondidas == 1
    validacion_services.observacion_resolver(observacion=observacion, usuario=analista)
    resumen = ResumenInforme.objects.get(informe=informe)
    assert (resumen.observaciones_respondidas, resumen.observaciones_resueltas) == (0, 1)
    Observacion.objects.filter(pk=observacion.pk).get().delete()
    assert ResumenInforme.objects.get(informe=informe).observaciones_resueltas == 0
    assert_al_dia()


def test_avances_guardados_por_el_servicio(anio_tablero):
    informe = InformeAvance.objects.get(
        formulacion__servicio=anio_tablero["economia"], periodo="avance_1"
    )
    avance = informe.avances.get()
    encargado = informe.formulacion.servicio.membresias.get().usuario
    compromisos_services.informe_guardar(
        informe=informe,
        avances={
            avance.pk: {
                "porcentaje": 55,
                "desarrollo_alcanzado": "Convenio firmado.",
                "dificultades": "",
                "proximos_pasos": "",
            }
        },
        resumen=None,
        usuario=encargado,
    )
    assert ResumenInforme.objects.get(informe=informe).avance_suma == 55
    assert_al_dia()


def test_compromisos_reclasificados_y_eliminados(anio_tablero, encargado):
    # A formulación still in draft: its compromisos can change and go.
    formulacion = FormulacionPMG.objects.get(servicio=anio_tablero["osorno"], proceso__anio=2025)
    compromiso = formulacion.compromisos.order_by("codigo").first()
    compromiso.complejidad = Compromiso.Complejidad.MAYOR
    compromiso.save()
    assert ResumenFormulacion.objects.get(formulacion=formulacion).complejidad_mayor == 1
    compromisos_services.compromiso_eliminar(compromiso=compromiso, usuario=encargado)
    resumen = ResumenFormulacion.objects.get(formulacion=formulacion)
    assert (resumen.compromisos, resumen.complejidad_mayor) == (3, 0)
    assert_al_dia()


def test_veredictos_cambiados_y_retirados(anio_tablero):
    formulacion = FormulacionPMG.objects.get(servicio=anio_tablero["osorno"], proceso__anio=2026)
    veredicto = ValidacionIniciativa.objects.get(
        compromiso__formulacion=formulacion, resultado="parcial"
    )
    veredicto.resultado = "cumple"
    veredicto.save()
    assert ResumenFormulacion.objects.get(formulacion=formulacion).validacion_cumple == 2
    veredicto.delete()
    resumen = ResumenFormulacion.objects.get(formulacion=formulacion)
    # Counting only the compromiso of the verdict would give 0 compromisos here.
    assert (resumen.compromisos, resumen.validacion_cumple) == (2, 1)
    assert_al_dia()


def test_informe_abierto_por_el_servicio_cuenta_sus_avances(
    formulacion_osorno, encargado, analista
):
    """informe_abrir creates the avances in bulk (no post_save): the totals still follow."""
    formulacion = formulacion_osorno
    for accion, usuario in (("enviar", encargado), ("tomar", analista), ("aprobar", analista)):
        formulacion = validacion_services.revision_transicionar(
            objeto=formulacion, accion=accion, usuario=usuario
        )
    hoy = timezone.localdate()
    Hito.objects.filter(proceso=formulacion.proceso, etapa="avance_2").update(
        fecha_inicio=hoy - datetime.timedelta(days=1), fecha_limite=hoy + datetime.timedelta(days=9)
    )
    informe = compromisos_services.informe_abrir(
        formulacion=formulacion, periodo="avance_2", usuario=encargado
    )
    assert ResumenInforme.objects.get(informe=informe).avances == 2
    assert_al_dia()


@pytest.mark.django_db(transaction=True)
def test_borrar_una_formulacion_entera_no_deja_totales_huerfanos(osorno, proceso, analista):
    """Deleting cascades to avances and compromisos, whose signals must not recreate
    the totals being deleted (PostgreSQL checks foreign keys at commit: this test commits)."""
    formulacion = crear_formulacion(osorno, proceso, compromisos=3)
    informe = InformeAvance.objects.create(formulacion=formulacion, periodo="avance_1")
    AvanceCompromiso.objects.create(
        informe=informe, compromiso=formulacion.compromisos.first(), porcentaje=20
    )
    Observacion.objects.create(informe=informe, texto="Falta el acta.", autor=analista).delete()
    formulacion_pk, informe_pk = formulacion.pk, informe.pk
    informe.delete()  # with its avances
    formulacion.delete()  # with its compromisos
    assert not ResumenFormulacion.objects.filter(pk=formulacion_pk).exists()
    assert not ResumenInforme.objects.filter(pk=informe_pk).exists()
    assert_al_dia()


def test_la_reconstruccion_nocturna_corrige_lo_escrito_por_fuera(anio_tablero):
    """SQL by hand (no signal) leaves totals behind until the nightly task rebuilds them."""
    Compromiso.objects.update(complejidad=Compromiso.Complejidad.MAYOR)
    AvanceCompromiso.objects.update(porcentaje=100)
    with pytest.raises(AssertionError):
        assert_al_dia()
    assert recalcular_resumenes.delay().get() == {
        "formulaciones": FormulacionPMG.objects.count(),
        "informes": InformeAvance.objects.count(),
    }
    assert_al_dia()
    assert ResumenFormulacion.objects.filter(complejidad_mediana__gt=0).count() == 0


def test_el_comando_recalcula_un_anio(anio_tablero):
    ResumenInforme.objects.update(avance_suma=0, avances=0)
    ResumenFormulacion.objects.update(compromisos=0)
    call_command("recalcular_resumenes", "--anio", "2026", stdout=None)
    formulaciones, informes = guardados()
    esperadas, esperados = recalculados()
    del_anio = set(FormulacionPMG.objects.filter(proceso__anio=2026).values_list("pk", flat=True))
    assert {pk: f for pk, f in formulaciones.items() if pk in del_anio} == {
        pk: f for pk, f in esperadas.items() if pk in del_anio
    }
    assert informes == esperados
    # Other years were left as they were.
    anterior = FormulacionPMG.objects.get(proceso__anio=2025)
    assert formulaciones[anterior.pk]["compromisos"] == 0


def test_el_primer_envio_de_la_formulacion_no_se_mueve_al_reenviarla(
    osorno, proceso, analista, encargado
):
    """The tracker's day of the formulación is the first submission's, in Chile's time: sent
    at 23:30 on 14 March it was sent on the 14th (already the 15th in UTC), and the
    correction sent on 20 March does not move it."""
    formulacion = crear_formulacion(osorno, proceso, compromisos=1)
    assert ResumenFormulacion.objects.get(formulacion=formulacion).dia_primer_envio is None
    chile = timezone.get_current_timezone()
    for accion, usuario, dia, comentario in [
        ("enviar", encargado, 14, ""),
        ("tomar", analista, 15, ""),
        ("observar", analista, 15, "Falta el acta."),
        ("enviar", encargado, 20, ""),
    ]:
        formulacion = validacion_services.revision_transicionar(
            objeto=formulacion,
            accion=accion,
            usuario=usuario,
            comentario=comentario,
            momento=datetime.datetime(ANIO, 3, dia, 23, 30, tzinfo=chile),
        )
    assert timezone.localdate(formulacion.enviada_en) == datetime.date(ANIO, 3, 20)
    resumen = ResumenFormulacion.objects.get(formulacion=formulacion)
    assert resumen.dia_primer_envio == datetime.date(ANIO, 3, 14)
    assert_al_dia()


def test_cada_opcion_de_compromiso_tiene_su_columna():
    campos = {campo.name for campo in ResumenFormulacion._meta.get_fields()}
    assert set(resumenes.CONTEOS_COMPROMISOS) <= campos
    # formulacion, compromisos, dia_primer_envio
    assert len(resumenes.CONTEOS_COMPROMISOS) == len(campos) - 3


def test_beat_recalcula_los_totales_cada_noche(settings):
    from srm.celery import app

    (entrada,) = [
        e
        for e in settings.CELERY_BEAT_SCHEDULE.values()
        if e["task"] == "tablero.tasks.recalcular_resumenes"
    ]
    assert entrada["task"] in app.tasks
    assert entrada["schedule"].hour == {3}


def test_un_compromiso_o_un_avance_movido_por_la_administracion(anio_tablero):
    """The admin can change a compromiso's formulación and an avance's informe: the old
    parent's totals follow as well as the new one's."""
    osorno = FormulacionPMG.objects.get(servicio=anio_tablero["osorno"], proceso__anio=2025)
    gore = FormulacionPMG.objects.get(servicio=anio_tablero["gore"], proceso__anio=2026)
    compromiso = Compromiso.objects.get(formulacion=osorno, codigo="C04")
    compromiso.formulacion = gore
    compromiso.codigo = "C09"
    compromiso.save()
    assert ResumenFormulacion.objects.get(formulacion=osorno).compromisos == 3
    assert ResumenFormulacion.objects.get(formulacion=gore).compromisos == 3
    avance = AvanceCompromiso.objects.filter(
        informe__formulacion__servicio=anio_tablero["osorno"]
    ).first()
    destino = InformeAvance.objects.get(formulacion__servicio=anio_tablero["llanquihue"])
    origen = avance.informe_id
    avance.informe = destino
    avance.save()
    assert ResumenInforme.objects.get(informe=origen).avances == 1
    assert ResumenInforme.objects.get(informe=destino).avances == 4
    assert_al_dia()


@pytest.mark.django_db(transaction=True)
def test_dos_observaciones_del_mismo_informe_cambiadas_a_la_vez(osorno, proceso, analista):
    """Two transactions change remarks of one informe at once: the second counts after the
    first commits (the totals' row is locked first), so neither change is lost."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers: no two transactions write at once.")
    formulacion = crear_formulacion(osorno, proceso, compromisos=1)
    informe = InformeAvance.objects.create(formulacion=formulacion, periodo="avance_1")
    a, b = (
        Observacion.objects.create(informe=informe, texto=texto, autor=analista)
        for texto in ("Falta el acta.", "Falta la firma.")
    )
    primera_escribio = threading.Event()

    def resolver_a() -> None:
        try:
            with transaction.atomic():
                a.estado = Observacion.Estado.RESUELTA
                a.save()
                primera_escribio.set()
                time.sleep(0.5)  # the other transaction counts meanwhile
        finally:
            connections.close_all()

    hilo = threading.Thread(target=resolver_a)
    hilo.start()
    primera_escribio.wait(5)
    with transaction.atomic():
        b.estado = Observacion.Estado.RESPONDIDA
        b.save()
    hilo.join()
    resumen = ResumenInforme.objects.get(informe=informe)
    assert (
        resumen.observaciones_abiertas,
        resumen.observaciones_respondidas,
        resumen.observaciones_resueltas,
    ) == (0, 1, 1)


def test_una_formulacion_movida_a_otro_servicio_invalida_la_tendencia(anio_tablero):
    """Only the servicio changes, the year stays: every year's trend row must be dropped."""
    formulacion = FormulacionPMG.objects.get(servicio=anio_tablero["gore"])
    otro = Servicio.objects.exclude(formulaciones__isnull=False).first()
    antes = cache.version(cache.CLAVE_SERVICIOS)
    formulacion.servicio = otro
    formulacion.save()
    assert cache.version(cache.CLAVE_SERVICIOS) != antes
