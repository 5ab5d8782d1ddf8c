"""The demo command: users for every role, every state, real files, idempotent."""

import hashlib

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from bitacora.models import Evento
from compromisos.models import (
    ACCIONES_DE_MODALIDAD,
    TRANSICIONES,
    EstadoRevision,
    FormulacionPMG,
    InformeAvance,
    MedioVerificacion,
    Modalidad,
)
from servicios.models import Cartera, Membresia
from srm import permisos

pytestmark = pytest.mark.django_db

ROLES = {
    "admin": "admin",
    "analista": "analista",
    "servicio": "servicio",
    "servicio2": "servicio",
    "consultora": "consultora",
    "jefatura": "jefatura",
}


@pytest.fixture
def demo(referencias):
    call_command("demo", anio=2026, verbosity=0)


def test_usuarios_de_demo_con_clave_demo_y_su_rol(demo):
    for username, rol in ROLES.items():
        usuario = get_user_model().objects.get(username=username)
        assert usuario.check_password("demo"), username
        assert permisos.rol(usuario) == rol


def test_servicio_es_osorno_y_servicio2_otro_de_la_misma_cartera(demo):
    osorno = Membresia.objects.get(usuario__username="servicio").servicio
    otro = Membresia.objects.get(usuario__username="servicio2").servicio
    assert osorno.nombre == "Gobernación Provincial de Osorno" and otro != osorno
    analistas = Cartera.objects.filter(anio=2026, rol="analista", servicio__in=[osorno, otro])
    assert {c.usuario.username for c in analistas} == {"analista"}
    assert Cartera.objects.filter(
        anio=2026, rol="consultora", usuario__username="consultora", servicio=osorno
    ).exists()


def test_hay_informes_en_cada_estado_alcanzados_por_transiciones(demo):
    estados = set(
        InformeAvance.objects.filter(formulacion__proceso__anio=2026).values_list(
            "estado", flat=True
        )
    )
    # The demo year runs the standard cycle (reviewed and approved); certified and received
    # deliverables are kinds of the years that define them (2007, 2011).
    del_ciclo_estandar = {EstadoRevision.BORRADOR} | {
        nuevo
        for (_, accion), nuevo in TRANSICIONES.items()
        if accion in ACCIONES_DE_MODALIDAD[Modalidad.REVISION]
    }
    assert estados == del_ciclo_estandar
    aprobados = InformeAvance.objects.filter(estado="aprobado")
    for informe in aprobados:
        assert Evento.objects.filter(objeto_id=informe.pk, accion="informe.aprobar").exists()
    assert InformeAvance.objects.filter(es_atrasado=True).exists()
    assert InformeAvance.objects.filter(es_atrasado=False, estado="aprobado").exists()
    assert FormulacionPMG.objects.filter(proceso__anio=2026).exclude(estado="aprobado").exists()


def test_medios_son_archivos_reales_con_su_sha256(demo):
    medios = MedioVerificacion.objects.all()
    assert medios.count() > 50
    for medio in medios[:20]:
        with medio.archivo.open("rb") as archivo:
            contenido = archivo.read()
        assert (
            hashlib.sha256(contenido).hexdigest() == medio.sha256 and len(contenido) == medio.tamano
        )
        assert contenido[:4] in (b"%PDF", b"\x89PNG") or medio.nombre_original.endswith(".csv")


def test_pdf_de_demo_se_lee_con_pypdf(demo):
    from pypdf import PdfReader

    medio = MedioVerificacion.objects.filter(nombre_original__endswith=".pdf").first()
    with medio.archivo.open("rb") as archivo:
        texto = PdfReader(archivo).pages[0].extract_text()
    assert medio.avance.compromiso.codigo in texto


def test_segunda_ejecucion_no_duplica(demo):
    conteos = (
        get_user_model().objects.count(),
        InformeAvance.objects.count(),
        MedioVerificacion.objects.count(),
        Evento.objects.count(),
        Cartera.objects.count(),
    )
    call_command("demo", anio=2026, verbosity=0)
    assert conteos == (
        get_user_model().objects.count(),
        InformeAvance.objects.count(),
        MedioVerificacion.objects.count(),
        Evento.objects.count(),
        Cartera.objects.count(),
    )


def test_opcion_de_escala_crea_varios_anios_y_mas_servicios(referencias):
    call_command("demo", anio=2026, servicios=40, anios=2, verbosity=0)
    assert FormulacionPMG.objects.filter(proceso__anio=2025).count() == 40
    assert FormulacionPMG.objects.filter(proceso__anio=2026).count() == 40
    # Past years are closed: everything approved.
    assert set(
        InformeAvance.objects.filter(formulacion__proceso__anio=2025).values_list(
            "estado", flat=True
        )
    ) == {"aprobado"}
    assert (
        Cartera.objects.filter(anio=2026, rol="analista").values("usuario").distinct().count() > 1
    )
    # …and validated: a verdict per iniciativa, ratified and registered in DIPRES; the
    # current year is not validated yet.
    from validacion.models import ValidacionIniciativa, ValidacionServicio

    cerrado = ValidacionServicio.objects.filter(formulacion__proceso__anio=2025)
    assert cerrado.count() == 40
    assert set(cerrado.values_list("estado", flat=True)) == {"ratificada"}
    assert not cerrado.filter(registrada_dipres_en__isnull=True).exists()
    iniciativas = ValidacionIniciativa.objects.filter(validacion__in=cerrado)
    assert iniciativas.count() == 40 * 10
    assert set(iniciativas.values_list("resultado", flat=True)) == {
        "cumple",
        "parcial",
        "no_cumple",
    }
    assert not ValidacionServicio.objects.filter(formulacion__proceso__anio=2026).exists()


