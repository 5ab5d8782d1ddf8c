"""Form fields drawn cheaply: Bootstrap's classes set in Python, selects drawn in Python.

crispy-forms draws each field through a dozen template files; a page with many fields (the
reports page's 17 selects and their 543 options, the informe's forms, the review queue's
filters) spent most of its time there. Forms that use these draw each field with
templates/partials/campo.html, the same markup crispy's bootstrap5 pack produces.
"""

import django_filters
from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString


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
            opciones.append((texto, " selected" if seleccionada else "", etiqueta))
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(self.build_attrs(self.attrs, attrs)),
            format_html_join("", '<option value="{}"{}>{}</option>', opciones),
        )


def clase_bootstrap(widget: forms.Widget) -> str:
    """The class crispy's bootstrap5 pack gives a widget of this kind."""
    if isinstance(widget, forms.CheckboxInput):
        return "form-check-input"
    if isinstance(widget, forms.Select):
        return "form-select"
    return "form-control"


def estilo_bootstrap(campos: dict[str, forms.Field]) -> None:
    """Bootstrap's classes on every widget (kept if already set) and plain selects drawn in
    Python."""
    for campo in campos.values():
        if type(campo.widget) is forms.Select:
            campo.widget = SelectLigero(attrs=campo.widget.attrs, choices=campo.widget.choices)
        campo.widget.attrs.setdefault("class", clase_bootstrap(campo.widget))


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
