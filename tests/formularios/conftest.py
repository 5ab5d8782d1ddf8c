import pytest

from compromisos.models import InformeAvance, TipoEntregable
from formularios.models import Plantilla, Pregunta, Seccion

CODIGO_003 = "gestion-territorial-etapa-4"
# The 2007 kind is «evaluacion_etapa_4» (part C's data); the tablero's summaries keep an
# informe's periodo in 10 characters today (tablero.ResumenInforme.periodo), which PostgreSQL
# enforces, so these tests use a short clave of their own until that column grows.
CLAVE_EVALUACION = "eval_e4"


def tipo_con_formulario(proceso, plantilla, clave=CLAVE_EVALUACION) -> TipoEntregable:
    return TipoEntregable.objects.create(
        proceso=proceso,
        clave=clave,
        nombre="Evaluación etapa 4",
        formulario=plantilla,
        orden=9,
    )


@pytest.fixture
def plantilla_003(referencias) -> Plantilla:
    return Plantilla.objects.get(codigo=CODIGO_003)


@pytest.fixture
def informe_003(formulacion_osorno, plantilla_003) -> InformeAvance:
    tipo = tipo_con_formulario(formulacion_osorno.proceso, plantilla_003)
    return InformeAvance.objects.create(formulacion=formulacion_osorno, tipo=tipo)


@pytest.fixture
def informe_003_llanquihue(formulacion_llanquihue, plantilla_003) -> InformeAvance:
    tipo = TipoEntregable.objects.filter(
        proceso=formulacion_llanquihue.proceso, clave=CLAVE_EVALUACION
    ).first() or tipo_con_formulario(formulacion_llanquihue.proceso, plantilla_003)
    return InformeAvance.objects.create(formulacion=formulacion_llanquihue, tipo=tipo)


def plantilla_de_cada_tipo(codigo: str = "todas", preguntas_por_tipo: int = 1) -> Plantilla:
    """A template with a section holding questions of every tipo (and a subsection)."""
    plantilla = Plantilla.objects.create(codigo=codigo, nombre=f"Plantilla {codigo}")
    seccion = Seccion.objects.create(plantilla=plantilla, numero="I.", titulo="Primera", orden=1)
    hija = Seccion.objects.create(
        plantilla=plantilla, padre=seccion, numero="I.1", titulo="Sub", orden=2
    )
    orden = 0
    for vuelta in range(preguntas_por_tipo):
        for tipo, opciones in [
            ("texto", []),
            ("porcentaje", []),
            ("si_no", []),
            ("opcion", ["Alta", "Media", "Baja"]),
            ("tabla", ["Comuna", "Acción"]),
            ("solo_partes", []),
        ]:
            orden += 1
            Pregunta.objects.create(
                seccion=seccion if vuelta % 2 == 0 else hija,
                clave=f"{tipo}-{vuelta}",
                numero=f"{orden}.",
                titulo=f"Pregunta {tipo} {vuelta}",
                tipo=tipo,
                opciones=opciones,
                ayuda=f"Ayuda de {tipo}",
                con_desarrollo=tipo == "solo_partes",
                con_recomendaciones=tipo == "solo_partes",
                orden=orden,
            )
    return plantilla
