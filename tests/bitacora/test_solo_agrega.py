"""The event log is append-only in the application and, on PostgreSQL, in the database."""

import pytest
from django.db import DatabaseError, connection, transaction

from bitacora.models import Evento
from bitacora.services import evento_registrar

pytestmark = pytest.mark.django_db


@pytest.fixture
def evento(osorno, encargado):
    return evento_registrar(
        usuario=encargado, accion="informe.enviar", objeto=osorno, servicio_id=osorno.pk
    )


def test_la_aplicacion_no_modifica_ni_borra(evento):
    with pytest.raises(TypeError):
        Evento.objects.filter(pk=evento.pk).update(accion="otra")
    with pytest.raises(TypeError):
        Evento.objects.filter(pk=evento.pk).delete()
    with pytest.raises(TypeError):
        evento.save()


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="El modo embebido (SQLite) no impide un UPDATE o DELETE directo (README).",
)
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE bitacora_evento SET accion = 'borrado' WHERE id = %s",
        "DELETE FROM bitacora_evento WHERE id = %s",
    ],
    ids=["update", "delete"],
)
def test_postgresql_rechaza_un_cambio_directo(evento, sql):
    with (
        pytest.raises(DatabaseError, match="solo agregado"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [evento.pk])
    evento.refresh_from_db()
    assert evento.accion == "informe.enviar"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="Disparador de PostgreSQL.")
def test_postgresql_sigue_aceptando_eventos_nuevos(evento, osorno):
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM bitacora_evento")
        antes = cursor.fetchone()[0]
    evento_registrar(usuario=None, accion="calendario.copiar", objeto=osorno, servicio_id=None)
    assert Evento.objects.count() == antes + 1
