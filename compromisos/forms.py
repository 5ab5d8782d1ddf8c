"""Forms of the servicio portal. They validate and render; services do the writing."""

from django import forms
from django.core.exceptions import ValidationError

from compromisos import services
from compromisos.models import (
    CAMPOS_AVANCE,
    CAMPOS_RESUMEN,
    AvanceCompromiso,
    Compromiso,
    ExencionFormulacion,
    HitoCompromiso,
    InformeAvance,
    LineaFormulacion,
    MedioComprometido,
    TipoMedio,
)
from formularios.models import Pregunta
from programa.models import SistemaPMG
from servicios.models import Region
from srm.widgets import ArchivoLigero, CasillasLigeras, FormularioBootstrap, aligerar

ETAPAS = [(1, "I"), (2, "II"), (3, "III"), (4, "IV")]
# Rows a formset takes: far above any formulación, far below Django's 2,000 (built one by one
# from a posted TOTAL_FORMS); more is refused with Django's "envíe como máximo" message.
FILAS_MAXIMAS = {"max_num": 200, "absolute_max": 200, "validate_max": True}


class EstiloCompacto:
    """Bootstrap classes for forms rendered as table rows (without crispy's labels)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for campo in self.fields.values():
            widget = campo.widget
            if isinstance(widget, forms.CheckboxInput):
                clase = "form-check-input"
            elif isinstance(widget, forms.Select):
                clase = "form-select form-select-sm"
            else:
                clase = "form-control form-control-sm"
            widget.attrs["class"] = clase
        aligerar(self.fields)

    def full_clean(self) -> None:
        super().full_clean()
        for nombre in self.errors:
            if nombre in self.fields:
                self.fields[nombre].widget.attrs["class"] += " is-invalid"


class FormularioFilas(forms.BaseFormSet):
    """A formset whose rows can be added in the browser and removed with a checkbox."""

    def add_fields(self, form, index) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Quitar"
            form.fields["DELETE"].widget.attrs["class"] = "form-check-input"

    def filas(self) -> list[dict]:
        return [
            form.cleaned_data
            for form in self.forms
            if form.has_changed() and form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


class SistemaDelCatalogo:
    """A row whose sistema is chosen from the year's programa marco (marco · área · sistema).

    The catalogue comes once per page (form_kwargs), so a page of rows makes no query per row.
    """

    def __init__(self, *args, catalogo: dict[int, SistemaPMG], anio: int, **kwargs) -> None:
        self.catalogo = catalogo
        super().__init__(*args, **kwargs)
        self.fields["sistema_catalogo"] = forms.TypedChoiceField(
            label="Sistema (marco · área · sistema)",
            choices=[("", "— elija un sistema —")]
            + [(pk, sistema.etiqueta) for pk, sistema in catalogo.items()],
            coerce=int,
            empty_value=None,
            error_messages={
                "required": f"Elija el sistema en la lista del programa marco {anio}.",
                "invalid_choice": f"Ese sistema no es del programa marco {anio}; elija uno de "
                "la lista.",
            },
        )
        # A row written before the catalogue shows its old text until a sistema is chosen.
        self.fields["anterior"] = forms.CharField(required=False, widget=forms.HiddenInput)
        self.order_fields(["sistema_catalogo"])
        self.fields["sistema_catalogo"].widget.attrs["class"] = "form-select form-select-sm"

    def clean_sistema_catalogo(self) -> SistemaPMG | None:
        pk = self.cleaned_data.get("sistema_catalogo")
        return None if pk is None else self.catalogo[pk]


class LineaForm(SistemaDelCatalogo, EstiloCompacto, forms.ModelForm):
    etapa = forms.TypedChoiceField(label="Etapa", choices=ETAPAS, coerce=int)

    class Meta:
        model = LineaFormulacion
        fields = ["etapa", "prioridad", "ponderador"]
        labels = {"ponderador": "Ponderador (%)"}

    def validate_unique(self) -> None:
        # Uniqueness across rows is checked by the formset, before anything is saved.
        pass


class LineasFormSet(FormularioFilas):
    def clean(self) -> None:
        if any(self.errors):
            return
        filas = self.filas()
        if not filas:
            raise ValidationError("La formulación necesita al menos un sistema.")
        services.validar_lineas([services.con_textos_del_catalogo(fila) for fila in filas])


class ExencionForm(SistemaDelCatalogo, EstiloCompacto, forms.ModelForm):
    etapa = forms.TypedChoiceField(
        label="Etapa", choices=[("", "—"), *ETAPAS], coerce=int, empty_value=None, required=False
    )

    class Meta:
        model = ExencionFormulacion
        fields = ["tipo", "etapa", "justificacion"]
        widgets = {"justificacion": forms.Textarea(attrs={"rows": 3})}

    def clean(self) -> dict:
        datos = super().clean()
        tipo, etapa = datos.get("tipo"), datos.get("etapa")
        if tipo == ExencionFormulacion.Tipo.MODIFICAR and etapa is None:
            self.add_error("etapa", "Indique la etapa cuyo contenido se modifica.")
        if tipo == ExencionFormulacion.Tipo.EXIMIR and etapa is not None:
            self.add_error("etapa", "Un sistema eximido no lleva etapa: déjela en «—».")
        return datos

    def validate_unique(self) -> None:
        pass


LineaFormSet = forms.formset_factory(
    LineaForm, formset=LineasFormSet, extra=1, can_delete=True, **FILAS_MAXIMAS
)


class ExencionesFormSet(FormularioFilas):
    def clean(self) -> None:
        if not any(self.errors):
            services.validar_exenciones(
                [services.con_textos_del_catalogo(fila) for fila in self.filas()]
            )


ExencionFormSet = forms.formset_factory(
    ExencionForm, formset=ExencionesFormSet, extra=1, can_delete=True, **FILAS_MAXIMAS
)


class CompromisoForm(forms.ModelForm):
    regiones = forms.ModelMultipleChoiceField(
        label="Regiones involucradas",
        queryset=Region.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Compromiso
        fields = [*services.CAMPOS_COMPROMISO, "regiones"]
        widgets = {
            "descripcion": forms.Textarea(attrs={"rows": 3}),
            "meta": forms.Textarea(attrs={"rows": 2}),
        }

    def validate_unique(self) -> None:
        # The service checks the code against the formulación being edited.
        pass


class HitoCompromisoForm(EstiloCompacto, forms.ModelForm):
    class Meta:
        model = HitoCompromiso
        fields = ["descripcion", "fecha_comprometida"]
        widgets = {"fecha_comprometida": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class MedioComprometidoForm(EstiloCompacto, forms.ModelForm):
    id = forms.ModelChoiceField(
        queryset=MedioComprometido.objects.all(), required=False, widget=forms.HiddenInput
    )
    tipo = forms.ChoiceField(choices=TipoMedio.choices, initial=TipoMedio.INFORME)

    class Meta:
        model = MedioComprometido
        fields = ["id", "descripcion", "tipo"]

    def __init__(self, *args, compromiso: Compromiso | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Only this compromiso's own promised medios can be kept; a new compromiso has none.
        self.fields["id"].queryset = (
            compromiso.medios_comprometidos.all()
            if compromiso is not None
            else MedioComprometido.objects.none()
        )
        self.fields["id"].error_messages["invalid_choice"] = (
            "Este medio comprometido no pertenece al compromiso: recargue la página."
        )


HitoCompromisoFormSet = forms.formset_factory(
    HitoCompromisoForm, formset=FormularioFilas, extra=1, can_delete=True, **FILAS_MAXIMAS
)
MedioComprometidoFormSet = forms.formset_factory(
    MedioComprometidoForm, formset=FormularioFilas, extra=1, can_delete=True, **FILAS_MAXIMAS
)


class CamposDeOtroFormulario:
    """Fields that belong to the page's main <form> while sitting beside other forms (uploads)."""

    FORMULARIO_HTML = "informe-texto"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for campo in self.fields.values():
            campo.widget.attrs["form"] = self.FORMULARIO_HTML


