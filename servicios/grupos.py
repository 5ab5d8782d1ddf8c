"""The SRM's groups (one per role); the admin group gets Django-admin permissions on the SRM's models."""

from typing import Any

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions

GRUPOS = ["servicio", "analista", "consultora", "jefatura", "admin", "evaluador"]
APPS_ADMINISTRADAS = [
    "bitacora",
    "servicios",
    "programa",
    "formularios",
    "compromisos",
    "validacion",
    "reportes",
    "calidad",
    "auth",
]


def asegurar_grupos(
    sender: Any = None, apps: Any = global_apps, using: str = "default", **kwargs: Any
) -> None:
    """Create the groups if missing and give `admin` the permissions of the managed apps."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for app_config in global_apps.get_app_configs():
        if app_config.label in APPS_ADMINISTRADAS:
            create_permissions(app_config, verbosity=0, using=using)
    for nombre in GRUPOS:
        Group.objects.using(using).get_or_create(name=nombre)
    admin = Group.objects.using(using).get(name="admin")
    permisos = Permission.objects.using(using).filter(
        content_type__app_label__in=APPS_ADMINISTRADAS
    )
    # The event log is append-only, also for the admin group.
    permisos = permisos.exclude(
        content_type__model="evento", codename__regex=r"^(add|change|delete)_"
    )
    admin.permissions.set(permisos)
