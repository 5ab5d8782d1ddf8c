from django.contrib import admin

from bitacora.models import Evento, Notificacion, PreferenciaAvisos


class SoloLecturaAdmin(admin.ModelAdmin):
    """Searchable, never editable here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Evento)
class EventoAdmin(SoloLecturaAdmin):
    """The log is append-only."""

    list_display = [
        "momento",
        "usuario",
        "accion",
        "descripcion_objeto",
        "desde",
        "hacia",
        "servicio",
    ]
    list_filter = ["accion", "tipo_objeto", "momento"]
    search_fields = ["descripcion_objeto", "usuario__username", "servicio__nombre", "accion"]
    date_hierarchy = "momento"
    list_select_related = ["usuario", "servicio"]


@admin.register(Notificacion)
class NotificacionAdmin(SoloLecturaAdmin):
    list_display = ["destinatario", "asunto", "para_resumen", "creada", "enviada_en"]
    list_filter = ["para_resumen", "enviada_en", "creada"]
    search_fields = ["asunto", "destinatario__username", "destinatario__email"]
    list_select_related = ["destinatario"]


@admin.register(PreferenciaAvisos)
class PreferenciaAvisosAdmin(admin.ModelAdmin):
    list_display = ["usuario", "resumen_diario"]
    list_filter = ["resumen_diario"]
    search_fields = ["usuario__username", "usuario__email"]
    autocomplete_fields = ["usuario"]
