from django.apps import AppConfig


class CompromisosConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "compromisos"
    verbose_name = "Compromisos e informes"
