from django import forms
from django.contrib import admin, messages
from django.db import models
from django.forms import CheckboxSelectMultiple
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils.html import format_html

from bitacora.admin import SoloLecturaAdmin
from compromisos.calendario import (
    CalendarioNoCopiable,
    calendario_copiar,
    decreto_guardar,
    entregable_eliminar,
    entregable_guardar,
    entregables_copiar,
    hito_eliminar,
    hito_guardar,
    motivo_no_eliminable,
)
from compromisos.models import (
    AvanceCompromiso,
    Compromiso,
    ExencionFormulacion,
    FormulacionPMG,
    Hito,
    HitoCompromiso,
    InformeAvance,
    Instantanea,
    LineaFormulacion,
    MedioComprometido,
    MedioVerificacion,
    Proceso,
    TipoEntregable,
)
from compromisos.selectors import linea_contraparte, plazos_por_tipo_de_servicio, supuesto_de
from compromisos.services import informe_prorrogar, validar_lineas
from compromisos.validators import revisar_archivo
from srm import entradas


def _etiquetas(form) -> list[str]:
    """The labels of the fields an admin form changed, for the event log."""
    return [str(form.fields[campo].label or campo) for campo in form.changed_data]


class HitosRegistradosMixin:
    """Hitos and deliverable kinds written from the admin (their page or the proceso's inline)
    are logged."""

    def save_formset(self, request, form, formset, change):
        if formset.model is TipoEntregable:
            self._guardar_entregables(request, formset)
            return
        if formset.model is not Hito:
            return super().save_formset(request, form, formset, change)
        formset.save(commit=False)
        for hito in formset.deleted_objects:
            hito_eliminar(hito=hito, usuario=request.user)
        formularios = {f.instance.pk: f for f in formset.forms if f.instance.pk}
        for hito in formset.new_objects:
            hito_guardar(hito=hito, usuario=request.user, cambios=[])
        for hito, _ in formset.changed_objects:
            hito_guardar(hito=hito, usuario=request.user, cambios=_etiquetas(formularios[hito.pk]))
        formset.save_m2m()


BLOQUEADO = (
    "{documento} está en revisión o aprobado y no se modifica aquí: sus cambios pasan por las "
    "acciones del SRM (reabrir, devolver), que quedan registradas."
)


