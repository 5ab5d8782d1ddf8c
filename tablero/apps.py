from django.apps import AppConfig


class TableroConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tablero"
    verbose_name = "Tablero"

    def ready(self) -> None:
        from tablero import cache, resumenes

        cache.conectar()
        resumenes.conectar()
