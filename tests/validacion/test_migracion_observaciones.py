"""validacion 0007: every existing observación gets its informe's formulación."""

import pytest

from tests.migraciones import migrar

# Later tests need the latest schema: each test here ends there, whatever it migrated to.
pytestmark = pytest.mark.usefixtures("al_final_todas_las_migraciones")

# compromisos pinned before 0009: from there on an informe needs its tipo de entregable.
ANTES = [
    ("validacion", "0006_bitacora_e_instantaneas"),
    ("compromisos", "0008_compromisos_en_la_linea_descentralizacion"),
]
DESPUES = [("validacion", "0008_observacion_formulacion_requerida")]


@pytest.mark.django_db(transaction=True)
def test_la_observacion_de_un_informe_recibe_su_formulacion(referencias):
    apps = migrar(ANTES).loader.project_state(ANTES).apps
    Usuario = apps.get_model("auth", "User")
    Servicio = apps.get_model("servicios", "Servicio")
    Proceso = apps.get_model("compromisos", "Proceso")
    Formulacion = apps.get_model("compromisos", "FormulacionPMG")
    Informe = apps.get_model("compromisos", "InformeAvance")
    Observacion = apps.get_model("validacion", "Observacion")
    autor = Usuario.objects.create(username="analista_migracion")
    formulacion = Formulacion.objects.create(
        servicio=Servicio.objects.first(), proceso=Proceso.objects.create(anio=2030)
    )
    informe = Informe.objects.create(formulacion=formulacion, periodo="avance_1")
    observacion = Observacion.objects.create(informe=informe, texto="Falta el acta.", autor=autor)

    apps = migrar(DESPUES).loader.project_state(DESPUES).apps
    migrada = apps.get_model("validacion", "Observacion").objects.get(pk=observacion.pk)
    assert (migrada.formulacion_id, migrada.informe_id) == (formulacion.pk, informe.pk)
