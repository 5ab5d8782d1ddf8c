"""Form templates built in the browser by Administración: a template with its sections, a section
with its questions (and its subsections), and a deep copy of a template under a new código.

Only the admin role (srm.permisos «configuracion.administrar») sees these pages.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import slugify

from formularios.models import Plantilla, Pregunta, Seccion
from formularios.services import plantilla_copiar
from srm import permisos


class SoloAdministracion:
    """Every page and action of these admins behind the one door's «configuracion.administrar»."""

    def _puede(self, request) -> bool:
        return permisos.puede(request.user, "configuracion.administrar")

    def has_module_permission(self, request) -> bool:
        return self._puede(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return self._puede(request)

    def has_add_permission(self, request, *args) -> bool:
        return self._puede(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._puede(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        # A template with filled forms keeps them: the database refuses (PROTECT), and so do we.
        if obj is not None and isinstance(obj, Plantilla) and obj.llenados.exists():
            return False
        return self._puede(request)


class SeccionInline(SoloAdministracion, admin.TabularInline):
    model = Seccion
    fk_name = "plantilla"
    fields = ["orden", "numero", "titulo", "padre", "clave", "enlace"]
    readonly_fields = ["enlace"]
    extra = 1
    ordering = ["orden", "pk"]

    @admin.display(description="preguntas")
    def enlace(self, obj):
        if not obj.pk:
            return "—"
        return format_html(
            '<a href="{}">Editar preguntas</a>',
            reverse("admin:formularios_seccion_change", args=[obj.pk]),
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "padre":
            plantilla_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = Seccion.objects.filter(plantilla_id=plantilla_id or 0)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class PreguntaForm(forms.ModelForm):
    opciones_texto = forms.CharField(
        label="opciones o columnas",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 30}),
        help_text="Una por línea: las opciones de una pregunta de selección o las columnas de "
        "una tabla.",
    )

    class Meta:
        model = Pregunta
        fields = [
            "orden",
            "numero",
            "titulo",
            "texto",
            "ayuda",
            "tipo",
            "obligatoria",
            "con_desarrollo",
            "etiqueta_desarrollo",
            "con_recomendaciones",
            "etiqueta_recomendaciones",
            "medios_requeridos",
            "descripcion_medios",
            "clave",
        ]
        widgets = {
            "texto": forms.Textarea(attrs={"rows": 3, "cols": 40}),
            "ayuda": forms.Textarea(attrs={"rows": 2, "cols": 30}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["opciones_texto"].initial = "\n".join(str(o) for o in self.instance.opciones)

    def clean(self):
        datos = super().clean()
        lineas = [
            linea.strip()
            for linea in (datos.get("opciones_texto") or "").splitlines()
            if linea.strip()
        ]
        tipo = datos.get("tipo")
        if tipo == Pregunta.Tipo.OPCION and len(lineas) < 2:
            raise ValidationError("Una pregunta de selección necesita al menos dos opciones.")
        if tipo == Pregunta.Tipo.TABLA and not lineas:
            raise ValidationError("Una tabla necesita al menos una columna.")
        if not (datos.get("titulo") or datos.get("texto")):
            raise ValidationError("Escriba el título o el texto de la pregunta.")
        if tipo == Pregunta.Tipo.SOLO_PARTES and not (
            datos.get("con_desarrollo") or datos.get("con_recomendaciones")
        ):
            raise ValidationError(
                "Una pregunta de «sólo desarrollo y recomendaciones» debe pedir al menos una de "
                "las dos partes."
            )
        self.instance.opciones = (
            lineas if tipo in (Pregunta.Tipo.OPCION, Pregunta.Tipo.TABLA) else []
        )
        return datos


class PreguntaInline(SoloAdministracion, admin.StackedInline):
    model = Pregunta
    form = PreguntaForm
    extra = 1
    ordering = ["orden", "pk"]


class CopiarForm(forms.Form):
    codigo = forms.SlugField(label="código de la copia", max_length=40)


@admin.register(Plantilla)
class PlantillaAdmin(SoloAdministracion, admin.ModelAdmin):
    list_display = [
        "nombre",
        "codigo",
        "cantidad_secciones",
        "por_compromiso",
        "con_resumen_ejecutivo",
    ]
    search_fields = ["nombre", "codigo"]
    inlines = [SeccionInline]
    actions = ["copiar_plantilla"]
    fields = [
        "codigo",
        "encabezado",
        "nombre",
        "descripcion",
        "por_compromiso",
        "con_resumen_ejecutivo",
        "secciones_antes",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(num_secciones=Count("secciones"))

    @admin.display(description="secciones", ordering="num_secciones")
    def cantidad_secciones(self, obj):
        return obj.num_secciones

    @admin.action(description="Copiar plantilla (con sus secciones y preguntas)")
    def copiar_plantilla(self, request, queryset):
        for plantilla in queryset.order_by("codigo"):
            base = slugify(f"{plantilla.codigo}-copia")[:34]
            codigo, numero = base, 1
            while Plantilla.objects.filter(codigo=codigo).exists():
                numero += 1
                codigo = f"{base}-{numero}"
            try:
                copia = plantilla_copiar(plantilla=plantilla, codigo=codigo, usuario=request.user)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                self.message_user(
                    request,
                    f"Plantilla «{plantilla.nombre}» copiada como «{copia.codigo}»: cambie su código "
                    "y nombre y ajuste sus preguntas.",
                    messages.SUCCESS,
                )


@admin.register(Seccion)
class SeccionAdmin(SoloAdministracion, admin.ModelAdmin):
    list_display = ["__str__", "plantilla", "padre", "orden"]
    list_filter = ["plantilla"]
    list_select_related = ["plantilla", "padre"]
    fields = [
        "plantilla",
        "padre",
        "orden",
        "numero",
        "titulo",
        "descripcion",
        "clave",
        "subsecciones",
    ]
    readonly_fields = ["subsecciones"]
    inlines = [PreguntaInline]

    @admin.display(description="subsecciones")
    def subsecciones(self, obj):
        if not obj.pk:
            return "—"
        hijas = obj.subsecciones.order_by("orden", "pk")
        return (
            format_html_join(
                ", ",
                '<a href="{}">{}</a>',
                ((reverse("admin:formularios_seccion_change", args=[h.pk]), str(h)) for h in hijas),
            )
            or "—"
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "padre":
            seccion_id = request.resolver_match.kwargs.get("object_id")
            seccion = Seccion.objects.filter(pk=seccion_id).first() if seccion_id else None
            kwargs["queryset"] = (
                Seccion.objects.filter(plantilla_id=seccion.plantilla_id).exclude(pk=seccion.pk)
                if seccion
                else Seccion.objects.select_related("plantilla")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if obj.padre_id and obj.padre.plantilla_id != obj.plantilla_id:
            obj.padre = None
        super().save_model(request, obj, form, change)