class _BloqueoPorEstado:
    """Rows of a formulación or informe that is sent, under review or approved are read-only.

    `documento` is the path from the row (for an inline: from the page's object) to the
    formulación or informe whose state decides; "" is the object itself. Changes the unit
    needs after sending go through the review services, which write the event log.
    """

    documento = ""

    def _documento(self, obj):
        for parte in filter(None, self.documento.split(".")):
            obj = getattr(obj, parte, None)
        return obj

    def _bloqueado(self, obj) -> bool:
        documento = self._documento(obj) if obj is not None else None
        return documento is not None and not documento.es_editable

    def has_change_permission(self, request, obj=None):
        return not self._bloqueado(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._bloqueado(obj) and super().has_delete_permission(request, obj)


class SoloLecturaSiEnRevision(_BloqueoPorEstado):
    def get_actions(self, request):
        # Bulk deletion asks about no single row: it would delete rows of sent documents.
        acciones = super().get_actions(request)
        acciones.pop("delete_selected", None)
        return acciones

    def get_form(self, request, obj=None, **kwargs):
        formulario = super().get_form(request, obj, **kwargs)
        modelo_admin = self

        class FormularioBloqueado(formulario):
            def _post_clean(self) -> None:
                super()._post_clean()
                # A new row (or a moved one) may not join a document that is locked.
                if modelo_admin._bloqueado(self.instance):
                    documento = modelo_admin._documento(self.instance)
                    self.add_error(None, BLOQUEADO.format(documento=documento))

        return FormularioBloqueado


class InlineSoloLecturaSiEnRevision(_BloqueoPorEstado):
    def has_add_permission(self, request, obj=None):
        return not self._bloqueado(obj) and super().has_add_permission(request, obj)


class EtiquetasEnFilas:
    """A tabular inline's rows have column headings, not labels: each control of a row gets its
    column's name for screen readers (the checkbox lists keep the labels of their options)."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)

        class ConEtiquetas(formset):
            def add_fields(self, form, index):
                super().add_fields(form, index)
                for nombre, campo in form.fields.items():
                    if isinstance(campo.widget, CheckboxSelectMultiple):
                        continue
                    etiqueta = "Eliminar" if nombre == "DELETE" else str(campo.label or nombre)
                    # A foreign key's select sits inside the admin's wrapper (add/change links).
                    widget = getattr(campo.widget, "widget", campo.widget)
                    widget.attrs.setdefault("aria-label", etiqueta)

        return ConEtiquetas


class HitoInline(EtiquetasEnFilas, admin.TabularInline):
    model = Hito
    extra = 0
    fields = ["etapa", "nombre", "fecha_inicio", "fecha_limite", "entregable", "tipos_servicio"]
    # Five kinds of servicio: checkboxes fit a calendar row; a two-list widget per hito did not.
    formfield_overrides = {models.ManyToManyField: {"widget": CheckboxSelectMultiple}}

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        # A hito is the deadline of one of its own year's kinds, never another year's.
        campo = formset.form.base_fields.get("entregable")
        if campo is not None:
            campo.queryset = (
                TipoEntregable.objects.filter(proceso=obj).order_by("orden", "pk")
                if obj is not None and obj.pk
                else TipoEntregable.objects.none()
            )
            campo.label_from_instance = lambda tipo: tipo.nombre
        return formset


class TipoEntregableInline(EtiquetasEnFilas, admin.TabularInline):
    """The year's deliverable kinds: what the servicios send, on which form, and what follows.

    Their deadlines are the hitos below that point at them («Entregable» column).
    """

    model = TipoEntregable
    extra = 0
    verbose_name = "entregable del año"
    verbose_name_plural = (
        "Entregables del año (sus plazos: los hitos del calendario que los indican, más abajo)"
    )
    fields = [
        "orden",
        "clave",
        "nombre",
        "formulario",
        "sistema",
        "etapas",
        "revisado_por_subdere",
        "con_certificacion",
        "validado_por_consultora",
        "plazos",
    ]
    readonly_fields = ["plazos"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("formulario")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        campo = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "formulario":
            # Copies of a template keep its name: the código tells them apart.
            campo.label_from_instance = lambda plantilla: f"{plantilla.nombre} ({plantilla.codigo})"
        return campo

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        self._plazos = plazos_por_tipo_de_servicio(proceso=obj) if obj and obj.pk else {}

        class Formulario(formset.form):
            def hand_clean_DELETE(self):
                # A kind with informes stays: our message (what would be lost, what to do
                # instead) rather than the admin's list of every protected informe.
                if self.cleaned_data.get("DELETE") and self.instance.pk:
                    motivo = motivo_no_eliminable(self.instance)
                    if motivo:
                        raise forms.ValidationError(motivo, code="deleting_protected")
                super().hand_clean_DELETE()

        formset.form = Formulario
        return formset

    @admin.display(description="plazos por tipo de servicio")
    def plazos(self, tipo):
        if tipo is None or tipo.pk is None:
            return "Guarde el entregable y elija sus hitos en el calendario."
        lineas = getattr(self, "_plazos", {}).get(tipo.pk) or []
        supuesto = supuesto_de(tipo)
        aviso = format_html("<br><em>{}</em>", supuesto) if supuesto else ""
        if not lineas:
            return format_html("Sin hito en el calendario.{}", aviso)
        return format_html(
            "{}{}",
            format_html(
                "<br>".join(["{}"] * len(lineas)),
                *(f"{aplica}: {plazo}" for aplica, plazo in lineas),
            ),
            aviso,
        )


class ProcesoForm(forms.ModelForm):
    """The decree's document is checked like any evidence before anything is saved."""

    documento = forms.FileField(
        label="Documento del decreto",
        required=False,
        help_text="PDF u otro formato aceptado para medios; reemplazarlo conserva el anterior.",
    )

    class Meta:
        model = Proceso
        fields = [
            "anio",
            "programa",
            "descripcion",
            "decreto_programa_marco",
            "decreto_numero",
            "decreto_fecha",
            "decreto_estado",
        ]

    def clean_documento(self):
        archivo = self.cleaned_data.get("documento")
        if archivo is not None:
            revisar_archivo(archivo)
        return archivo


@admin.register(Proceso)
class ProcesoAdmin(HitosRegistradosMixin, admin.ModelAdmin):
    form = ProcesoForm
    list_display = ["anio", "decreto_numero", "decreto_fecha", "decreto_estado"]
    search_fields = ["anio", "decreto_programa_marco", "decreto_numero"]
    readonly_fields = ["documento_registrado"]
    fieldsets = [
        (None, {"fields": ["anio", "programa", "descripcion"]}),
        (
            "Decreto exento que aprueba el programa marco",
            {
                "fields": [
                    "decreto_programa_marco",
                    "decreto_numero",
                    "decreto_fecha",
                    "decreto_estado",
                    "documento_registrado",
                    "documento",
                ],
                "description": "El catálogo del programa marco (marcos, áreas, sistemas, etapas "
                "y requisitos) y el universo del año se editan en «Programas marco».",
            },
        ),
    ]
    inlines = [TipoEntregableInline, HitoInline]

    def _guardar_entregables(self, request, formset):
        formularios = {f.instance.pk: f for f in formset.forms if f.instance.pk}
        formset.save(commit=False)
        for tipo in formset.deleted_objects:
            entregable_eliminar(tipo=tipo, usuario=request.user)
        for tipo in formset.new_objects:
            entregable_guardar(tipo=tipo, usuario=request.user, cambios=[])
        for tipo, _ in formset.changed_objects:
            entregable_guardar(
                tipo=tipo, usuario=request.user, cambios=_etiquetas(formularios[tipo.pk])
            )

    @admin.display(description="documento registrado")
    def documento_registrado(self, obj):
        if not obj or obj.pk is None or not obj.decreto_sha256:
            return "Ninguno todavía."
        return format_html(
            '<a href="{}">{}</a> (SHA-256 {})',
            reverse("compromisos:decreto_descargar", args=[obj.anio]),
            obj.decreto_nombre_original,
            obj.decreto_sha256,
        )

    def save_model(self, request, obj, form, change):
        datos = form.cleaned_data
        numero, fecha, estado = (
            datos.get("decreto_numero", ""),
            datos.get("decreto_fecha"),
            datos.get("decreto_estado"),
        )
        if change:
            # The decree goes through its service, which checks the file and logs the change.
            original = Proceso.objects.get(pk=obj.pk)
            for campo in ("decreto_numero", "decreto_fecha", "decreto_estado"):
                setattr(obj, campo, getattr(original, campo))
        super().save_model(request, obj, form, change)
        decreto_guardar(
            proceso=obj,
            numero=numero,
            fecha=fecha,
            estado=estado,
            archivo=datos.get("documento"),
            usuario=request.user,
        )

    actions = ["copiar_calendario_al_anio_siguiente", "copiar_entregables_del_anio_anterior"]

    @admin.action(description="Copiar los entregables del año anterior (con sus hitos)")
    def copiar_entregables_del_anio_anterior(self, request, queryset):
        for proceso in queryset.order_by("anio"):
            try:
                entregables_copiar(destino=proceso, usuario=request.user)
            except CalendarioNoCopiable as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                self.message_user(
                    request,
                    f"Entregables copiados a {proceso.anio}, con los hitos que son sus plazos: "
                    "revise las fechas (los fines de semana pasan al lunes; los feriados no se "
                    "conocen).",
                    messages.SUCCESS,
                )

    @admin.action(description="Copiar el calendario al año siguiente")
    def copiar_calendario_al_anio_siguiente(self, request, queryset):
        for proceso in queryset.order_by("anio"):
            try:
                destino = calendario_copiar(
                    origen=proceso, anio=proceso.anio + 1, usuario=request.user
                )
            except CalendarioNoCopiable as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                self.message_user(
                    request,
                    f"Calendario {proceso.anio} copiado a {destino.anio}: revise las fechas "
                    "(los fines de semana pasan al lunes; los feriados no se conocen).",
                    messages.SUCCESS,
                )


@admin.register(Hito)
class HitoAdmin(admin.ModelAdmin):
    list_display = ["nombre", "proceso", "etapa", "fecha_inicio", "fecha_limite"]
    list_filter = ["proceso", "etapa", "tipos_servicio"]
    search_fields = ["nombre"]
    filter_horizontal = ["tipos_servicio"]

    def get_form(self, request, obj=None, **kwargs):
        formulario = super().get_form(request, obj, **kwargs)
        campo = formulario.base_fields.get("entregable")
        if campo is None:
            return formulario
        # The year being saved (the form's), else the hito's, else the one the link names.
        proceso_id = entradas.entero(request.POST.get("proceso")) or (
            obj.proceso_id if obj is not None else entradas.entero(request.GET.get("proceso"))
        )
        tipos = TipoEntregable.objects.select_related("proceso").order_by(
            "-proceso__anio", "orden", "pk"
        )
        if proceso_id:
            # Only that year's kinds (Hito.clean refuses another year's all the same).
            campo.queryset = tipos.filter(proceso_id=proceso_id)
            campo.label_from_instance = lambda tipo: tipo.nombre
        else:
            campo.queryset = tipos
            campo.label_from_instance = lambda tipo: f"{tipo.nombre} ({tipo.proceso.anio})"
            campo.help_text = "Elija primero el año: solo vale un entregable de ese año."
        return formulario

    def save_model(self, request, obj, form, change):
        hito_guardar(hito=obj, usuario=request.user, cambios=_etiquetas(form) if change else [])

    def delete_model(self, request, obj):
        hito_eliminar(hito=obj, usuario=request.user)

    def delete_queryset(self, request, queryset):
        for hito in queryset.select_related("proceso"):
            hito_eliminar(hito=hito, usuario=request.user)


class LineasAdminFormSet(BaseInlineFormSet):
    """The admin obeys the same 100 % rule as the portal."""

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        filas = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        if filas:
            validar_lineas(filas)


class LineaInline(InlineSoloLecturaSiEnRevision, admin.TabularInline):
    model = LineaFormulacion
    formset = LineasAdminFormSet
    extra = 0


class ExencionInline(InlineSoloLecturaSiEnRevision, admin.StackedInline):
    model = ExencionFormulacion
    extra = 0


@admin.register(FormulacionPMG)
class FormulacionAdmin(SoloLecturaSiEnRevision, admin.ModelAdmin):
    list_display = ["servicio", "proceso", "estado", "enviada_en"]
    list_filter = ["proceso", "estado", "servicio__tipo", "servicio__ministerio"]
    search_fields = ["servicio__nombre", "servicio__sigla"]
    readonly_fields = ["estado", "version", "enviada_en"]
    list_select_related = ["servicio", "proceso"]
    autocomplete_fields = ["servicio"]
    inlines = [LineaInline, ExencionInline]


class HitoCompromisoInline(InlineSoloLecturaSiEnRevision, admin.TabularInline):
    documento = "formulacion"
    model = HitoCompromiso
    extra = 0


class MedioComprometidoInline(InlineSoloLecturaSiEnRevision, admin.TabularInline):
    documento = "formulacion"
    model = MedioComprometido
    extra = 0


@admin.register(Compromiso)
class CompromisoAdmin(SoloLecturaSiEnRevision, admin.ModelAdmin):
    documento = "formulacion"
    list_display = ["codigo", "nombre", "formulacion", "tipo_medida", "complejidad", "ambito"]
    list_filter = [
        "formulacion__proceso",
        "tipo_medida",
        "complejidad",
        "ambito",
        "formulacion__servicio__tipo",
    ]
    search_fields = ["codigo", "nombre", "descripcion", "formulacion__servicio__nombre"]
    list_select_related = ["formulacion__servicio", "formulacion__proceso"]
    autocomplete_fields = ["formulacion", "origen"]
    filter_horizontal = ["regiones"]
    inlines = [HitoCompromisoInline, MedioComprometidoInline]
    # The line is the formulación's Descentralización line, never chosen by hand.
    readonly_fields = ["linea"]

    def save_model(self, request, obj, form, change):
        obj.linea = linea_contraparte(formulacion_id=obj.formulacion_id)
        super().save_model(request, obj, form, change)


class AvanceInline(InlineSoloLecturaSiEnRevision, admin.StackedInline):
    model = AvanceCompromiso
    extra = 0
    autocomplete_fields = ["compromiso"]


@admin.register(InformeAvance)
class InformeAvanceAdmin(SoloLecturaSiEnRevision, admin.ModelAdmin):
    list_display = [
        "formulacion",
        "periodo",
        "estado",
        "enviado_en",
        "es_atrasado",
        "prorroga_hasta",
    ]
    list_filter = [
        "formulacion__proceso",
        "periodo",
        "estado",
        "es_atrasado",
        "formulacion__servicio__tipo",
    ]
    search_fields = ["formulacion__servicio__nombre", "formulacion__servicio__sigla"]
    readonly_fields = ["estado", "version", "enviado_en", "es_atrasado"]
    list_select_related = ["formulacion__servicio", "formulacion__proceso"]
    autocomplete_fields = ["formulacion"]
    inlines = [AvanceInline]

    def save_model(self, request, obj, form, change):
        # The extension goes through its service, which logs the previous deadline.
        if change and "prorroga_hasta" in form.changed_data:
            hasta = obj.prorroga_hasta
            obj.prorroga_hasta = form.initial.get("prorroga_hasta")
            super().save_model(request, obj, form, change)
            informe_prorrogar(informe=obj, hasta=hasta, usuario=request.user)
            obj.prorroga_hasta = hasta
        else:
            super().save_model(request, obj, form, change)


@admin.register(AvanceCompromiso)
class AvanceCompromisoAdmin(SoloLecturaSiEnRevision, admin.ModelAdmin):
    documento = "informe"
    list_display = ["compromiso", "informe", "porcentaje"]
    list_filter = ["informe__periodo", "informe__formulacion__proceso"]
    search_fields = [
        "compromiso__nombre",
        "compromiso__codigo",
        "informe__formulacion__servicio__nombre",
    ]
    list_select_related = [
        "compromiso",
        "informe__formulacion__servicio",
        "informe__formulacion__proceso",
    ]
    autocomplete_fields = ["compromiso", "informe"]


@admin.register(MedioVerificacion)
class MedioVerificacionAdmin(admin.ModelAdmin):
    """Evidence is read-only here: files are uploaded, replaced and withdrawn through the portal."""

    list_display = ["nombre_original", "tipo", "tamano", "subido_por", "subido_en", "eliminado_en"]
    list_filter = ["tipo", "informe__periodo", "informe__formulacion__proceso"]
    search_fields = [
        "nombre_original",
        "descripcion",
        "sha256",
        "informe__formulacion__servicio__nombre",
    ]
    list_select_related = ["subido_por"]
    readonly_fields = [f.name for f in MedioVerificacion._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LineaFormulacion)
class LineaFormulacionAdmin(SoloLecturaSiEnRevision, admin.ModelAdmin):
    documento = "formulacion"
    list_display = ["sistema", "formulacion", "etapa", "prioridad", "ponderador"]
    list_filter = ["prioridad", "etapa", "formulacion__proceso"]
    search_fields = ["sistema", "area", "formulacion__servicio__nombre"]
    list_select_related = ["formulacion__servicio", "formulacion__proceso"]


@admin.register(ExencionFormulacion)
class ExencionFormulacionAdmin(SoloLecturaSiEnRevision, admin.ModelAdmin):
    documento = "formulacion"
    list_display = ["sistema", "tipo", "etapa", "formulacion"]
    list_filter = ["tipo", "formulacion__proceso"]
    search_fields = ["sistema", "justificacion", "formulacion__servicio__nombre"]
    list_select_related = ["formulacion__servicio", "formulacion__proceso"]


@admin.register(HitoCompromiso)
class HitoCompromisoAdmin(SoloLecturaSiEnRevision, admin.ModelAdmin):
    documento = "compromiso.formulacion"
    list_display = ["descripcion", "compromiso", "fecha_comprometida", "fecha_cumplimiento"]
    list_filter = ["compromiso__formulacion__proceso"]
    search_fields = ["descripcion", "compromiso__nombre"]


@admin.register(MedioComprometido)
class MedioComprometidoAdmin(SoloLecturaSiEnRevision, admin.ModelAdmin):
    documento = "compromiso.formulacion"
    list_display = ["descripcion", "tipo", "compromiso"]
    list_filter = ["tipo", "compromiso__formulacion__proceso"]
    search_fields = ["descripcion", "compromiso__nombre"]


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
