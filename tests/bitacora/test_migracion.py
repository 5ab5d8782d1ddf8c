"""The event log, the notices and the snapshots moved apps (issue 12) without losing a row."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.migraciones import migrar

# Later tests need the latest schema: each test here ends there, whatever it migrated to.
pytestmark = pytest.mark.usefixtures("al_final_todas_las_migraciones")

# Before the move: validacion held the four models.
ANTES = [
    ("bitacora", None),
    ("compromisos", "0003_restricciones_de_valores"),
    ("validacion", "0005_validacion_consultora"),
]
DESPUES = [
    ("bitacora", "0001_initial"),
    ("compromisos", "0004_instantanea"),
    ("validacion", "0006_bitacora_e_instantaneas"),
]


@pytest.mark.django_db(transaction=True)
def test_mover_el_registro_conserva_cada_fila(referencias):
    apps = migrar(ANTES).loader.project_state([n for n in ANTES if n[1]]).apps
    Usuario = apps.get_model("auth", "User")
    Servicio = apps.get_model("servicios", "Servicio")
    Proceso = apps.get_model("compromisos", "Proceso")
    Formulacion = apps.get_model("compromisos", "FormulacionPMG")
    Informe = apps.get_model("compromisos", "InformeAvance")
    TipoDeContenido = apps.get_model("contenttypes", "ContentType")
    Evento = apps.get_model("validacion", "Evento")
    Notificacion = apps.get_model("validacion", "Notificacion")
    Preferencia = apps.get_model("validacion", "PreferenciaAvisos")
    Instantanea = apps.get_model("validacion", "Instantanea")

    usuario = Usuario.objects.create(username="histórico", email="h@srm.invalid")
    servicio = Servicio.objects.order_by("pk").first()
    proceso = Proceso.objects.create(anio=2019)
    formulacion = Formulacion.objects.create(servicio=servicio, proceso=proceso)
    informe = Informe.objects.create(formulacion=formulacion, periodo="avance_1")
    tipo_informe, _ = TipoDeContenido.objects.get_or_create(
        app_label="compromisos", model="informeavance"
    )
    # The content type of the log itself, as permissions of the admin group reference it.
    tipo_evento, _ = TipoDeContenido.objects.get_or_create(app_label="validacion", model="evento")
    momento = timezone.make_aware(datetime.datetime(2019, 5, 2, 16, 30))
    eventos = [
        Evento.objects.create(
            momento=momento + datetime.timedelta(minutes=minuto),
            usuario=usuario,
            servicio=servicio,
            accion=accion,
            tipo_objeto=tipo_informe,
            objeto_id=informe.pk,
            descripcion_objeto="Informe de avance 1",
            desde=desde,
            hacia=hacia,
            detalle={"comentario": "ñandú"} if hacia == "observado" else {},
        )
        for minuto, (accion, desde, hacia) in enumerate(
            [
                ("informe.enviar", "borrador", "enviado"),
                ("informe.tomar", "enviado", "en_revision"),
                ("informe.observar", "en_revision", "observado"),
            ]
        )
    ]
    Notificacion.objects.create(
        clave="evento:1:usuario:1", destinatario=usuario, asunto="[SRM] aviso", cuerpo="c"
    )
    Preferencia.objects.create(usuario=usuario, resumen_diario=True)
    Instantanea.objects.create(
        informe=informe, ronda=1, motivo="envio", contenido={"avances": {}}, usuario=usuario
    )
    antes = list(Evento.objects.order_by("pk").values())

    despues = migrar(DESPUES).loader.project_state(DESPUES).apps
    assert list(despues.get_model("bitacora", "Evento").objects.order_by("pk").values()) == antes
    # Then the log gains the year of each event (issue 13), read from the object it names.
    hasta_hoy = MigrationExecutor(connection).loader.graph.leaf_nodes()
    migrar(hasta_hoy)

    from bitacora.models import Evento as EventoNuevo
    from bitacora.models import Notificacion as NotificacionNueva
    from bitacora.models import PreferenciaAvisos
    from compromisos.models import Instantanea as InstantaneaNueva

    assert list(EventoNuevo.objects.order_by("pk").values()) == [
        {**fila, "anio": 2019} for fila in antes
    ]
    assert [e.pk for e in eventos] == list(
        EventoNuevo.objects.order_by("pk").values_list("pk", flat=True)
    )
    assert NotificacionNueva.objects.get().clave == "evento:1:usuario:1"
    assert PreferenciaAvisos.objects.get().resumen_diario
    assert InstantaneaNueva.objects.get().informe_id == informe.pk
    # The content type moved with the model (no stale one left in validacion).
    assert ContentType.objects.get_for_model(EventoNuevo).pk == tipo_evento.pk
    assert not ContentType.objects.filter(app_label="validacion", model="evento").exists()
    # The log keeps being appended to, with fresh ids after the old ones.
    nuevo = EventoNuevo.objects.create(
        accion="informe.enviar", tipo_objeto_id=tipo_informe.pk, objeto_id=informe.pk
    )
    assert nuevo.pk > eventos[-1].pk
