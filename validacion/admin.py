from django.contrib import admin

from validacion.models import (
    Evento,
    Instantanea,
    Notificacion,
    Observacion,
    PreferenciaAvisos,
    RespuestaObservacion,
    VeredictoMedio,
)


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


class SoloLecturaAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Instantanea)
class InstantaneaAdmin(SoloLecturaAdmin):
    list_display = ["informe", "ronda", "motivo", "usuario", "momento"]
    list_filter = ["motivo", "informe__periodo", "informe__formulacion__proceso"]
    search_fields = ["informe__formulacion__servicio__nombre"]
    list_select_related = [
        "informe__formulacion__servicio",
        "informe__formulacion__proceso",
        "usuario",
    ]


@admin.register(VeredictoMedio)
class VeredictoMedioAdmin(SoloLecturaAdmin):
    list_display = ["medio", "ronda", "resultado", "analista", "momento"]
    list_filter = ["resultado", "ronda"]
    search_fields = ["medio__nombre_original", "motivo"]
    list_select_related = ["medio", "analista"]


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
