from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path

from bitacora.admin import SoloLecturaAdmin
from validacion.importar_dipres import resultados_importar
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

    change_list_template = "admin/validacion/resultadosistema/change_list.html"

    def save_model(self, request, obj, form, change):
        # The form already ran ResultadoSistema.clean (not for Descentralización).
        resultado_sistema_guardar(resultado=obj, usuario=request.user)

    def get_urls(self):
        propias = [
            path(
                "importar/",
                self.admin_site.admin_view(self.importar),
                name="validacion_resultadosistema_importar",
            )
        ]
        return propias + super().get_urls()

    def importar(self, request):
        """Upload DIPRES's planilla: every row checked, all saved or none, errors by row."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        resultado = None
        formulario = ImportarDipresForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and formulario.is_valid():
            resultado = resultados_importar(
                archivo=formulario.cleaned_data["archivo"],
                anio=formulario.cleaned_data["anio"],
                usuario=request.user,
            )
            if not resultado["errores"]:
                self.message_user(
                    request,
                    f"Se importaron {resultado['guardados']} resultados de la planilla DIPRES.",
                    messages.SUCCESS,
                )
                return redirect("admin:validacion_resultadosistema_changelist")
        contexto = {
            **self.admin_site.each_context(request),
            "title": "Importar resultados desde la planilla DIPRES",
            "opts": self.model._meta,
            "formulario": formulario,
            "resultado": resultado,
        }
        return render(request, "admin/validacion/resultadosistema/importar.html", contexto)


class ImportarDipresForm(forms.Form):
    anio = forms.IntegerField(label="Año", min_value=2000, max_value=2100)
    archivo = forms.FileField(
        label="Planilla (.xlsx)",
        help_text="Fila de títulos con «Servicio», «Sistema» y «Resultado» (Cumple / No cumple).",
    )
