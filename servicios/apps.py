from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ServiciosConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "servicios"
    verbose_name = "Servicios"

    def ready(self) -> None:
        from servicios.grupos import asegurar_grupos

        # Groups and their admin permissions must exist in every database, fresh or old.
        post_migrate.connect(asegurar_grupos, sender=self, dispatch_uid="srm_asegurar_grupos")
