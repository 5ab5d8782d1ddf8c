from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate

# The groups of the two roles of the División's metas (srm.permisos, «Metas de la División»).
GRUPOS = ["jefe_departamento", "encargado_unidad"]


def asegurar_grupos(sender: Any = None, using: str = "default", **kwargs: Any) -> None:
    """Create the two groups if missing and let the admin group manage the metas models."""
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    create_permissions(sender, verbosity=0, using=using)
    for nombre in GRUPOS:
        Group.objects.using(using).get_or_create(name=nombre)
    admin, _ = Group.objects.using(using).get_or_create(name="admin")
    admin.permissions.add(*Permission.objects.using(using).filter(content_type__app_label="metas"))


class MetasConfig(AppConfig):
    """The División's own metas and indicators, some computed from the SRM's records."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "metas"
    verbose_name = "Metas de la División"

    def ready(self) -> None:
        from bitacora import acciones
        from metas.services import DESCRIPCION_ACCIONES

        acciones.registrar(DESCRIPCION_ACCIONES)
        # After servicios' own handler (earlier in INSTALLED_APPS), which sets admin's permissions.
        post_migrate.connect(asegurar_grupos, sender=self, dispatch_uid="metas_asegurar_grupos")
