from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data for training and measuring; sits above every app (manage.py demo)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "demo"
    verbose_name = "Datos de demostración"
