from django.apps import AppConfig


class CalidadConfig(AppConfig):
    """The GORE quality system (Sistema de Acreditación, Mejora Continua e Incentivos)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "calidad"
    verbose_name = "Calidad de los gobiernos regionales"

    def ready(self) -> None:
        from bitacora import acciones
        from calidad.services import DESCRIPCION_ACCIONES, DETALLE_ACCIONES

        acciones.registrar(DESCRIPCION_ACCIONES, DETALLE_ACCIONES)
