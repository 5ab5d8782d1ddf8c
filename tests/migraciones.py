"""Helpers of the migration tests: move the test database to a migration state and back."""

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrar(destinos) -> MigrationExecutor:
    """Migrate to `destinos`; the executor returned reads the state reached."""
    MigrationExecutor(connection).migrate(destinos)
    ContentType.objects.clear_cache()
    return MigrationExecutor(connection)


def migrar_a_lo_ultimo() -> MigrationExecutor:
    return migrar(MigrationExecutor(connection).loader.graph.leaf_nodes())