class AvanceForm(FormularioBootstrap, CamposDeOtroFormulario, forms.ModelForm):
    class Meta:
        model = AvanceCompromiso
        fields = CAMPOS_AVANCE
        labels = {"porcentaje": "Avance (%)"}
        widgets = {
            "porcentaje": forms.NumberInput(attrs={"min": 0, "max": 100, "step": 1}),
            "desarrollo_alcanzado": forms.Textarea(attrs={"rows": 4}),
            "dificultades": forms.Textarea(attrs={"rows": 2}),
            "proximos_pasos": forms.Textarea(attrs={"rows": 2}),
        }


class ResumenEjecutivoForm(FormularioBootstrap, CamposDeOtroFormulario, forms.ModelForm):
    class Meta:
        model = InformeAvance
        fields = CAMPOS_RESUMEN
        widgets = {campo: forms.Textarea(attrs={"rows": 4}) for campo in CAMPOS_RESUMEN}


class RequisitosInformeForm(CamposDeOtroFormulario, forms.Form):
    """The checklist of the committed etapa: for each requisito técnico, the informe's files
    the servicio offers as its support. A hidden field tells that the checklist was on the
    page (an unticked box sends nothing)."""

    presente = forms.CharField(widget=forms.HiddenInput, initial="1", required=False)

    def __init__(self, *args, requisitos, opciones, vinculos: dict[int, set[int]], **kwargs):
        super().__init__(*args, **kwargs)
        for requisito in requisitos:
            nombre = f"requisito_{requisito.pk}"
            self.fields[nombre] = forms.TypedMultipleChoiceField(
                label=requisito.texto,
                choices=opciones,
                coerce=int,
                required=False,
                initial=sorted(vinculos.get(requisito.pk, ())),
                widget=CasillasLigeras(
                    attrs={"form": self.FORMULARIO_HTML, "class": "form-check-input"}
                ),
                error_messages={"invalid_choice": "Elija archivos de este informe."},
            )
            requisito.campo = nombre
        self.requisitos = requisitos

    def filas(self):
        """Each requisito with its field, for the template."""
        return [(requisito, self[requisito.campo]) for requisito in self.requisitos]

    def vinculos(self) -> dict[int, list[int]] | None:
        if self.data.get(self.add_prefix("presente")) != "1":
            return None
        return {r.pk: self.cleaned_data[r.campo] for r in self.requisitos}


