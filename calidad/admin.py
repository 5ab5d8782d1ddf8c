"""Admin of the quality system: the model is data an admin completes; the rest is read here and
changed only through the app's pages (its services log every change)."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from calidad.models import (
    Acreditacion,
    Autoevaluacion,
    Criterio,
    Elemento,
    Incentivo,
    ModeloGestion,
    PlanMejoras,
)
from calidad.services import modelo_activar, problemas_del_modelo


class CriterioInline(admin.TabularInline):
    model = Criterio
    extra = 0
    fields = ["numero", "nombre", "puntaje_maximo", "es_supuesto", "fuente"]


@admin.register(ModeloGestion)
class ModeloGestionAdmin(admin.ModelAdmin):
    list_display = ["anio", "nombre", "escala_maxima", "es_activo", "estado_del_modelo"]
    readonly_fields = ["es_activo"]
    inlines = [CriterioInline]
    actions = ["activar"]

    @admin.display(description="Para activarse")
    def estado_del_modelo(self, modelo: ModeloGestion) -> str:
        problemas = problemas_del_modelo(modelo)
        return " ".join(problemas) if problemas else "Completo: suma 500 puntos."

    @admin.action(description="Activar los modelos elegidos (exige que sumen 500 puntos)")
    def activar(self, request, queryset) -> None:
        for modelo in queryset:
            try:
                modelo_activar(modelo=modelo, usuario=request.user)
                self.message_user(request, f"{modelo} activado.")
            except ValidationError as error:
                self.message_user(
                    request, f"{modelo} no se activó: {' '.join(error.messages)}", messages.ERROR
                )


class ElementoInline(admin.TabularInline):
    model = Elemento
    extra = 0
    fields = ["numero", "nombre", "descripcion", "puntaje_maximo"]


@admin.register(Criterio)
class CriterioAdmin(admin.ModelAdmin):
    list_display = ["modelo", "numero", "nombre", "puntaje_maximo", "es_supuesto"]
    list_filter = ["modelo", "es_supuesto"]
    list_select_related = ["modelo"]
    inlines = [ElementoInline]


class SoloLectura(admin.ModelAdmin):
    """States, scores and records change only through the app's services."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Autoevaluacion)
class AutoevaluacionAdmin(SoloLectura):
    list_display = ["anio", "servicio", "estado", "ronda", "puntaje_validado"]
    list_filter = ["anio", "estado"]
    list_select_related = ["servicio"]


@admin.register(PlanMejoras)
class PlanMejorasAdmin(SoloLectura):
    list_display = ["autoevaluacion", "estado", "ronda"]
    list_filter = ["estado"]
    list_select_related = ["autoevaluacion__servicio"]


@admin.register(Acreditacion)
class AcreditacionAdmin(SoloLectura):
    list_display = ["anio", "servicio", "nivel", "puntaje", "fecha", "resolucion"]
    list_filter = ["anio", "nivel"]
    list_select_related = ["servicio"]


@admin.register(Incentivo)
class IncentivoAdmin(SoloLectura):
    list_display = ["acreditacion", "tipo", "descripcion", "monto", "fecha"]
    list_filter = ["tipo"]
    list_select_related = ["acreditacion__servicio"]
