"""The reference data in fixtures/ is complete and exact."""

from decimal import Decimal

import pytest

from compromisos.models import FormulacionPMG
from servicios.models import Ministerio, Region, Servicio

pytestmark = pytest.mark.django_db


def test_las_16_regiones_de_norte_a_sur(referencias):
    regiones = list(Region.objects.order_by("orden"))
    assert len(regiones) == 16
    assert regiones[0].nombre == "Arica y Parinacota" and regiones[0].numero_romano == "XV"
    assert regiones[-1].nombre.startswith("Magallanes")
    assert {r.codigo for r in regiones} == {f"{n:02d}" for n in range(1, 17)}


def test_un_gobierno_regional_y_un_serviu_por_region(referencias):
    for codigo in ["gobierno-regional", "serviu"]:
        servicios = Servicio.objects.filter(tipo__codigo=codigo)
        assert servicios.count() == 16
        assert servicios.values("region").distinct().count() == 16


def test_gobernaciones_de_todas_las_provincias_menos_santiago(referencias):
    gobernaciones = Servicio.objects.filter(tipo__codigo="gobernacion")
    assert gobernaciones.count() == 55
    assert not gobernaciones.filter(nombre__icontains="Provincial de Santiago").exists()
    assert gobernaciones.filter(region__nombre="Ñuble").count() == 3


def test_servicios_nombrados_en_los_documentos_fuente(referencias):
    osorno = Servicio.objects.get(nombre="Gobernación Provincial de Osorno")
    assert (
        osorno.ministerio.partida == "05"
        and osorno.capitulo == "00"
        and osorno.region.nombre == "Los Lagos"
    )
    dgop = Servicio.objects.get(nombre="Dirección General de Obras Públicas")
    assert dgop.ministerio.partida == "12" and dgop.region is None
    assert Servicio.objects.filter(tipo__codigo="subsecretaria").count() >= 20
    assert Servicio.objects.filter(tipo__codigo="servicio-nacional").count() >= 40
    assert Ministerio.objects.filter(partida="05").exists()


def test_formulacion_2011_de_osorno_como_en_el_documento(referencias):
    formulacion = FormulacionPMG.objects.get(
        servicio__nombre="Gobernación Provincial de Osorno", proceso__anio=2011
    )
    lineas = [
        (fila.sistema, fila.etapa, fila.prioridad, fila.ponderador)
        for fila in formulacion.lineas.order_by("orden")
    ]
    assert lineas == [
        ("Sistema Integral de Información y Atención Ciudadana", 4, "MENOR", Decimal("6.00")),
        ("Sistema Seguridad de la Información", 2, "ALTA", Decimal("20.00")),
        ("Sistema de Monitoreo del Desempeño Institucional", 1, "ALTA", Decimal("50.00")),
        ("Descentralización", 1, "MEDIANA", Decimal("12.00")),
        ("Equidad de Género", 1, "MEDIANA", Decimal("12.00")),
    ]
    formulacion.validar_ponderadores()
    exenciones = [(e.sistema, e.tipo, e.etapa) for e in formulacion.exenciones.order_by("orden")]
    assert exenciones == [
        ("Descentralización", "modificar", 1),
        ("Equidad de Género", "modificar", 1),
        ("Gobierno Electrónico - Tecnologías de Información", "eximir", None),
        ("Sistema Integral de Información y Atención Ciudadana", "modificar", 4),
        ("Sistema de Monitoreo del Desempeño Institucional", "modificar", 1),
    ]
    siac = formulacion.exenciones.get(sistema__startswith="Sistema Integral")
    assert siac.justificacion.startswith(
        "1) La Institución será responsable del cumplimiento de todos los objetivos"
    )
    assert "calidad de atención a la ciudadanía. Deberá considerar" in siac.justificacion
    assert siac.justificacion.endswith("de la etapa 4 de evaluación del Sistema.")
    monitoreo = formulacion.exenciones.get(sistema__startswith="Sistema de Monitoreo")
    assert monitoreo.justificacion.endswith(
        "cumplir las metas comprometidas con dicha Secretaría de Estado."
    )


def test_calendario_2011_distingue_servicios_nacionales_y_gores(referencias):
    from compromisos.selectors import hitos_de_servicio

    formulacion = FormulacionPMG.objects.get(
        servicio__nombre="Gobernación Provincial de Osorno", proceso__anio=2011
    )
    gore = Servicio.objects.get(nombre__startswith="Gobierno Regional de Los Lagos")
    nombres_osorno = [
        h.nombre
        for h in hitos_de_servicio(proceso=formulacion.proceso, servicio=formulacion.servicio)
    ]
    nombres_gore = [h.nombre for h in hitos_de_servicio(proceso=formulacion.proceso, servicio=gore)]
    assert "Entrega informe de factibilidad SSNN" in nombres_osorno
    assert "Entrega informe factibilidad GORES" not in nombres_osorno
    assert "Entrega informe factibilidad GORES" in nombres_gore
    assert (
        "Evaluación del programa anual (SSNN + GORES)" in nombres_osorno
        and "Evaluación del programa anual (SSNN + GORES)" in nombres_gore
    )
