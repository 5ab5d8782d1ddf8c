"""compromisos 0015: every existing medio names the informe of its avance, with nothing else
changed, and from then on a medio hangs from an avance or a form question (issue 16)."""

import pytest
from django.db import IntegrityError, transaction

from tests.migraciones import migrar

# Later tests need the latest schema: each test here ends there, whatever it migrated to.
pytestmark = pytest.mark.usefixtures("al_final_todas_las_migraciones")

ANTES = [
    ("compromisos", "0014_certificacion_y_recepcion"),
    ("formularios", "0003_plantillas_con_claves"),
]
DESPUES = [("compromisos", "0015_medio_de_pregunta")]
CAMPOS = ["pk", "avance_id", "nombre_original", "sha256", "tamano", "archivo"]


@pytest.mark.django_db(transaction=True)
def test_cada_medio_recibe_el_informe_de_su_avance_sin_perder_nada(referencias):
    apps = migrar(ANTES).loader.project_state(ANTES).apps
    servicio = apps.get_model("servicios", "Servicio").objects.order_by("pk").first()
    usuario = apps.get_model("auth", "User").objects.create(username="subio")
    proceso = apps.get_model("compromisos", "Proceso").objects.create(anio=2034)
    formulacion = apps.get_model("compromisos", "FormulacionPMG").objects.create(
        servicio=servicio, proceso=proceso
    )
    compromiso = apps.get_model("compromisos", "Compromiso").objects.create(
        formulacion=formulacion,
        codigo="C01",
        nombre="Mesa regional",
        tipo_medida="descentralizacion",
        complejidad="inmediata",
        ambito="cultura",
    )
    Plantilla = apps.get_model("formularios", "Plantilla")
    plantilla = Plantilla.objects.create(codigo="avance-2034", nombre="Informe de avance")
    tipo = apps.get_model("compromisos", "TipoEntregable").objects.create(
        proceso=proceso, clave="avance_1", nombre="Informe de avance 1", formulario=plantilla
    )
    Informe = apps.get_model("compromisos", "InformeAvance")
    Avance = apps.get_model("compromisos", "AvanceCompromiso")
    Medio = apps.get_model("compromisos", "MedioVerificacion")
    esperados = {}
    for numero, periodo in enumerate(("avance_1", "avance_2")):
        informe = Informe.objects.create(formulacion=formulacion, periodo=periodo, tipo=tipo)
        avance = Avance.objects.create(informe=informe, compromiso=compromiso)
        medio = Medio.objects.create(
            avance=avance,
            archivo=f"medios/servicio/{servicio.pk}/{numero}.pdf",
            nombre_original=f"acta {numero}.pdf",
            tamano=10 + numero,
            sha256=f"{numero}" * 64,
            subido_por=usuario,
        )
        esperados[medio.pk] = informe.pk
    antes = {fila["pk"]: fila for fila in Medio.objects.values(*CAMPOS)}

    apps = migrar(DESPUES).loader.project_state(DESPUES).apps
    Medio = apps.get_model("compromisos", "MedioVerificacion")
    assert {fila["pk"]: fila for fila in Medio.objects.values(*CAMPOS)} == antes
    assert dict(Medio.objects.values_list("pk", "informe_id")) == esperados
    assert not Medio.objects.filter(pregunta__isnull=False).exists()
    # Neither an avance nor a question: refused by the database.
    with pytest.raises(IntegrityError), transaction.atomic():
        Medio.objects.filter(pk=next(iter(esperados))).update(avance=None)
