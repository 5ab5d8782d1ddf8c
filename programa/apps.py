from django.apps import AppConfig


class ProgramaConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "programa"
    verbose_name = "Programa marco y universo"

    def ready(self) -> None:
        from bitacora import acciones
        from programa.services import DESCRIPCION_ACCIONES, DETALLE_ACCIONES

        acciones.registrar(DESCRIPCION_ACCIONES, DETALLE_ACCIONES)
