from django.apps import AppConfig


class AsistenciaConfig(AppConfig):
    """Technical assistance to the servicios: plan, jornadas, contacts, documents, consultas."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "asistencia"
    verbose_name = "Asistencia técnica"
