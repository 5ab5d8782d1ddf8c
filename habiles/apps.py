from django.apps import AppConfig


class HabilesConfig(AppConfig):
    """Chile's public holidays as data, and the working-day arithmetic every deadline uses."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "habiles"
    verbose_name = "Feriados y días hábiles"
