"""Data for the tablero tests, built by hand so that every figure can be counted on paper."""

import datetime

import pytest
from django.utils import timezone

from compromisos.models import AvanceCompromiso, Hito, Proceso
from servicios.models import Cartera, Membresia, Servicio
from tests.conftest import ANIO, crear_formulacion, crear_informe, crear_usuario
from validacion.models import ValidacionIniciativa, ValidacionServicio
from validacion.services import observacion_crear, revision_transicionar


def momento(fecha: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(fecha, datetime.time(12, 0)))


def llevar(informe, acciones, encargado, analista, fecha: datetime.date):
    """Take an informe through SUBDERE's transitions, the first one on `fecha`."""
    for accion in acciones:
        actor = encargado if accion == "enviar" else analista
        if accion == "observar":
            observacion_crear(informe=informe, texto="Falta el acta firmada.", usuario=analista)
        informe = revision_transicionar(
            objeto=informe, accion=accion, usuario=actor, momento=momento(fecha)
        )
    return informe


def encargado_de(servicio: Servicio):
    usuario = crear_usuario(f"encargado_{servicio.pk}", "servicio")
    Membresia.objects.create(usuario=usuario, servicio=servicio)
    return usuario


def clasificar(compromisos, **campos) -> None:
    """Edit compromisos as the formulación form does: one save each (the totals follow)."""
    for compromiso in compromisos:
        for campo, valor in campos.items():
            setattr(compromiso, campo, valor)
        compromiso.save()


@pytest.fixture
def anio_tablero(proceso, analista, osorno, llanquihue, consultora):
    """Four servicios of the 2026 proceso, their informe de avance 1 and their compromisos.

    | servicio                | tipo / región        | avance 1 (plazo 30-06)    | avance % |
    | Osorno                  | gobernación · X      | enviado 28-06, aprobado   | 40, 60   |
    | Llanquihue              | gobernación · X      | enviado 05-07 (tarde), observado (1 obs. abierta) | 10, 30, 50 |
    | Subsecretaría Economía | subsecretaría · nac., MINECON | borrador                  | 100      |
    | GORE Arica y Parinacota | gobierno reg. · XV   | sin informe               | —        |

    Compromisos: Osorno 2 (inmediata/infraestructura/descentralización; the second one mayor/
    cultura/desconcentración), Llanquihue 3 (all mediana/fomento productivo), Economía 1, GORE 2.
    Validación: Osorno C01 cumple, C02 parcial; Llanquihue C01 no cumple. Everything else is Ministerio del Interior.
    Osorno also has a 2025 formulación (trend).
    """
    economia = Servicio.objects.get(nombre="Subsecretaría de Economía y Empresas de Menor Tamaño")
    gore = Servicio.objects.get(nombre="Gobierno Regional de Arica y Parinacota")
    personas = {s.pk: encargado_de(s) for s in (osorno, llanquihue, economia, gore)}
    for servicio in (llanquihue, economia, gore):
        Cartera.objects.create(anio=ANIO, rol="analista", usuario=analista, servicio=servicio)
    analista.__dict__.pop("_srm_cartera", None)

    osorno_f = crear_formulacion(osorno, proceso, compromisos=2)
    clasificar(
        osorno_f.compromisos.filter(codigo="C02"),
        complejidad="mayor",
        ambito="cultura",
        tipo_medida="desconcentracion",
    )
    llanquihue_f = crear_formulacion(llanquihue, proceso, compromisos=3)
    clasificar(llanquihue_f.compromisos.all(), complejidad="mediana", ambito="fomento_productivo")
    economia_f = crear_formulacion(economia, proceso, compromisos=1)
    crear_formulacion(gore, proceso, compromisos=2)

    plazo = datetime.date(ANIO, 6, 30)
    osorno_i = llevar(
        crear_informe(osorno_f),
        ["enviar", "tomar", "aprobar"],
        personas[osorno.pk],
        analista,
        plazo - datetime.timedelta(days=2),
    )
    llanquihue_i = llevar(
        crear_informe(llanquihue_f),
        ["enviar", "tomar", "observar"],
        personas[llanquihue.pk],
        analista,
        plazo + datetime.timedelta(days=5),
    )
    economia_i = crear_informe(economia_f)
    for informe, porcentajes in (
        (osorno_i, [40, 60]),
        (llanquihue_i, [10, 30, 50]),
        (economia_i, [100]),
    ):
        for avance, porcentaje in zip(
            AvanceCompromiso.objects.filter(informe=informe).order_by("compromiso__codigo"),
            porcentajes,
            strict=True,
        ):
            avance.porcentaje = porcentaje
            avance.save(update_fields=["porcentaje"])

    for formulacion, veredictos in (
        (osorno_f, ["cumple", "parcial"]),
        (llanquihue_f, ["no_cumple"]),
    ):
        validacion = ValidacionServicio.objects.create(formulacion=formulacion)
        for compromiso, resultado in zip(
            formulacion.compromisos.order_by("codigo"), veredictos, strict=False
        ):
            ValidacionIniciativa.objects.create(
                validacion=validacion,
                compromiso=compromiso,
                resultado=resultado,
                fundamento="Medios revisados.",
                consultora=consultora,
            )

    anterior = Proceso.objects.create(anio=ANIO - 1)
    Hito.objects.create(
        proceso=anterior,
        etapa="avance_1",
        nombre="Avance 1",
        fecha_limite=datetime.date(ANIO - 1, 6, 30),
    )
    crear_formulacion(osorno, anterior, compromisos=4)
    return {
        "osorno": osorno,
        "llanquihue": llanquihue,
        "economia": economia,
        "gore": gore,
        "proceso": proceso,
    }