class EnvioInformeForm(forms.Form):
    justificacion_faltantes = forms.CharField(
        label="Justificación de los medios comprometidos que no se adjuntan",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class VariosArchivosInput(ArchivoLigero, forms.ClearableFileInput):
    """Drawn in Python (srm.widgets.ArchivoLigero): one per compromiso on the informe's page."""

    allow_multiple_selected = True


class VariosArchivosField(forms.FileField):
    """Several files in one input (Django's documented pattern for `multiple`)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", VariosArchivosInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None) -> list:
        limpiar = super().clean
        if isinstance(data, list | tuple):
            return [limpiar(archivo, initial) for archivo in data]
        return [limpiar(data, initial)]


class SubidaMediosForm(EstiloCompacto, forms.Form):
    archivos = VariosArchivosField(
        label="Archivos",
        help_text="PDF, Word, Excel, PowerPoint, OpenDocument, CSV, JPG, PNG o ZIP; puede elegir varios.",
    )
    tipo = forms.ChoiceField(label="Tipo", choices=TipoMedio.choices, initial=TipoMedio.INFORME)
    medio_comprometido = forms.TypedChoiceField(
        label="Acredita el medio comprometido", coerce=int, empty_value=None, required=False
    )
    descripcion = forms.CharField(label="Descripción", max_length=500, required=False)

    def __init__(
        self,
        *args,
        avance: AvanceCompromiso | None = None,
        pregunta: Pregunta | None = None,
        **kwargs,
    ) -> None:
        # One upload form per compromiso (or form question) on the page: ids must not collide.
        kwargs.setdefault("auto_id", f"id_%s_{avance.pk}" if avance else f"id_%s_p{pregunta.pk}")
        super().__init__(*args, **kwargs)
        if avance is None:
            # A question's file proves the answer, not a compromiso's promised medio.
            del self.fields["medio_comprometido"]
            self.prometidos = {}
            return
        # Choices from the prefetched promised medios: no query per compromiso on the page.
        self.prometidos = {m.pk: m for m in avance.compromiso.medios_comprometidos.all()}
        self.fields["medio_comprometido"].choices = [
            ("", "(ninguno en particular)"),
            *((pk, m.descripcion) for pk, m in self.prometidos.items()),
        ]


class ReemplazoMedioForm(EstiloCompacto, forms.Form):
    archivo = forms.FileField(label="Nueva versión")
