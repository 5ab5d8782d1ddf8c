from django.contrib import admin

from metas.models import Departamento, EvidenciaMedicion, Indicador, MetaAnual, Unidad


@admin.register(Departamento)
class DepartamentoAdmin(admin.ModelAdmin):
    list_display = ["nombre", "sigla", "jefe", "es_supuesto"]


@admin.register(Unidad)
class UnidadAdmin(admin.ModelAdmin):
    list_display = ["nombre", "departamento", "jefe", "es_supuesto"]
    list_filter = ["departamento"]
    filter_horizontal = ["integrantes"]


class IndicadorEnLinea(admin.StackedInline):
    model = Indicador
    extra = 0
    readonly_fields = ["valor_actual", "proyeccion", "semaforo", "semaforo_desde"]


@admin.register(MetaAnual)
class MetaAnualAdmin(admin.ModelAdmin):
    list_display = ["nombre", "unidad", "anio"]
    list_filter = ["anio", "unidad"]
    inlines = [IndicadorEnLinea]


@admin.register(EvidenciaMedicion)
class EvidenciaMedicionAdmin(admin.ModelAdmin):
    list_display = ["nombre_original", "medicion", "subido_por", "subido_en"]
    readonly_fields = [campo.name for campo in EvidenciaMedicion._meta.fields]

    def has_add_permission(self, request):
        return False
