from django.apps import AppConfig


class MetasConfig(AppConfig):
    """The División's own metas and indicators, some computed from the SRM's records."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "metas"
    verbose_name = "Metas de la División"
