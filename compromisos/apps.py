from django.apps import AppConfig


class CompromisosConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "compromisos"
    verbose_name = "Compromisos e informes"

    def ready(self) -> None:
        from bitacora import acciones
        from compromisos.transiciones import DESCRIPCION_ACCIONES, DETALLE_ACCIONES
        from compromisos.views import ficha_formulaciones
        from servicios import ficha

        acciones.registrar(DESCRIPCION_ACCIONES, DETALLE_ACCIONES)
        ficha.registrar_seccion(
            "formulaciones",
            ficha.Seccion("compromisos/_ficha_formulaciones.html", ficha_formulaciones),
        )
