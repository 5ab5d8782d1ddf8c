"""The admin site of the SRM: every model admin registered here reads hostile input safely.

Django's admin trusts its query string and form values in three places that answered 500:
an autocomplete widget queries the database with whatever value it renders (`?servicio=abc`
on an add page, or a bound form with a bad id), a changelist evaluates lookups from the URL
(`?servicio=99999999999999999999`, `creado__year=99999999999`), and an inline formset builds as
many forms as `TOTAL_FORMS` says, up to 2,000. The site wraps each registered admin and its
inlines so that bad values are dropped or refused the way Django refuses other bad lookups.
"""

from typing import Any

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.db import DataError, transaction

from srm.entradas import MAXIMO_ID

# Rows an inline formset may hold: well above any formulación or calendar, far below 2,000.
FILAS_MAXIMAS_POR_INLINE = 300


def _valores_validos(widget: AutocompleteSelect, valores: list[Any]) -> list[Any]:
    """The values that can name a row of the widget's target model; others cannot be shown."""
    opciones = widget.field.remote_field.model._meta
    destino = opciones.get_field(getattr(widget.field.remote_field, "field_name", opciones.pk.name))
    validos = []
    for valor in valores:
        try:
            convertido = destino.to_python(valor)
        except (ValidationError, ValueError, TypeError):
            continue
        if isinstance(convertido, int) and not -MAXIMO_ID - 1 <= convertido <= MAXIMO_ID:
            continue
        if isinstance(convertido, str) and "\x00" in convertido:
            continue
        validos.append(valor)
    return validos


class AutocompleteSeguro(AutocompleteSelect):
    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, _valores_validos(self, value), attr)


class AutocompleteMultipleSeguro(AutocompleteSelectMultiple):
    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, _valores_validos(self, value), attr)


class EntradasSeguras:
    """For model admins and inlines: autocomplete widgets that show only valid values."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = AutocompleteSeguro(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = AutocompleteMultipleSeguro(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class InlineSeguro(EntradasSeguras):
    def get_max_num(self, request, obj=None, **kwargs):
        propio = super().get_max_num(request, obj, **kwargs)
        return min(propio or FILAS_MAXIMAS_POR_INLINE, FILAS_MAXIMAS_POR_INLINE)

    def get_formset(self, request, obj=None, **kwargs):
        kwargs.setdefault("absolute_max", FILAS_MAXIMAS_POR_INLINE)
        return super().get_formset(request, obj, **kwargs)


class ModelAdminSeguro(EntradasSeguras):
    def get_changelist_instance(self, request):
        # Lookups from the URL are converted only when the query runs: a value the column
        # cannot hold is a bad lookup, which the changelist answers as Django does (?e=1).
        try:
            with transaction.atomic(using=self.model._default_manager.db):
                return super().get_changelist_instance(request)
        except (ValueError, OverflowError, DataError, ValidationError) as error:
            raise IncorrectLookupParameters(error) from error


def _endurecer(clase: type, base: type) -> type:
    if issubclass(clase, base):
        return clase
    return type(clase.__name__, (base, clase), {"__module__": clase.__module__})


class SitioAdmin(admin.AdminSite):
    site_header = "SRM · Administración"
    site_title = "SRM SUBDERE"
    index_title = "Configuración del proceso PMG"

    def register(self, model_or_iterable, admin_class=None, **options):
        clase = _endurecer(admin_class or admin.ModelAdmin, ModelAdminSeguro)
        if clase.inlines:
            clase = type(
                clase.__name__,
                (clase,),
                {
                    "__module__": clase.__module__,
                    "inlines": [_endurecer(inline, InlineSeguro) for inline in clase.inlines],
                },
            )
        return super().register(model_or_iterable, clase, **options)
