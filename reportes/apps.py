from django.apps import AppConfig


class ReportesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reportes"
    verbose_name = "Reportes"

    def ready(self) -> None:
        # reportes.services queues the generation task by its name (the task module imports the
        # services, not the other way round): register it in every process, web included, so
        # the name resolves to the task, in-process in the embedded mode.
        from reportes import tasks  # noqa: F401
