from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User

from servicios.models import Cartera, Membresia, Ministerio, Region, Servicio, TipoServicio
from servicios.services import cartera_guardar, cartera_quitar


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["orden", "numero_romano", "nombre", "codigo"]
    search_fields = ["nombre", "numero_romano", "codigo"]


@admin.register(Ministerio)
class MinisterioAdmin(admin.ModelAdmin):
    list_display = ["partida", "nombre", "sigla"]
    search_fields = ["nombre", "sigla", "partida"]


@admin.register(TipoServicio)
class TipoServicioAdmin(admin.ModelAdmin):
    list_display = ["nombre", "codigo", "orden"]
    search_fields = ["nombre", "codigo"]


class MembresiaInline(admin.TabularInline):
    model = Membresia
    extra = 0
    autocomplete_fields = ["usuario"]


@admin.register(Servicio)
class ServicioAdmin(admin.ModelAdmin):
    list_display = ["nombre", "sigla", "ministerio", "capitulo", "tipo", "region", "activo"]
    list_filter = ["tipo", "ministerio", "region", "activo"]
    search_fields = ["nombre", "sigla", "ministerio__nombre"]
    list_select_related = ["ministerio", "tipo", "region"]
    inlines = [MembresiaInline]


@admin.register(Membresia)
class MembresiaAdmin(admin.ModelAdmin):
    list_display = ["usuario", "servicio", "cargo"]
    list_filter = ["servicio__tipo", "servicio__ministerio"]
    search_fields = ["usuario__username", "usuario__email", "servicio__nombre"]
    autocomplete_fields = ["usuario", "servicio"]
    list_select_related = ["usuario", "servicio"]


@admin.register(Cartera)
class CarteraAdmin(admin.ModelAdmin):
    list_display = ["anio", "rol", "usuario", "servicio"]
    list_filter = ["anio", "rol", "servicio__tipo", "servicio__ministerio"]
    search_fields = [
        "usuario__username",
        "usuario__first_name",
        "usuario__last_name",
        "servicio__nombre",
    ]
    autocomplete_fields = ["usuario", "servicio"]
    list_select_related = ["usuario", "servicio"]

    # Assignments go through their service, which logs them and notifies the consultora.
    def save_model(self, request, obj, form, change):
        cambios = [str(form.fields[c].label or c) for c in form.changed_data] if change else []
        cartera_guardar(cartera=obj, usuario=request.user, cambios=cambios)

    def delete_model(self, request, obj):
        cartera_quitar(cartera=obj, usuario=request.user)

    def delete_queryset(self, request, queryset):
        for cartera in queryset.select_related("usuario"):
            cartera_quitar(cartera=cartera, usuario=request.user)


class UsuarioAdmin(UserAdmin):
    """Unit staff manage accounts, but only a superuser grants superuser or raw permissions."""

    PROTEGIDOS = ("is_superuser", "user_permissions")

    def get_readonly_fields(self, request, obj=None):
        campos = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            campos += [campo for campo in self.PROTEGIDOS if campo not in campos]
        return campos


admin.site.unregister(User)
admin.site.register(User, UsuarioAdmin)
