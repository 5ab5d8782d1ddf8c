from django.apps import AppConfig


class FormulariosConfig(AppConfig):
    """Form templates as data: sections and questions a year's deliverables are filled with."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "formularios"
    verbose_name = "Formularios"
