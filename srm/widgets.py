"""Form fields drawn cheaply: Bootstrap's classes set in Python, selects drawn in Python.

crispy-forms draws each field through a dozen template files; a page with many fields (the
reports page's 17 selects and their 543 options, the informe's forms, the review queue's
filters) spent most of its time there. Forms that use these draw each field with
templates/partials/campo.html, the same markup crispy's bootstrap5 pack produces.
"""

import django_filters
from django import forms
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from srm import marcado


class SelectLigero(forms.Select):
    """Django's <select>, drawn in Python instead of one template per option.

    The same markup; a page of the tablero draws five to eight of them, over a hundred options,
    and the option templates alone took longer than computing the page's figures.
    """

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        elegido = set(self.format_value(value))
        opciones = []
        for valor, etiqueta in self.choices:
            if isinstance(etiqueta, list | tuple):  # option groups: Django's own templates
                return super().render(name, value, attrs, renderer)
            texto = "" if valor is None else str(valor)
            # As Django's Select: only the first matching option is selected.
            seleccionada = texto in elegido
            if seleccionada:
                elegido = set()
            opciones.append(
                f'<option value="{marcado.escapar(texto)}"{" selected" if seleccionada else ""}>'
                f"{marcado.escapar(etiqueta)}</option>"
            )
        return marcado.html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(self.build_attrs(self.attrs, attrs)),
            SafeString("".join(opciones)),
        )


def _atributos(atributos: dict) -> str:
    """Django's attrs.html in Python: in order, a true boolean bare, False (and None) left out."""
    return "".join(
        f" {conditional_escape(nombre)}"
        if valor is True
        else f' {conditional_escape(nombre)}="{conditional_escape(valor)}"'
        for nombre, valor in atributos.items()
        if valor is not False and valor is not None
    )


def _entrada(tipo: str, nombre: str, valor, atributos: dict) -> str:
    """Django's input.html in Python."""
    return (
        f'<input type="{conditional_escape(tipo)}" name="{conditional_escape(nombre)}"'
        + ("" if valor is None else f' value="{conditional_escape(valor)}"')
        + f"{_atributos(atributos)}>"
    )


class EntradaLigera:
    """Django's <input> (input.html) drawn in Python: a mixin for Input widgets."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        return mark_safe(_entrada(widget["type"], name, widget["value"], widget["attrs"]))


class ArchivoLigero:
    """Django's file inputs (input.html; clearable_file_input.html without a current file)
    drawn in Python: a mixin. The informe being completed has an upload form per compromiso;
    each file input's templates cost ~1 ms in the page."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        if widget.get("is_initial"):  # a current file: its link and the clear checkbox
            return super().render(name, value, attrs, renderer)
        # A file input never shows a value.
        return mark_safe(_entrada(widget["type"], name, None, widget["attrs"]))


class OpcionesLigeras:
    """A mixin for checkboxes and radio buttons: each option (`BoundWidget.tag`) drawn in
    Python. input_option.html renders three templates per option, and the informe's checklist
    of requisitos has a box per file and requisito."""

    def _render(self, template_name, context, renderer=None):
        if template_name != self.option_template_name:
            return super()._render(template_name, context, renderer)
        opcion = context["widget"]
        entrada = _entrada(opcion["type"], opcion["name"], opcion["value"], opcion["attrs"])
        if not opcion["wrap_label"]:
            return mark_safe(entrada)
        para = opcion["attrs"].get("id")
        para = f' for="{conditional_escape(para)}"' if para else ""
        # (input.html ends in a newline, kept inside the label.)
        return mark_safe(f"<label{para}>{entrada}\n {conditional_escape(opcion['label'])}</label>")


class CasillasLigeras(OpcionesLigeras, forms.CheckboxSelectMultiple):
    """Django's CheckboxSelectMultiple, its options drawn in Python."""


class RadiosLigeros(OpcionesLigeras, forms.RadioSelect):
    """Django's RadioSelect, its options drawn in Python."""


