"""The queue's filters (validacion/filters.py) copy their declared filters shallowly per view:
each view's filters, their fields and their methods are its own."""

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
