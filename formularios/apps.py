from django.apps import AppConfig

# How the form actions read in a timeline (bitacora/acciones.py).
DESCRIPCION_ACCIONES = {
    "formulario.guardar": "guardó respuestas del formulario",
    "plantilla.copiar": "copió una plantilla de formulario",
}
DETALLE_ACCIONES = {
    "formulario.guardar": lambda d: ", ".join(f"«{p}»" for p in d["preguntas"]),
    "plantilla.copiar": lambda d: f"desde «{d['origen']}»",
}


class FormulariosConfig(AppConfig):
    """Form templates as data: sections and questions a year's deliverables are filled with."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "formularios"
    verbose_name = "Formularios"

    def ready(self) -> None:
        from bitacora import acciones

        acciones.registrar(DESCRIPCION_ACCIONES, DETALLE_ACCIONES)