def test_sin_datos_de_referencia_explica_que_hacer(db):
    from django.core.management.base import CommandError

    from servicios.models import Servicio

    Servicio.objects.filter(nombre="Gobernación Provincial de Osorno").update(
        nombre="Delegación Presidencial Provincial de Osorno"
    )
    with pytest.raises(CommandError, match="loaddata"):
        call_command("demo", verbosity=0)


def test_sin_debug_la_demo_se_niega_salvo_que_se_fuerce(referencias, settings):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    settings.TESTING = False
    with pytest.raises(CommandError, match="nunca en producción"):
        call_command("demo", anio=2026, verbosity=0)
    assert not get_user_model().objects.filter(username="servicio").exists()
    call_command("demo", anio=2026, forzar=True, verbosity=0)
    assert get_user_model().objects.filter(username="servicio").exists()


def test_historia_de_cada_servicio_es_coherente(demo):
    """A later informe is never further along than an earlier one of the same servicio."""
    for formulacion in FormulacionPMG.objects.filter(proceso__anio=2026).prefetch_related(
        "informes"
    ):
        informes = sorted(formulacion.informes.all(), key=lambda i: i.periodo)
        for anterior, siguiente in zip(informes, informes[1:], strict=False):
            if siguiente.estado != "borrador":
                assert anterior.estado == "aprobado", (
                    formulacion,
                    anterior.periodo,
                    siguiente.periodo,
                )


def test_informes_observados_traen_sus_observaciones_abiertas(demo):
    observados = InformeAvance.objects.filter(estado="observado")
    assert observados.exists()
    for informe in observados:
        assert informe.observaciones.filter(estado="abierta").count() == 2


def test_la_demo_no_envia_correos(demo):
    from django.core import mail

    from bitacora.models import Notificacion

    assert mail.outbox == [] and not Notificacion.objects.exists()


def test_las_fechas_de_la_demo_caen_en_su_anio_y_la_ratificacion_precede_a_dipres(referencias):
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from validacion.models import ValidacionServicio

    call_command("demo", anio=2026, servicios=6, anios=2, verbosity=0)
    ahora = timezone.now()
    for anio in (2025, 2026):
        medios = MedioVerificacion.objects.filter(avance__informe__formulacion__proceso__anio=anio)
        assert medios.exists()
        assert {timezone.localtime(m).year for m in medios.values_list("subido_en", flat=True)} == {
            anio
        }
        formulaciones = FormulacionPMG.objects.filter(proceso__anio=anio)
        assert {timezone.localtime(f.creado).year for f in formulaciones} == {anio}
        informes = InformeAvance.objects.filter(formulacion__proceso__anio=anio)
        assert {timezone.localtime(i.creado).year for i in informes} == {anio}
        eventos = Evento.objects.filter(
            tipo_objeto=ContentType.objects.get_for_model(InformeAvance),
            objeto_id__in=informes.values("pk"),
        ) | Evento.objects.filter(
            tipo_objeto=ContentType.objects.get_for_model(FormulacionPMG),
            objeto_id__in=formulaciones.values("pk"),
        )
        assert eventos.exists()
        assert {timezone.localtime(e.momento).year for e in eventos} == {anio}
        assert not eventos.filter(momento__gt=ahora).exists()
        # Every file was uploaded before its informe was first sent.
        for informe in informes.exclude(enviado_en=None):
            primer_envio = eventos.filter(objeto_id=informe.pk, accion="informe.enviar").earliest(
                "momento"
            )
            assert not medios.filter(
                avance__informe=informe, subido_en__gt=primer_envio.momento
            ).exists()
    cerradas = ValidacionServicio.objects.filter(formulacion__proceso__anio=2025)
    assert cerradas.count() == 6
    for validacion in cerradas.select_related("formulacion"):
        final = validacion.formulacion.informes.get(periodo="final")
        assert final.actualizado < validacion.enviada_en < validacion.ratificada_en
        assert timezone.localtime(validacion.ratificada_en).year == 2025
        assert timezone.localdate(validacion.ratificada_en) <= validacion.registrada_dipres_en
        pasos = Evento.objects.filter(
            tipo_objeto=ContentType.objects.get_for_model(ValidacionServicio),
            objeto_id=validacion.pk,
        ).order_by("momento", "pk")
        assert [e.accion for e in pasos] == [
            "validacion.enviada",
            "validacion.ratificada",
            "validacion.registrar_dipres",
        ]
        assert pasos.last().momento <= ahora
