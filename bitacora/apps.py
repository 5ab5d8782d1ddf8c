from django.apps import AppConfig


class BitacoraConfig(AppConfig):
    """The append-only event log and the notices: the layer every app may use."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "bitacora"
    verbose_name = "Registro de eventos y avisos"
