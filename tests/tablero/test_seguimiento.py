"""The hitos tracker: on time, late, missing or pending for each servicio and hito, with
deadlines by kind of servicio and extensions, and what is due in the next two weeks."""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from compromisos.models import Hito, Proceso
from servicios.models import Servicio, TipoServicio
from srm.excel import FILA_ENCABEZADO
from tablero.templatetags.tablero_enlaces import enlace_a
from tests.conftest import crear_formulacion, crear_informe
from tests.tablero.conftest import encargado_de, llevar, momento

pytestmark = pytest.mark.django_db

ANIO_SEGUIDO = 2031
URL = reverse("tablero:seguimiento")


@pytest.fixture
def calendario(referencias):
    """Deadlines around today, so the situations do not depend on the date the suite runs."""
    hoy = timezone.localdate()
    proceso = Proceso.objects.create(anio=ANIO_SEGUIDO)
    gore = TipoServicio.objects.get(codigo="gobierno-regional")
    otros = TipoServicio.objects.exclude(pk=gore.pk)
    formulacion_nacional = Hito.objects.create(
        proceso=proceso,
        etapa="formulacion",
        nombre="Formulación (SSNN)",
        fecha_limite=hoy - datetime.timedelta(days=90),
    )
    formulacion_nacional.tipos_servicio.set(otros)
    formulacion_gore = Hito.objects.create(
        proceso=proceso,
        etapa="formulacion",
        nombre="Formulación (GORE)",
        fecha_limite=hoy - datetime.timedelta(days=60),
    )
    formulacion_gore.tipos_servicio.set([gore])
    for etapa, dias in (("avance_1", -30), ("avance_2", 5), ("avance_3", 40), ("final", 80)):
        Hito.objects.create(
            proceso=proceso,
            etapa=etapa,
            nombre=f"Entrega {etapa}",
            fecha_limite=hoy + datetime.timedelta(days=dias),
        )
    Hito.objects.create(
        proceso=proceso,
        etapa="programa_trabajo",
        nombre="Jornada regional",
        fecha_limite=hoy + datetime.timedelta(days=10),
    )
    return proceso


@pytest.fixture
def servicios_seguidos(calendario, analista):
    """Osorno: everything on time. Llanquihue: formulación late, avance 1 missing.
    GORE Arica: formulación on time for GORE (after the SSNN deadline), avance 1 late,
    avance 2 already sent. Economía: avance 1 missing but extended to next week."""
    from servicios.models import Cartera

    hoy = timezone.localdate()
    nombres = [
        "Gobernación Provincial de Osorno",
        "Gobernación Provincial de Llanquihue",
        "Gobierno Regional de Arica y Parinacota",
        "Subsecretaría de Economía y Empresas de Menor Tamaño",
    ]
    servicios = {s.nombre: s for s in Servicio.objects.filter(nombre__in=nombres)}
    osorno, llanquihue, gore, economia = (servicios[n] for n in nombres)
    for servicio in servicios.values():
        Cartera.objects.create(
            anio=ANIO_SEGUIDO, rol="analista", usuario=analista, servicio=servicio
        )
    analista.__dict__.pop("_srm_cartera", None)
    from validacion.services import revision_transicionar

    def formular(servicio, dias_antes_de_hoy):
        formulacion = crear_formulacion(servicio, calendario)
        encargado = encargado_de(servicio)
        revision_transicionar(
            objeto=formulacion,
            accion="enviar",
            usuario=encargado,
            momento=momento(hoy - datetime.timedelta(days=dias_antes_de_hoy)),
        )
        return formulacion, encargado

    osorno_f, osorno_e = formular(osorno, 95)
    llanquihue_f, _ = formular(llanquihue, 80)
    gore_f, gore_e = formular(gore, 70)
    economia_f = crear_formulacion(economia, calendario)
    encargado_de(economia)
    llevar(
        crear_informe(osorno_f), ["enviar"], osorno_e, analista, hoy - datetime.timedelta(days=31)
    )
    llevar(crear_informe(gore_f), ["enviar"], gore_e, analista, hoy - datetime.timedelta(days=25))
    llevar(
        crear_informe(gore_f, "avance_2"),
        ["enviar"],
        gore_e,
        analista,
        hoy - datetime.timedelta(days=1),
    )
    informe = crear_informe(economia_f)
    # As the administration grants it (admin form: a save).
    informe.prorroga_hasta = hoy + datetime.timedelta(days=7)
    informe.save(update_fields=["prorroga_hasta"])
    return {"osorno": osorno, "llanquihue": llanquihue, "gore": gore, "economia": economia}


