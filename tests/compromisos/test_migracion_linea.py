"""Compromisos move onto their formulación's Descentralización line with nothing lost; those of a
formulación without such a line stay and are reported (issue 15, point 3)."""

import io

import pytest
from django.core.management import call_command

from compromisos.models import Compromiso, LineaFormulacion
from tests.migraciones import migrar, migrar_a_lo_ultimo

# Later tests need the latest schema: each test here ends there, whatever it migrated to.
pytestmark = pytest.mark.usefixtures("al_final_todas_las_migraciones")

ANTES = [
    ("compromisos", "0007_indice_bandeja"),
    ("validacion", "0008_observacion_formulacion_requerida"),
]
DESPUES = [
    ("compromisos", "0008_compromisos_en_la_linea_descentralizacion"),
    ("validacion", "0010_veredictos_de_requisitos"),
]
CAMPOS = ["pk", "formulacion_id", "codigo", "nombre", "descripcion", "tipo_medida", "meta"]


def _lineas_por_compromiso() -> dict[str, str | None]:
    return {
        f"{c.formulacion.servicio.nombre.rsplit(' de ', 1)[-1]}·{c.codigo}": c.linea.sistema
        if c.linea
        else None
        for c in Compromiso.objects.select_related("linea", "formulacion__servicio")
    }


@pytest.mark.django_db(transaction=True)
def test_los_compromisos_pasan_a_su_linea_descentralizacion_ida_y_vuelta(referencias):
    apps = migrar(ANTES).loader.project_state(ANTES).apps
    Servicio = apps.get_model("servicios", "Servicio")
    Proceso = apps.get_model("compromisos", "Proceso")
    Formulacion = apps.get_model("compromisos", "FormulacionPMG")
    Linea = apps.get_model("compromisos", "LineaFormulacion")
    CompromisoAntes = apps.get_model("compromisos", "Compromiso")
    Sistema = apps.get_model("programa", "SistemaPMG")
    # A year of its own (the references hold Osorno's 2011); the 2011 catalogue's sistemas.
    proceso = Proceso.objects.create(anio=2013)
    catalogo = {s.nombre: s for s in Sistema.objects.filter(area__marco__programa__anio=2011)}

    def formulacion(sufijo: str, lineas: list[tuple[str, object]]):
        nueva = Formulacion.objects.create(
            servicio=Servicio.objects.get(nombre=f"Gobernación Provincial de {sufijo}"),
            proceso=proceso,
        )
        for orden, (sistema, del_catalogo) in enumerate(lineas, start=1):
            Linea.objects.create(
                formulacion=nueva,
                sistema_catalogo=del_catalogo,
                area="Planificación / Control de Gestión",
                sistema=sistema,
                etapa=1,
                prioridad="ALTA",
                ponderador=100 // len(lineas),
                orden=orden,
            )
        for numero in (1, 2):
            CompromisoAntes.objects.create(
                formulacion=nueva,
                codigo=f"C{numero:02d}",
                nombre=f"Iniciativa {numero} de {sufijo}",
                descripcion="Traspasar una ventanilla.",
                tipo_medida="descentralizacion",
                complejidad="inmediata",
                ambito="infraestructura",
                meta="Ñandú",
            )
        return nueva

    # From the catalogue, Descentralización second: the catalogue decides, not the order.
    siac = "Sistema Integral de Información y Atención Ciudadana"
    formulacion(
        "Osorno", [(siac, catalogo[siac]), ("Descentralización", catalogo["Descentralización"])]
    )
    # Written before the catalogue: by its name, as people write it.
    formulacion("Llanquihue", [("descentralizacion ", None)])
    # No Descentralización line at all: kept, without line, and reported.
    sin_linea = formulacion("Chiloé", [("Gestión Territorial", None)])
    antes = sorted(CompromisoAntes.objects.values_list(*CAMPOS))

    for _vuelta in range(2):
        migrar(DESPUES)
        # Nothing lost, and each compromiso on its formulación's Descentralización line.
        assert sorted(Compromiso.objects.values_list(*CAMPOS)) == antes
        assert _lineas_por_compromiso() == {
            "Osorno·C01": "Descentralización",
            "Osorno·C02": "Descentralización",
            "Llanquihue·C01": "descentralizacion ",
            "Llanquihue·C02": "descentralizacion ",
            "Chiloé·C01": None,
            "Chiloé·C02": None,
        }
        # Back: the column goes, the compromisos stay in their formulación.
        migrar(ANTES)
        assert sorted(CompromisoAntes.objects.values_list(*CAMPOS)) == antes

    # The command is today's code: it runs on today's schema (later migrations add columns
    # its models read, such as Proceso.programa).
    migrar_a_lo_ultimo()
    salida = io.StringIO()
    call_command("compromisos_sin_linea", stdout=salida)
    texto = salida.getvalue()
    assert "Compromisos vinculados a la línea Descentralización: 0." in texto
    assert "Formulaciones con compromisos y sin línea Descentralización: 1." in texto
    assert "2013 · Gobernación Provincial de Chiloé" in texto and "C01, C02" in texto
    assert Compromiso.objects.count() == 6

    # The servicio (or the Unidad) adds the line: the command attaches them, nothing else moves.
    LineaFormulacion.objects.create(
        formulacion_id=sin_linea.pk,
        area="Planificación / Control de Gestión",
        sistema="Descentralización",
        etapa=2,
        prioridad="ALTA",
        ponderador=50,
        orden=2,
    )
    salida = io.StringIO()
    call_command("compromisos_sin_linea", stdout=salida)
    assert "Compromisos vinculados a la línea Descentralización: 2." in salida.getvalue()
    assert "Todos los compromisos cuelgan de su línea Descentralización." in salida.getvalue()
    assert set(_lineas_por_compromiso().values()) == {"Descentralización", "descentralizacion "}


@pytest.mark.django_db(transaction=True)
def test_en_una_base_llenada_por_la_demo_cada_compromiso_vuelve_a_su_linea(referencias):
    call_command("demo", anio=2026, verbosity=0)
    antes = sorted(Compromiso.objects.values_list(*CAMPOS, "linea_id"))
    assert antes and all(fila[-1] is not None for fila in antes)
    assert {c.linea.sistema for c in Compromiso.objects.select_related("linea")} == {
        "Descentralización"
    }

    migrar(ANTES)
    migrar(DESPUES)

    # Every compromiso of the demo is back on the same line, nothing lost or added.
    assert sorted(Compromiso.objects.values_list(*CAMPOS, "linea_id")) == antes
    migrar_a_lo_ultimo()
    salida = io.StringIO()
    call_command("compromisos_sin_linea", stdout=salida)
    assert "Todos los compromisos cuelgan de su línea Descentralización." in salida.getvalue()
