from django.contrib import admin

from habiles.models import Feriado


@admin.register(Feriado)
class FeriadoAdmin(admin.ModelAdmin):
    list_display = ["fecha", "nombre", "fuente"]
    list_filter = ["fecha"]
    search_fields = ["nombre"]
    date_hierarchy = "fecha"