def situaciones(respuesta) -> dict[str, dict[str, str]]:
    return {
        fila["servicio"].split(" ")[-1]: {c["etapa"]: c["situacion"] for c in fila["celdas"]}
        for fila in respuesta.context["filas"]
    }


def test_cada_servicio_en_cada_hito(jefatura, servicios_seguidos):
    respuesta = jefatura_get(jefatura)
    assert situaciones(respuesta) == {
        "Osorno": {
            "formulacion": "a_tiempo",
            "avance_1": "a_tiempo",
            "avance_2": "pendiente",
            "avance_3": "pendiente",
            "final": "pendiente",
        },
        "Llanquihue": {
            "formulacion": "atrasado",
            "avance_1": "falta",
            "avance_2": "pendiente",
            "avance_3": "pendiente",
            "final": "pendiente",
        },
        "Parinacota": {
            "formulacion": "a_tiempo",
            "avance_1": "atrasado",
            "avance_2": "a_tiempo",
            "avance_3": "pendiente",
            "final": "pendiente",
        },
        "Tamaño": {
            "formulacion": "falta",
            "avance_1": "pendiente",
            "avance_2": "pendiente",
            "avance_3": "pendiente",
            "final": "pendiente",
        },
    }


def jefatura_get(jefatura, **filtros):
    from tests.conftest import cliente

    # The rows are read from the context, which only a cache miss computes.
    cache.clear()
    respuesta = cliente(jefatura).get(URL, {"anio": ANIO_SEGUIDO, **filtros})
    assert respuesta.status_code == 200
    return respuesta


def test_el_plazo_de_cada_servicio_es_el_de_su_tipo_o_su_prorroga(jefatura, servicios_seguidos):
    hoy = timezone.localdate()
    filas = {f["servicio"].split(" ")[-1]: f for f in jefatura_get(jefatura).context["filas"]}
    plazo = {
        nombre: {c["etapa"]: c["plazo"] for c in fila["celdas"]} for nombre, fila in filas.items()
    }
    assert plazo["Parinacota"]["formulacion"] == hoy - datetime.timedelta(days=60)
    assert plazo["Osorno"]["formulacion"] == hoy - datetime.timedelta(days=90)
    assert plazo["Tamaño"]["avance_1"] == hoy + datetime.timedelta(days=7)
    assert plazo["Osorno"]["avance_1"] == hoy - datetime.timedelta(days=30)


def test_itinerario_con_conteos_por_hito(jefatura, servicios_seguidos):
    hitos = {h.nombre: h for h in jefatura_get(jefatura).context["calendario"]["hitos"]}
    assert hitos["Formulación (SSNN)"].conteos["a_tiempo"] == 1
    assert hitos["Formulación (SSNN)"].conteos["atrasado"] == 1
    assert hitos["Formulación (SSNN)"].conteos["falta"] == 1
    assert hitos["Formulación (GORE)"].conteos["a_tiempo"] == 1
    assert hitos["Entrega avance_1"].conteos == {
        "a_tiempo": 1,
        "atrasado": 1,
        "falta": 1,
        "pendiente": 1,
        "no_aplica": 0,
    }
    # Economía's avance 1 was extended to next week: past the hito's date, but still pending.
    assert sum(hitos["Entrega avance_1"].conteos.values()) == 4
    assert not hitos["Jornada regional"].es_seguido
    assert [t.nombre for t in hitos["Formulación (GORE)"].tipos_servicio.all()] == [
        "Gobierno regional"
    ]


def test_lo_que_vence_en_dos_semanas(jefatura, servicios_seguidos):
    calendario = jefatura_get(jefatura).context["calendario"]
    proximos = {h.nombre: h for h in calendario["proximos"]}
    assert set(proximos) == {"Entrega avance_2", "Jornada regional"}
    assert proximos["Entrega avance_2"].por_entregar == 3


@pytest.mark.parametrize(
    "etapa, situacion, cantidad",
    [("avance_1", "falta", 1), ("formulacion", "a_tiempo", 2), ("avance_2", "pendiente", 3)],
)
def test_cada_conteo_lleva_a_sus_servicios(
    jefatura, servicios_seguidos, etapa, situacion, cantidad
):
    respuesta = jefatura_get(jefatura, etapa=etapa, situacion=situacion)
    assert len(respuesta.context["filas"]) == cantidad
    assert all(
        c["situacion"] == situacion
        for fila in respuesta.context["filas"]
        for c in fila["celdas"]
        if c["etapa"] == etapa
    )


