from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_migrate


class ServiciosConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "servicios"
    verbose_name = "Servicios"

    def ready(self) -> None:
        from bitacora import acciones
        from servicios.grupos import asegurar_grupos
        from servicios.services import DESCRIPCION_ACCIONES

        acciones.registrar(
            DESCRIPCION_ACCIONES,
            {accion: _detalle_cartera for accion in DESCRIPCION_ACCIONES},
        )

        # Groups and their admin permissions must exist in every database, fresh or old.
        post_migrate.connect(asegurar_grupos, sender=self, dispatch_uid="srm_asegurar_grupos")

        # The people of the registry: a login starts the session's clocks (srm.middleware).
        from srm.middleware import sesion_iniciada

        user_logged_in.connect(sesion_iniciada, dispatch_uid="srm_sesion_iniciada")


def _detalle_cartera(detalle: dict) -> str:
    cambios = f" (cambió: {', '.join(detalle['cambios'])})" if detalle.get("cambios") else ""
    return f"{detalle['persona']}{cambios}"
