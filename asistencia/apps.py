from django.apps import AppConfig


class AsistenciaConfig(AppConfig):
    """Technical assistance to the servicios: plan, jornadas, contacts, documents, consultas."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "asistencia"
    verbose_name = "Asistencia técnica"

    def ready(self) -> None:
        from asistencia.services import DESCRIPCION_ACCIONES, DETALLE_ACCIONES
        from asistencia.views import ficha_asistencia
        from bitacora import acciones
        from servicios import ficha

        acciones.registrar(DESCRIPCION_ACCIONES, DETALLE_ACCIONES)
        ficha.registrar_seccion(
            "asistencia", ficha.Seccion("asistencia/_ficha_asistencia.html", ficha_asistencia)
        )
