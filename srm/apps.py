from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig
from django.db.backends.signals import connection_created


class SrmConfig(AppConfig):
    """The project package as an app: its management commands (respaldo, restaurar) and the
    catalog version that every page's filters keep their choices under (srm/catalogo.py)."""

    name = "srm"
    verbose_name = "SRM"

    def ready(self) -> None:
        from srm import catalogo

        catalogo.conectar()
        connection_created.connect(_mas_sentencias_preparadas)


def _mas_sentencias_preparadas(sender, connection, **kwargs) -> None:
    """psycopg 3 keeps a connection's 100 most used prepared statements; the pages of a working
    day run a few hundred different ones, which would push each other out (settings: prepare)."""
    if hasattr(connection.connection, "prepared_max"):
        connection.connection.prepared_max = 1000


class AdminSrmConfig(AdminConfig):
    """Django's admin with the SRM's site, which hardens every registered model admin."""

    default_site = "srm.admin_sitio.SitioAdmin"
