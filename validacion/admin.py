from django.contrib import admin

from bitacora.admin import SoloLecturaAdmin
from validacion.models import Observacion, RespuestaObservacion, ResultadoSistema, VeredictoMedio
from validacion.services import resultado_sistema_guardar


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


@admin.register(ResultadoSistema)
class ResultadoSistemaAdmin(admin.ModelAdmin):
    """DIPRES's result of each sistema other than Descentralización: entered here, logged."""

    list_display = [
        "linea",
        "servicio",
        "anio",
        "cumple",
        "origen",
        "registrado_por",
        "actualizado",
    ]
    list_filter = ["cumple", "origen", "linea__formulacion__proceso"]
    search_fields = ["linea__sistema", "linea__formulacion__servicio__nombre"]
    list_select_related = [
        "linea__formulacion__servicio",
        "linea__formulacion__proceso",
        "registrado_por",
    ]
    raw_id_fields = ["linea"]
    fields = ["linea", "cumple", "origen", "nota"]

    @admin.display(description="servicio")
    def servicio(self, obj):
        return obj.linea.formulacion.servicio

    @admin.display(description="año")
    def anio(self, obj):
        return obj.linea.formulacion.proceso.anio

    def save_model(self, request, obj, form, change):
        # The form already ran ResultadoSistema.clean (not for Descentralización).
        resultado_sistema_guardar(resultado=obj, usuario=request.user)
