"""compromisos 0009–0010: every existing informe gets its year's tipo de entregable, with nothing
else changed, and the calendar's hitos of those etapas become the kinds' deadlines (issue 16)."""

import datetime

import pytest

from tests.migraciones import migrar

# Later tests need the latest schema: each test here ends there, whatever it migrated to.
pytestmark = pytest.mark.usefixtures("al_final_todas_las_migraciones")

ANTES = [("compromisos", "0008_compromisos_en_la_linea_descentralizacion")]
DESPUES = [("compromisos", "0010_informe_con_tipo")]
CAMPOS = ["pk", "formulacion_id", "periodo", "estado", "version", "principales_logros"]


def _anio_con_informes(apps, anio: int, servicios) -> list:
    Proceso = apps.get_model("compromisos", "Proceso")
    Formulacion = apps.get_model("compromisos", "FormulacionPMG")
    Informe = apps.get_model("compromisos", "InformeAvance")
    Hito = apps.get_model("compromisos", "Hito")
    proceso = Proceso.objects.create(anio=anio)
    Hito.objects.create(
        proceso=proceso,
        etapa="avance_2",
        nombre="Informe 2",
        fecha_limite=datetime.date(anio, 8, 31),
    )
    Hito.objects.create(
        proceso=proceso,
        etapa="validacion",
        nombre="Validación",
        fecha_limite=datetime.date(anio, 12, 20),
    )
    informes = []
    for servicio in servicios:
        formulacion = Formulacion.objects.create(servicio=servicio, proceso=proceso)
        informes.append(Informe.objects.create(formulacion=formulacion, periodo="avance_1"))
        informes.append(
            Informe.objects.create(
                formulacion=formulacion,
                periodo="final",
                estado="aprobado",
                version=3,
                principales_logros="Mesa regional constituida — ñandú",
            )
        )
    return informes


@pytest.mark.django_db(transaction=True)
def test_cada_informe_recibe_el_tipo_de_su_anio_sin_perder_nada(referencias):
    apps = migrar(ANTES).loader.project_state(ANTES).apps
    servicios = list(apps.get_model("servicios", "Servicio").objects.order_by("pk")[:2])
    informes = _anio_con_informes(apps, 2031, servicios) + _anio_con_informes(apps, 2032, servicios)
    antes = {
        fila["pk"]: fila
        for fila in apps.get_model("compromisos", "InformeAvance").objects.values(*CAMPOS)
    }
    sin_informes = apps.get_model("compromisos", "Proceso").objects.create(anio=2033)

    apps = migrar(DESPUES).loader.project_state(DESPUES).apps
    Informe = apps.get_model("compromisos", "InformeAvance")
    TipoEntregable = apps.get_model("compromisos", "TipoEntregable")
    Hito = apps.get_model("compromisos", "Hito")

    assert {fila["pk"]: fila for fila in Informe.objects.values(*CAMPOS)} == antes
    for informe in Informe.objects.filter(pk__in=[i.pk for i in informes]).select_related(
        "tipo__formulario", "formulacion"
    ):
        assert informe.tipo.proceso_id == informe.formulacion.proceso_id
        assert informe.tipo.clave == informe.periodo
        assert informe.tipo.formulario.por_compromiso
        assert informe.tipo.formulario.con_resumen_ejecutivo == (informe.periodo == "final")
    assert list(
        TipoEntregable.objects.filter(proceso__anio=2031).values_list("clave", flat=True)
    ) == ["avance_1", "avance_2", "avance_3", "final"]
    # A year with nothing to report keeps an empty list: its admin builds it.
    assert not TipoEntregable.objects.filter(proceso_id=sin_informes.pk).exists()
    hito = Hito.objects.get(proceso__anio=2032, etapa="avance_2")
    assert hito.entregable.clave == "avance_2" and hito.entregable.proceso_id == hito.proceso_id
    assert Hito.objects.get(proceso__anio=2032, etapa="validacion").entregable is None

    # And back: the informes stay as they were.
    apps = migrar(ANTES).loader.project_state(ANTES).apps
    Informe = apps.get_model("compromisos", "InformeAvance")
    assert {fila["pk"]: fila for fila in Informe.objects.values(*CAMPOS)} == antes
