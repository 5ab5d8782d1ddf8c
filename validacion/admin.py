from django.contrib import admin

from bitacora.admin import SoloLecturaAdmin
from validacion.models import Observacion, RespuestaObservacion, VeredictoMedio


class RespuestaInline(admin.TabularInline):
    model = RespuestaObservacion
    extra = 0
    readonly_fields = ["autor", "texto", "creado"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Observacion)
class ObservacionAdmin(admin.ModelAdmin):
    """Read here; observaciones are written and answered in the review pages."""

    list_display = ["informe", "ronda", "estado", "autor", "creado"]
    list_filter = ["estado", "ronda", "informe__periodo", "informe__formulacion__proceso"]
    search_fields = ["texto", "informe__formulacion__servicio__nombre"]
    list_select_related = [
        "informe__formulacion__servicio",
        "informe__formulacion__proceso",
        "autor",
    ]
    readonly_fields = [f.name for f in Observacion._meta.fields]
    inlines = [RespuestaInline]

    def has_add_permission(self, request):
        return False


@admin.register(VeredictoMedio)
class VeredictoMedioAdmin(SoloLecturaAdmin):
    list_display = ["medio", "ronda", "resultado", "analista", "momento"]
    list_filter = ["resultado", "ronda"]
    search_fields = ["medio__nombre_original", "motivo"]
    list_select_related = ["medio", "analista"]
