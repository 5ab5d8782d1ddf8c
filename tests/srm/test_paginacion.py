"""srm/paginacion.py: the same pages as Django's Paginator, chosen by id in a subquery."""

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from servicios.models import Region
from srm.paginacion import PaginadorDiferido

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("huerfanas", [0, 2])
def test_las_mismas_filas_en_el_mismo_orden_en_cada_pagina(huerfanas):
    filas = Region.objects.prefetch_related("servicios").order_by("-nombre", "pk")
    assert filas.count() > 10  # the regions come with the migrations' data
    django = Paginator(filas, 5, orphans=huerfanas)
    diferido = PaginadorDiferido(filas, 5, orphans=huerfanas)
    assert diferido.num_pages == django.num_pages
    for numero in django.page_range:
        with CaptureQueriesContext(connection) as consultas:
            pagina = [r.pk for r in diferido.page(numero)]
        assert pagina == [r.pk for r in django.page(numero)]
        # One query for the page (the ids in a subquery), one for the prefetch.
        assert len(consultas) == 2
        assert "LIMIT" in consultas[0]["sql"].upper()
    assert [r.pk for r in diferido.get_page("no es un número")] == [
        r.pk for r in django.get_page(1)
    ]