def test_los_enlaces_del_itinerario_coinciden_con_sus_conteos(jefatura, servicios_seguidos):
    from tests.conftest import cliente

    c = cliente(jefatura)
    respuesta = jefatura_get(jefatura)
    contenido = respuesta.content.decode()
    for hito in respuesta.context["calendario"]["hitos"]:
        if not hito.es_seguido:
            continue
        for situacion, cantidad in hito.conteos.items():
            if situacion == "no_aplica":
                continue
            enlace = enlace_a(
                "tablero:seguimiento",
                respuesta.context["consulta"],
                etapa=hito.etapa,
                situacion=situacion,
                hito=hito.pk,
            )
            assert enlace.replace("&", "&amp;") in contenido
            assert len(c.get(enlace).context["filas"]) == cantidad


def test_filtro_por_tipo(jefatura, servicios_seguidos):
    tipo = servicios_seguidos["gore"].tipo
    assert list(situaciones(jefatura_get(jefatura, tipo=tipo.pk))) == ["Parinacota"]


def test_el_seguimiento_se_exporta_a_excel(jefatura, servicios_seguidos):
    import io

    from openpyxl import load_workbook

    respuesta = jefatura_get(jefatura, formato="xlsx")
    libro = load_workbook(io.BytesIO(respuesta.content))
    hoja = libro["Seguimiento"]
    assert hoja.max_row == FILA_ENCABEZADO + 4
    assert hoja.freeze_panes == f"A{FILA_ENCABEZADO + 1}"
    plazos = [fila[3] for fila in hoja.iter_rows(min_row=FILA_ENCABEZADO + 1, values_only=True)]
    assert all(isinstance(p, datetime.datetime) for p in plazos)
    assert libro["Calendario"].max_row == FILA_ENCABEZADO + 7


def test_la_entrega_cuenta_el_dia_de_chile(jefatura, calendario, referencias):
    """An informe sent at 23:30 in Santiago on its deadline is on time, although it is already
    the next day in UTC (the database turns the moment into Chile's date)."""
    servicio = Servicio.objects.filter(tipo__codigo="gobierno-regional").first()
    encargado_de(servicio)
    informe = crear_informe(crear_formulacion(servicio, calendario), periodo="avance_1")
    plazo = Hito.objects.get(proceso=calendario, etapa="avance_1").fecha_limite
    tarde_en_santiago = timezone.make_aware(datetime.datetime.combine(plazo, datetime.time(23, 30)))
    assert tarde_en_santiago.astimezone(datetime.UTC).date() > plazo
    informe.enviado_en = tarde_en_santiago
    informe.save()
    cache.clear()
    (fila,) = jefatura_get(jefatura).context["filas"]
    (celda,) = [c for c in fila["celdas"] if c["etapa"] == "avance_1"]
    assert (celda["situacion"], celda["envio"]) == ("a_tiempo", plazo)


def test_la_formulacion_2011_de_osorno_llego_a_tiempo_segun_su_historia(jefatura):
    """The seed's formulación is approved: the fixture carries the sending its history implies,
    and the totals rebuilt after loaddata (as `make run` does) show it delivered on time."""
    from django.core.management import call_command

    from compromisos.models import FormulacionPMG
    from tests.conftest import cliente

    formulacion = FormulacionPMG.objects.get(
        servicio__nombre="Gobernación Provincial de Osorno", proceso__anio=2011
    )
    assert timezone.localdate(formulacion.enviada_en) == datetime.date(2011, 3, 31)
    assert formulacion.creado < formulacion.enviada_en < formulacion.actualizado
    call_command("recalcular_resumenes", anio=[2011], verbosity=0)
    cache.clear()
    respuesta = cliente(jefatura).get(URL, {"anio": 2011})
    # Osorno's is the only formulación of 2011; the other rows are the universe's «Falta».
    (fila,) = [f for f in respuesta.context["filas"] if not f["sin_formulacion"]]
    celda = next(c for c in fila["celdas"] if c["etapa"] == "formulacion")
    assert celda["situacion"] == "a_tiempo"
    assert celda["detalle"] == "entregado 31-03-2011"