class AreaLigera(forms.Textarea):
    """Django's <textarea> (textarea.html) drawn in Python."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        valor = widget["value"]
        return mark_safe(
            f'<textarea name="{conditional_escape(name)}"{_atributos(widget["attrs"])}>\n'
            f"{conditional_escape(valor) if valor else ''}</textarea>"
        )


# The widgets whose template is replaced by Python (exact classes: subclasses may draw more).
LIGEROS: dict[type, type] = {
    forms.Select: SelectLigero,
    forms.Textarea: AreaLigera,
    **{
        clase: type(f"{clase.__name__}Ligero", (EntradaLigera, clase), {})
        for clase in (
            forms.TextInput,
            forms.NumberInput,
            forms.EmailInput,
            forms.URLInput,
            forms.DateInput,
            forms.HiddenInput,
        )
    },
    **{
        clase: type(f"{clase.__name__}Ligero", (ArchivoLigero, clase), {})
        for clase in (forms.FileInput, forms.ClearableFileInput)
    },
}


class OpcionesEnUnaConsulta(ModelChoiceIterator):
    """A ModelChoiceField's options read with one plain query, kept for the form.

    Django reads them with `QuerySet.iterator()`, which on PostgreSQL opens a server-side
    cursor (DECLARE … WITH HOLD, FETCH, CLOSE: three round trips, the result materialised at
    commit) for a few dozen rows; a filter with four such selects spent more time there than
    in the queries of its page. django-filter's null option is kept.
    """

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if getattr(self.field, "null_label", None) is not None:
            yield (self.field.null_value, self.field.null_label)
        for objeto in self.queryset:
            yield self.choice(objeto)

    def __len__(self):
        return (
            len(self.queryset)
            + (self.field.empty_label is not None)
            + (getattr(self.field, "null_label", None) is not None)
        )


class OpcionesLeidas(OpcionesEnUnaConsulta):
    """A ModelChoiceField's options from objects already read (a list kept for the page, or
    under the catalog version: srm/catalogo.py); the field still validates with its queryset."""

    def __init__(self, field, objetos: list):
        super().__init__(field)
        self.queryset = objetos


def opciones_leidas(campo: forms.ModelChoiceField, objetos: list) -> None:
    """Draw `campo`'s options from `objetos` (the rows its queryset would read) instead of a
    query."""
    campo.iterator = lambda field: OpcionesLeidas(field, objetos)
    campo.widget.choices = campo.choices


ASTERISCO = '<span class="asteriskField">*</span>'


def campo_bootstrap(campo: forms.BoundField) -> SafeString:
    """A field with its label, errors and help, in the markup crispy's bootstrap5 pack gives
    (templates/partials/campo.html draws it with this): one template include per field took
    most of the time of pages with many fields (the informe being completed draws ~80)."""
    if campo.is_hidden:
        return mark_safe(str(campo))
    auto_id = conditional_escape(campo.auto_id)
    requerido = campo.field.required
    partes = [f'<div id="div_{auto_id}" class="mb-3">']
    if campo.label:
        partes.append(
            f'<label for="{conditional_escape(campo.id_for_label)}" class="form-label'
            f'{" requiredField" if requerido else ""}">{conditional_escape(campo.label)}'
            f"{ASTERISCO if requerido else ''}</label>"
        )
    partes.append(str(campo))
    partes.extend(
        f'<div id="error_{numero}_{auto_id}" class="invalid-feedback d-block">'
        f"<strong>{conditional_escape(error)}</strong></div>"
        for numero, error in enumerate(campo.errors, start=1)
    )
    if campo.help_text:
        partes.append(f'<div id="{auto_id}_helptext" class="form-text">{campo.help_text}</div>')
    partes.append("</div>")
    return mark_safe("".join(partes))


def campos_bootstrap(formulario: forms.BaseForm) -> SafeString:
    """The form's errors that belong to no field, then each field (templates/partials/campos.html)."""
    errores = formulario.non_field_errors()
    inicio = (
        '<div class="alert alert-block alert-danger"><ul class="m-0">'
        + "".join(f"<li>{conditional_escape(error)}</li>" for error in errores)
        + "</ul></div>"
        if errores
        else ""
    )
    return mark_safe(inicio + "".join(campo_bootstrap(campo) for campo in formulario))


def aligerar(campos: dict[str, forms.Field]) -> None:
    """Draw these fields' plain widgets in Python (same markup, no template per widget), their
    options from the database read in one plain query."""
    for campo in campos.values():
        if isinstance(campo, forms.ModelChoiceField):
            campo.iterator = OpcionesEnUnaConsulta
            campo.widget.choices = campo.choices
        ligero = LIGEROS.get(type(campo.widget))
        if ligero is not None:
            campo.widget.__class__ = ligero


def clase_bootstrap(widget: forms.Widget) -> str:
    """The class crispy's bootstrap5 pack gives a widget of this kind."""
    if isinstance(widget, forms.CheckboxInput):
        return "form-check-input"
    if isinstance(widget, forms.Select):
        return "form-select"
    return "form-control"


def estilo_bootstrap(campos: dict[str, forms.Field]) -> None:
    """Bootstrap's classes on every widget (kept if already set), plain widgets drawn in
    Python."""
    for campo in campos.values():
        campo.widget.attrs.setdefault("class", clase_bootstrap(campo.widget))
    aligerar(campos)


def marcar_errores(formulario: forms.BaseForm) -> None:
    """Bootstrap's is-invalid on the widgets of the fields with errors."""
    for nombre in formulario.errors:
        if nombre in formulario.fields:
            atributos = formulario.fields[nombre].widget.attrs
            if "is-invalid" not in atributos.get("class", ""):
                atributos["class"] = f"{atributos.get('class', '')} is-invalid".strip()


class FormularioBootstrap:
    """A form mixin: drawn with templates/partials/campo.html instead of crispy."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        estilo_bootstrap(self.fields)

    def full_clean(self) -> None:
        super().full_clean()
        marcar_errores(self)


class FiltroBootstrap(django_filters.FilterSet):
    """Filters drawn with Bootstrap's classes directly (no template pack) and in Python."""

    @property
    def form(self):
        formulario = super().form
        if not getattr(formulario, "_con_estilo", False):
            estilo_bootstrap(formulario.fields)
            formulario._con_estilo = True
        return formulario
