from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class SrmConfig(AppConfig):
    """The project package as an app: its management commands (respaldo, restaurar) and the
    catalog version that every page's filters keep their choices under (srm/catalogo.py)."""

    name = "srm"
    verbose_name = "SRM"

    def ready(self) -> None:
        from srm import catalogo

        catalogo.conectar()


class AdminSrmConfig(AdminConfig):
    """Django's admin with the SRM's site, which hardens every registered model admin."""

    default_site = "srm.admin_sitio.SitioAdmin"
