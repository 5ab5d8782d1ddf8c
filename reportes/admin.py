from django.contrib import admin

from reportes.models import Reporte


@admin.register(Reporte)
class ReporteAdmin(admin.ModelAdmin):
    """The history of runs, to follow failures; runs are made from the Reportes page only."""

    list_display = ["pk", "tipo", "anio", "periodo", "servicio", "estado", "progreso", "intentos"]
    list_display += ["solicitado_por", "creado", "terminado_en"]
    list_filter = ["estado", "tipo", "anio"]
    search_fields = ["servicio__nombre", "solicitado_por__username", "error"]
    date_hierarchy = "creado"
    list_select_related = ["servicio", "solicitado_por"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
