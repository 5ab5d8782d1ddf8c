"""On PostgreSQL the SRM lets psycopg 3 prepare the statements a connection repeats, so the
pages' queries are planned once per connection (srm/settings.py, docs/rendimiento.md)."""

import pytest
from django.db import connection

from servicios.models import Region


def _preparadas() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [fila[0] for fila in cursor.fetchall()]


@pytest.fixture
def en_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("las sentencias preparadas son de PostgreSQL")


@pytest.mark.django_db
def test_una_consulta_repetida_queda_preparada(en_postgresql):
    # A query shape no other test runs, so that its count starts here.
    consulta = Region.objects.filter(codigo="10", orden__gte=0).order_by("-orden", "pk")
    list(consulta.all())  # .all(): a new queryset, not the first one's results
    assert not any('"orden" >=' in sentencia for sentencia in _preparadas())

    for _ in range(3):
        list(consulta.all())

    assert any('"orden" >=' in sentencia for sentencia in _preparadas())


@pytest.mark.django_db
def test_la_conexion_guarda_las_sentencias_de_un_dia_de_trabajo(en_postgresql):
    connection.ensure_connection()
    # The pages of a working day run a few hundred distinct statements (psycopg keeps 100).
    assert connection.connection.prepared_max >= 500
