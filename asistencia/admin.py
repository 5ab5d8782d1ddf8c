from django.contrib import admin

from asistencia.models import Actividad, ConfiguracionAsistencia, Consulta, Contacto
from bitacora.admin import SoloLecturaAdmin


@admin.register(ConfiguracionAsistencia)
class ConfiguracionAsistenciaAdmin(admin.ModelAdmin):
    """The year's response time for consultas and the reminder before it (días hábiles)."""

    list_display = ["anio", "dias_respuesta_consulta", "dias_aviso_antes"]


@admin.register(Consulta)
class ConsultaAdmin(SoloLecturaAdmin):
    """Read here; consultas are asked and answered in the SRM's pages."""

    list_display = ["asunto", "servicio", "anio", "estado", "plazo", "respondida_en"]
    list_filter = ["estado", "anio"]
    search_fields = ["asunto", "servicio__nombre"]
    list_select_related = ["servicio"]


@admin.register(Actividad)
class ActividadAdmin(SoloLecturaAdmin):
    list_display = ["tema", "tipo", "inicio", "estado", "responsable"]
    list_filter = ["tipo", "estado", "anio"]
    search_fields = ["tema"]
    list_select_related = ["responsable"]


@admin.register(Contacto)
class ContactoAdmin(SoloLecturaAdmin):
    list_display = ["servicio", "canal", "fecha", "tema", "analista"]
    list_filter = ["canal", "anio"]
    search_fields = ["tema", "servicio__nombre"]
    list_select_related = ["servicio", "analista"]
