"""Lines written as free text before the catalogue survive the migration and are matched later."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from compromisos.models import ExencionFormulacion, LineaFormulacion
from programa.models import ProgramaMarco
from programa.services import programa_copiar
from tests.conftest import crear_usuario
from tests.migraciones import migrar, migrar_a_lo_ultimo

# Later tests need the latest schema: each test here ends there, whatever it migrated to.
pytestmark = pytest.mark.usefixtures("al_final_todas_las_migraciones")

ANTES = [
    ("servicios", "0001_initial"),
    ("programa", None),
    ("compromisos", "0005_medio_tiene_formulas"),
]
DESPUES = [
    ("servicios", "0002_registro_historico"),
    ("programa", "0001_initial"),
    ("compromisos", "0006_programa_marco"),
]


@pytest.mark.django_db(transaction=True)
def test_las_lineas_de_texto_se_conservan_y_el_comando_las_vincula(referencias):
    apps = migrar(ANTES).loader.project_state([n for n in ANTES if n[1]]).apps
    Servicio = apps.get_model("servicios", "Servicio")
    Proceso = apps.get_model("compromisos", "Proceso")
    Formulacion = apps.get_model("compromisos", "FormulacionPMG")
    Linea = apps.get_model("compromisos", "LineaFormulacion")
    Exencion = apps.get_model("compromisos", "ExencionFormulacion")
    servicio = Servicio.objects.get(nombre="Gobernación Provincial de Llanquihue")
    formulacion = Formulacion.objects.create(
        servicio=servicio, proceso=Proceso.objects.create(anio=2012)
    )
    escritas = [
        ("Marco Básico", "Planificación / Control de Gestión", "descentralizacion ", 60),
        ("Marco Básico", "Planificación/Control de Gestión", "Gestión Territorial", 40),
    ]
    for orden, (marco, area, sistema, ponderador) in enumerate(escritas, start=1):
        Linea.objects.create(
            formulacion=formulacion,
            marco=marco,
            area=area,
            sistema=sistema,
            etapa=1,
            prioridad="ALTA",
            ponderador=ponderador,
            orden=orden,
        )
    Exencion.objects.create(
        formulacion=formulacion,
        marco="Marco Básico",
        area="Calidad de Atención a Usuarios",
        sistema="Gobierno Electrónico - Tecnologías de Información",
        tipo="eximir",
        justificacion="Proyectos transversales de la Subsecretaría.",
    )
    antes = sorted(Linea.objects.values_list("pk", "marco", "area", "sistema", "ponderador"))

    migrar(DESPUES)

    # Nothing lost: every row keeps what was written, still without a catalogue sistema.
    assert (
        sorted(LineaFormulacion.objects.values_list("pk", "marco", "area", "sistema", "ponderador"))
        == antes
    )
    assert not LineaFormulacion.objects.filter(sistema_catalogo__isnull=False).exists()

    # The catalogue arrives (2011's, loaded again, copied to 2012 by the admin, with today's
    # models: every migration applied) ...
    migrar_a_lo_ultimo()
    call_command("loaddata", "programa_marco_2011", verbosity=0)
    Group.objects.get_or_create(name="admin")
    programa_copiar(
        origen=ProgramaMarco.objects.get(anio=2011), anio=2012, usuario=crear_usuario("a", "admin")
    )
    salida = io.StringIO()
    call_command("vincular_catalogo", "--anio", "2012", stdout=salida)

    # ... and the command matches what it can, reporting the rest without touching it.
    lineas = {
        fila.sistema: fila
        for fila in LineaFormulacion.objects.filter(formulacion__proceso__anio=2012)
    }
    assert lineas["descentralizacion "].sistema_catalogo.nombre == "Descentralización"
    assert lineas["descentralizacion "].sistema_catalogo.area.marco.programa.anio == 2012
    assert lineas["Gestión Territorial"].sistema_catalogo is None
    exencion = ExencionFormulacion.objects.get(formulacion__proceso__anio=2012)
    assert exencion.sistema_catalogo.nombre == "Gobierno Electrónico - Tecnologías de Información"
    texto = salida.getvalue()
    assert "Filas vinculadas al catálogo: 2." in texto
    assert "Filas sin sistema en el programa marco de su año: 1" in texto
    assert "Gobernación Provincial de Llanquihue" in texto and "Gestión Territorial" in texto
    assert LineaFormulacion.objects.filter(formulacion__proceso__anio=2012).count() == 2
