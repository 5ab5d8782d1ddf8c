from django.apps import AppConfig


class ValidacionConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "validacion"
    verbose_name = "Revisión y validación"

    def ready(self) -> None:
        from bitacora import acciones
        from compromisos import revision
        from servicios import ficha
        from validacion import selectors
        from validacion.cumplimiento import ficha_cumplimiento
        from validacion.services import DESCRIPCION_ACCIONES, DETALLE_ACCIONES

        acciones.registrar(DESCRIPCION_ACCIONES, DETALLE_ACCIONES)
        # The servicio's informe pages (compromisos) show the review through these reads.
        revision.registrar(selectors)
        ficha.registrar_seccion(
            "cumplimiento", ficha.Seccion("validacion/_ficha_cumplimiento.html", ficha_cumplimiento)
        )
