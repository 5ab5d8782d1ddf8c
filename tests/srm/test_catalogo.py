"""The catalog version (srm/catalogo.py): the filters' choices kept until a catalog is written."""

import datetime

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bitacora.services import evento_registrar
from compromisos.models import Proceso, TipoEntregable, plantilla_estandar
from compromisos.selectors import SUPUESTO
from servicios.models import Ministerio, Region, TipoServicio
from srm import catalogo
from tests.conftest import cliente, crear_formulacion, crear_informe
from validacion.services import revision_transicionar

BANDEJA = "/revision/?cartera=todas&estado="


def _consultas(c, url: str) -> int:
    with CaptureQueriesContext(connection) as consultas:
        assert c.get(url).status_code == 200
    return len(consultas)


def test_un_ministerio_nuevo_aparece_en_el_filtro_de_la_bandeja(jefatura, proceso):
    c = cliente(jefatura)
    assert "Ministerio de Pruebas" not in c.get(BANDEJA).content.decode()
    Ministerio.objects.create(nombre="Ministerio de Pruebas", sigla="MINPRU", partida="98")
    assert "Ministerio de Pruebas" in c.get(BANDEJA).content.decode()


def test_un_anio_nuevo_aparece_en_el_filtro_de_la_bandeja(jefatura, proceso):
    c = cliente(jefatura)
    c.get(BANDEJA)
    nuevo = Proceso.objects.create(anio=2031)
    assert f'<option value="{nuevo.pk}">' in c.get(BANDEJA).content.decode()


def test_una_region_renombrada_se_lee_en_el_filtro_de_reportes(jefatura, proceso):
    c = cliente(jefatura)
    region = Region.objects.order_by("pk").first()
    c.get(reverse("reportes:lista"))
    region.nombre = "Región de Pruebas"
    region.save()
    assert "Región de Pruebas" in c.get(reverse("reportes:lista")).content.decode()


def test_una_escritura_del_dia_no_vuelve_a_leer_los_catalogos(jefatura, proceso):
    c = cliente(jefatura)
    c.get(BANDEJA)
    despues_de_leerlos = _consultas(c, BANDEJA)
    # What every transition logs: it moves the tablero's data version, not the catalogs'.
    evento_registrar(
        usuario=jefatura,
        accion="seguridad.fuera_de_alcance",
        objeto=None,
        servicio_id=None,
        descripcion="prueba",
        detalle={},
    )
    assert _consultas(c, BANDEJA) == despues_de_leerlos


def test_la_version_se_mueve_al_escribir_un_catalogo_y_no_vuelve_atras(proceso):
    antes = catalogo.version()
    Ministerio.objects.create(nombre="Ministerio de Pruebas", sigla="MINPRU", partida="98")
    despues = catalogo.version()
    assert despues > antes
    # Lost by the cache (evicted): a new one starts from the clock, past any kept before.
    cache.delete(catalogo.CLAVE)
    assert catalogo.version() > despues


def test_un_anio_nuevo_aparece_en_los_anios_del_inicio(jefatura, proceso):
    c = cliente(jefatura)
    c.get(reverse("inicio"))
    nuevo = Proceso.objects.create(anio=2031)
    assert nuevo in c.get(reverse("inicio")).context["procesos"]


def test_una_migracion_mueve_la_version(db):
    """Data migrations write through historical models, which send no signals."""
    from django.core.management.sql import emit_post_migrate_signal

    antes = catalogo.version()
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    assert catalogo.version() != antes


def test_tras_confirmar_una_escritura_el_pedido_lee_la_version_otra_vez(db):
    """A request that wrote a catalog and read a value inside its transaction reads the
    version again once the write commits (another process may have filled the value in
    between from the data before the write)."""
    from django.test import TestCase

    catalogo._al_empezar_pedido()
    try:
        with TestCase.captureOnCommitCallbacks(execute=True):
            Ministerio.objects.create(nombre="Ministerio de Pruebas", sigla="MP", partida="97")
            dentro = catalogo.version_del_pedido()
        despues = catalogo.version_del_pedido()
        assert despues != dentro
        assert despues == catalogo.version()
    finally:
        catalogo._al_terminar_pedido()


# The homes' calendars, deliverable kinds and their forms are catalogs too: a write to one of
# them shows on the next view.
INICIO = "/"


def _inicio(c) -> str:
    respuesta = c.get(INICIO)
    assert respuesta.status_code == 200
    return respuesta.content.decode()


def test_un_hito_movido_se_ve_en_el_inicio_siguiente_del_servicio(encargado, osorno, proceso):
    crear_formulacion(osorno, proceso)
    c = cliente(encargado)
    assert "11-12-2026" in _inicio(c)
    final = proceso.hitos.get(etapa="final")
    final.fecha_limite = datetime.date(2026, 12, 18)
    final.save()
    contenido = _inicio(c)
    assert "18-12-2026" in contenido and "11-12-2026" not in contenido


def test_un_hito_que_deja_de_aplicar_al_tipo_del_servicio_sale_del_inicio(
    encargado, osorno, proceso
):
    crear_formulacion(osorno, proceso)
    c = cliente(encargado)
    assert "11-12-2026" in _inicio(c)
    # The kinds a hito applies to are a many-to-many: its own signal moves the version.
    proceso.hitos.get(etapa="final").tipos_servicio.add(
        TipoServicio.objects.exclude(pk=osorno.tipo_id).first()
    )
    assert "11-12-2026" not in _inicio(c)


def test_un_hito_movido_se_ve_en_los_pendientes_del_analista(encargado, analista, osorno, proceso):
    informe = crear_informe(crear_formulacion(osorno, proceso))
    revision_transicionar(objeto=informe, accion="enviar", usuario=encargado)
    c = cliente(analista)
    assert "30-06-2026" in _inicio(c)
    avance = proceso.hitos.get(etapa="avance_1")
    avance.fecha_limite = datetime.date(2026, 7, 15)
    avance.save()
    contenido = _inicio(c)
    assert "15-07-2026" in contenido and "30-06-2026" not in contenido


def test_un_entregable_nuevo_o_renombrado_se_ve_en_el_inicio_siguiente(jefatura, proceso):
    c = cliente(jefatura)
    assert "Primer reporte" not in _inicio(c)
    tipo = TipoEntregable.objects.create(
        proceso=proceso,
        clave="avance_1",
        nombre="Primer reporte",
        orden=1,
        formulario=plantilla_estandar(final=False),
    )
    assert "Primer reporte" in _inicio(c)
    tipo.nombre = "Reporte semestral"
    tipo.save()
    contenido = _inicio(c)
    assert "Reporte semestral" in contenido and "Primer reporte" not in contenido


def test_el_supuesto_de_un_formulario_cambiado_se_ve_en_el_inicio_del_servicio(
    encargado, osorno, proceso
):
    plantilla = plantilla_estandar(final=False)
    TipoEntregable.objects.create(
        proceso=proceso, clave="avance_1", nombre="Avance 1", orden=1, formulario=plantilla
    )
    crear_formulacion(osorno, proceso)
    c = cliente(encargado)
    assert f"{SUPUESTO}: un acta" not in _inicio(c)
    plantilla.descripcion = f"{SUPUESTO}: un acta por compromiso."
    plantilla.save()
    assert f"{SUPUESTO}: un acta" in _inicio(c)
