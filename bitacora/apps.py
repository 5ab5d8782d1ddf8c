from django.apps import AppConfig


class BitacoraConfig(AppConfig):
    """The append-only event log and the notices: the layer every app may use."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "bitacora"
    verbose_name = "Registro de eventos y avisos"

    def ready(self) -> None:
        from bitacora import acciones
        from bitacora.services import DESCRIPCION_ACCIONES

        acciones.registrar(
            DESCRIPCION_ACCIONES,
            {accion: _detalle_de_seguridad for accion in DESCRIPCION_ACCIONES},
        )


def _detalle_de_seguridad(detalle: dict) -> str:
    return f"{detalle['ruta']}: {detalle['motivo']}"
