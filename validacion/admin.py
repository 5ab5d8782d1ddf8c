from django.contrib import admin

from validacion.models import Evento


@admin.register(Evento)
class EventoAdmin(admin.ModelAdmin):
    """Searchable, never editable: the log is append-only."""

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

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
