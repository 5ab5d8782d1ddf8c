"""The queue's filters (validacion/filters.py) copy their declared filters shallowly per view:
each view's filters, their fields and their methods are its own."""

import django_filters
import pytest
from django.http import QueryDict

from validacion import selectors
from validacion.filters import BandejaFilter, BandejaFormulacionFilter
from validacion.services import revision_transicionar

pytestmark = pytest.mark.django_db


def _filtro(usuario, consulta: str) -> BandejaFilter:
    return BandejaFilter(
        QueryDict(consulta),
        queryset=selectors.bandeja(usuario=usuario, catalogos=False),
        usuario=usuario,
        cartera_por_defecto="mia",
    )


def test_cada_vista_tiene_sus_filtros(analista, analista_otro, informe_osorno, encargado):
    informe = revision_transicionar(objeto=informe_osorno, accion="enviar", usuario=encargado)
    uno, otro = _filtro(analista, ""), _filtro(analista_otro, "estado=&q=Osorno")
    declarados = BandejaFilter.base_filters
    for nombre, filtro in uno.filters.items():
        assert filtro is not otro.filters[nombre] and filtro is not declarados[nombre]
        assert filtro.parent is uno and otro.filters[nombre].parent is otro
        assert filtro.extra is not declarados[nombre].extra
    # A method filter calls its own view's method (the cartera of its own user).
    assert uno.filters["cartera"].filter.f is uno.filters["cartera"]
    assert declarados["cartera"].filter.f is declarados["cartera"]
    assert not hasattr(declarados["cartera"], "parent")
    # Each view's form has its own fields, made from one class.
    assert type(uno.form) is type(otro.form)
    assert uno.form.fields["periodo"] is not otro.form.fields["periodo"]
    assert uno.form["estado"].value() == "por_revisar" and otro.form["estado"].value() == ""
    # The cartera's rule reads each view's user: Osorno is the analista's, not the other's.
    assert [i.pk for i in uno.qs] == [informe.pk] and list(otro.qs) == []
    assert [i.pk for i in _filtro(analista_otro, "cartera=todas").qs] == [informe.pk]
    # The formulaciones list: the same chosen values, its own filters.
    formulaciones = uno.sobre(
        BandejaFormulacionFilter, selectors.bandeja_formulaciones(usuario=analista)
    )
    assert formulaciones.form is uno.form
    assert formulaciones.filters["cartera"].parent is formulaciones
    assert formulaciones.filters["anio"].field_name == "proceso"


def test_iniciar_deja_lo_mismo_que_django_filter(analista):
    """`_iniciar` repeats django_filters.FilterSet.__init__ with shallow copies: if a version
    of django-filter sets something more, this says so."""
    datos = QueryDict("estado=&q=Osorno")
    queryset = selectors.bandeja(usuario=analista, catalogos=False)
    propio = BandejaFilter.__new__(BandejaFilter)
    propio._iniciar(datos, queryset)
    original = BandejaFilter.__new__(BandejaFilter)
    django_filters.FilterSet.__init__(original, datos, queryset=queryset)
    assert vars(propio).keys() == vars(original).keys()
    assert propio.filters.keys() == original.filters.keys()
    for nombre, filtro in propio.filters.items():
        assert vars(filtro).keys() == vars(original.filters[nombre]).keys(), nombre
