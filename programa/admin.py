"""The Unidad sets up a year's programa marco and universe here.

Django's admin nests one level of inlines: the programa shows its marcos, reglas, declared
figures and participations; a marco its áreas; an área its sistemas; a sistema its etapas; an
etapa its requisitos with their medios (one page per level, linked from the level above).
"""

from django.contrib import admin, messages
from django.utils.html import format_html, format_html_join

from programa.models import (
    AreaMejoramiento,
    CifraUniverso,
    EtapaSistema,
    Marco,
    MedioRequerido,
    Participacion,
    ProgramaMarco,
    ReglaCumplimiento,
    ReglaPrioridad,
    RequisitoTecnico,
    SistemaPMG,
    TramoIncentivo,
)
from programa.services import (
    ProgramaNoCopiable,
    participacion_guardar,
    participacion_quitar,
    programa_copiar,
    programa_modificado_registrar,
)


class RegistradoMixin:
    """Every edit of the catalogue from the admin leaves an event with what changed."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and form.changed_data:
            programa_modificado_registrar(
                programa=self._programa(obj),
                usuario=request.user,
                cambios=[f"{obj}: {', '.join(form.changed_data)}"],
            )
        elif not change:
            programa_modificado_registrar(
                programa=self._programa(obj), usuario=request.user, cambios=[f"agregó {obj}"]
            )

    def save_formset(self, request, form, formset, change):
        if formset.model is Participacion:
            return self._guardar_participaciones(request, formset)
        instancias = formset.save()
        cambios = [f"agregó o cambió {obj}" for obj in instancias]
        cambios += [f"quitó {obj}" for obj in formset.deleted_objects]
        programa_modificado_registrar(
            programa=self._programa(form.instance), usuario=request.user, cambios=cambios
        )

    def _guardar_participaciones(self, request, formset):
        formset.save(commit=False)
        for participacion in formset.deleted_objects:
            participacion_quitar(participacion=participacion, usuario=request.user)
        for participacion in [*formset.new_objects, *(o for o, _ in formset.changed_objects)]:
            participacion_guardar(participacion=participacion, usuario=request.user)

    def delete_model(self, request, obj):
        programa = self._programa(obj)
        descripcion = str(obj)
        super().delete_model(request, obj)
        if programa is not None and not isinstance(obj, ProgramaMarco):
            programa_modificado_registrar(
                programa=programa, usuario=request.user, cambios=[f"quitó {descripcion}"]
            )

    @staticmethod
    def _programa(obj) -> ProgramaMarco:
        while not isinstance(obj, ProgramaMarco):
            obj = next(
                getattr(obj, campo)
                for campo in ("programa", "marco", "area", "sistema", "etapa", "requisito")
                if hasattr(obj, campo) and campo in {f.name for f in obj._meta.fields}
            )
        return obj


def _enlaces(filas, vista: str) -> str:
    return format_html_join(
        ", ", '<a href="{}">{}</a>', ((f"../../{vista}/{fila.pk}/change/", fila) for fila in filas)
    )


class MarcoInline(admin.TabularInline):
    model = Marco
    extra = 0
    fields = ["nombre", "orden", "fuente", "areas_del_marco"]
    readonly_fields = ["areas_del_marco"]

    @admin.display(description="áreas (editar en el marco)")
    def areas_del_marco(self, obj):
        return _enlaces(obj.areas.all(), "areamejoramiento") if obj.pk else "—"


class ReglaInline(admin.TabularInline):
    model = ReglaPrioridad
    extra = 0


class ReglaCumplimientoInline(admin.StackedInline):
    model = ReglaCumplimiento
    extra = 0
    max_num = 1


class TramoInline(admin.TabularInline):
    model = TramoIncentivo
    extra = 0


class CifraInline(admin.TabularInline):
    model = CifraUniverso
    extra = 0


class ParticipacionInline(admin.TabularInline):
    model = Participacion
    extra = 0
    autocomplete_fields = ["servicio"]
    fields = ["servicio", "estado", "otro_sistema", "motivo", "fuente"]


@admin.register(ProgramaMarco)
class ProgramaMarcoAdmin(RegistradoMixin, admin.ModelAdmin):
    list_display = ["anio", "cantidad_sistemas", "cantidad_participantes"]
    readonly_fields = ["resumen_catalogo"]
    fields = ["anio", "fuente", "resumen_catalogo", "ministerios_declarados", "fuente_universo"]
    inlines = [
        MarcoInline,
        ReglaInline,
        ReglaCumplimientoInline,
        TramoInline,
        CifraInline,
        ParticipacionInline,
    ]
    actions = ["copiar_al_anio_siguiente"]

    @admin.display(description="sistemas")
    def cantidad_sistemas(self, obj):
        return SistemaPMG.objects.filter(area__marco__programa=obj).count()

    @admin.display(description="servicios que participan")
    def cantidad_participantes(self, obj):
        return obj.participaciones.filter(estado="participa").count()

    @admin.display(description="catálogo")
    def resumen_catalogo(self, obj):
        if not obj.pk:
            return "—"
        sistemas = SistemaPMG.objects.filter(area__marco__programa=obj).select_related(
            "area__marco"
        )
        if not sistemas:
            return "Sin sistemas: agréguelos desde cada marco y área, o copie el año anterior."
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                '<li>{} · {} · <a href="../../sistemapmg/{}/change/">{}</a></li>',
                ((s.area.marco, s.area.nombre, s.pk, s.nombre) for s in sistemas),
            ),
        )

    @admin.action(description="Copiar el programa marco al año siguiente")
    def copiar_al_anio_siguiente(self, request, queryset):
        for programa in queryset.order_by("anio"):
            try:
                destino = programa_copiar(
                    origen=programa, anio=programa.anio + 1, usuario=request.user
                )
            except ProgramaNoCopiable as error:
                self.message_user(request, error.messages[0], messages.ERROR)
            else:
                self.message_user(
                    request,
                    f"Programa marco {programa.anio} copiado a {destino.anio}: revise cada sistema "
                    "contra el decreto del nuevo año.",
                    messages.SUCCESS,
                )


class AreaInline(admin.TabularInline):
    model = AreaMejoramiento
    extra = 0


@admin.register(Marco)
class MarcoAdmin(RegistradoMixin, admin.ModelAdmin):
    list_display = ["nombre", "programa", "orden"]
    list_filter = ["programa"]
    inlines = [AreaInline]


class SistemaInline(admin.TabularInline):
    model = SistemaPMG
    extra = 0
    fields = ["nombre", "orden", "es_contraparte_subdere", "fuente"]


@admin.register(AreaMejoramiento)
class AreaMejoramientoAdmin(RegistradoMixin, admin.ModelAdmin):
    list_display = ["nombre", "marco"]
    list_filter = ["marco__programa"]
    list_select_related = ["marco__programa"]
    inlines = [SistemaInline]


class EtapaInline(admin.TabularInline):
    model = EtapaSistema
    extra = 0
    fields = ["numero", "nombre", "fuente", "requisitos_de_la_etapa"]
    readonly_fields = ["requisitos_de_la_etapa"]

    @admin.display(description="requisitos técnicos")
    def requisitos_de_la_etapa(self, obj):
        if not obj.pk:
            return "—"
        cantidad = obj.requisitos.count()
        return format_html(
            '<a href="../../../etapasistema/{}/change/">{} requisito(s): editar</a>',
            obj.pk,
            cantidad,
        )


@admin.register(SistemaPMG)
class SistemaPMGAdmin(RegistradoMixin, admin.ModelAdmin):
    list_display = ["nombre", "area", "es_contraparte_subdere"]
    list_filter = ["area__marco__programa", "es_contraparte_subdere"]
    list_select_related = ["area__marco__programa"]
    search_fields = ["nombre"]
    inlines = [EtapaInline]


class RequisitoInline(admin.StackedInline):
    model = RequisitoTecnico
    extra = 0
    fields = ["texto", "orden", "fuente", "medios_del_requisito"]
    readonly_fields = ["medios_del_requisito"]

    @admin.display(description="medios de verificación")
    def medios_del_requisito(self, obj):
        if not obj.pk:
            return "—"
        return format_html(
            '{} <a href="../../../requisitotecnico/{}/change/">editar medios</a>',
            ", ".join(m.descripcion for m in obj.medios.all()) or "ninguno",
            obj.pk,
        )


@admin.register(EtapaSistema)
class EtapaSistemaAdmin(RegistradoMixin, admin.ModelAdmin):
    list_display = ["__str__", "sistema"]
    list_filter = ["sistema__area__marco__programa"]
    list_select_related = ["sistema"]
    inlines = [RequisitoInline]


class MedioInline(admin.TabularInline):
    model = MedioRequerido
    extra = 1


@admin.register(RequisitoTecnico)
class RequisitoTecnicoAdmin(RegistradoMixin, admin.ModelAdmin):
    list_display = ["__str__", "etapa"]
    list_filter = ["etapa__sistema__area__marco__programa"]
    list_select_related = ["etapa__sistema"]
    inlines = [MedioInline]


@admin.register(Participacion)
class ParticipacionAdmin(admin.ModelAdmin):
    list_display = ["servicio", "programa", "estado", "otro_sistema"]
    list_filter = ["programa", "estado", "servicio__tipo", "servicio__ministerio"]
    search_fields = ["servicio__nombre", "servicio__sigla", "motivo"]
    autocomplete_fields = ["servicio"]
    list_select_related = ["servicio", "programa"]

    def save_model(self, request, obj, form, change):
        participacion_guardar(participacion=obj, usuario=request.user)

    def delete_model(self, request, obj):
        participacion_quitar(participacion=obj, usuario=request.user)

    def delete_queryset(self, request, queryset):
        for participacion in queryset.select_related("servicio", "programa"):
            participacion_quitar(participacion=participacion, usuario=request.user)
