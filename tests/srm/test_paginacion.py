"""srm/paginacion.py: pages by key walk the whole list in order, both ways, with a capped count."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import F
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from srm.paginacion import paginar_por_clave

pytestmark = pytest.mark.django_db

Usuario = get_user_model()


@pytest.fixture
def usuarios():
    """23 rows ordered by a nullable date (`last_login`): ties on one instant, and rows with no
    date, which go last."""
    base = timezone.now().replace(microsecond=123456)
    momentos = [base - datetime.timedelta(days=i % 9) for i in range(18)] + [None] * 5
    for i, momento in enumerate(momentos):
        Usuario.objects.create(username=f"u{i:02d}", last_login=momento)
    filas = list(Usuario.objects.filter(username__startswith="u"))
    esperado = sorted(filas, key=lambda u: (u.last_login is None, u.last_login or base, u.pk))
    return Usuario.objects.filter(username__startswith="u"), [u.pk for u in esperado]


def _pagina(filas, enlace: str, **opciones):
    consulta = QueryDict(enlace.lstrip("?"), mutable=False)
    return paginar_por_clave(filas, consulta, "pagina", campo="last_login", **opciones)


def test_hacia_adelante_y_hacia_atras_recorre_todas_las_filas_en_orden(usuarios):
    filas, esperado = usuarios
    # 50 per page by default: one page.
    pagina = _pagina(filas, "?estado=x")
    assert [u.pk for u in pagina] == esperado and not pagina.has_other_pages()
    # Five per page: forward five pages, then back from the last to the first.
    pagina = _pagina(filas, "?estado=x", por_pagina=5)
    adelante = [[u.pk for u in pagina]]
    while pagina.has_next:
        # The link keeps the other parameters (the filters).
        assert "estado=x" in pagina.enlace_siguiente
        assert pagina.has_previous == (len(adelante) > 1)
        pagina = _pagina(filas, pagina.enlace_siguiente, por_pagina=5)
        adelante.append([u.pk for u in pagina])
    assert [pk for lista in adelante for pk in lista] == esperado and len(adelante) == 5
    ultima = _pagina(filas, pagina.enlace_ultima, por_pagina=5)
    assert [u.pk for u in ultima] == esperado[-5:] and not ultima.has_next
    atras = [[u.pk for u in ultima]]
    pagina = ultima
    while pagina.has_previous:
        pagina = _pagina(filas, pagina.enlace_anterior, por_pagina=5)
        atras.insert(0, [u.pk for u in pagina])
    # Walking back ends on the first page, whole (the first five rows).
    assert atras[0] == esperado[:5]
    assert [pk for lista in atras[1:] for pk in lista] == esperado[-(len(atras) - 1) * 5 :]


def test_cuenta_con_tope_en_la_consulta_de_la_pagina(usuarios):
    filas, esperado = usuarios
    with CaptureQueriesContext(connection) as consultas:
        pagina = _pagina(filas, "?pagina=ultima", por_pagina=5, tope=10)
    assert (pagina.total, pagina.total_excede) == (10, True)
    assert len(consultas) == 1 and "LIMIT 11" in consultas[0]["sql"].upper()
    assert [u.pk for u in pagina] == esperado[-5:]
    todas = _pagina(filas, "?", por_pagina=5, tope=100)
    assert (todas.total, todas.total_excede) == (23, False)
    # The same with the rows read as columns, with an annotation of their own.
    with CaptureQueriesContext(connection) as consultas:
        columnas = _pagina(
            filas,
            "?",
            por_pagina=5,
            tope=100,
            columnas=("pk", "last_login", "username"),
            anotaciones={"doble": F("pk") * 2},
        )
    assert len(consultas) == 1 and (columnas.total, columnas.total_excede) == (23, False)
    assert [(u.pk, u.doble) for u in columnas] == [(pk, 2 * pk) for pk in esperado[:5]]


def test_una_pagina_tras_el_final_cuenta_aparte(usuarios):
    """Rows taken meanwhile: the page after the last row is empty, and the count (which its
    query would have brought) is a second query."""
    filas, esperado = usuarios
    ultima = _pagina(filas, "?pagina=ultima", por_pagina=5)
    with CaptureQueriesContext(connection) as consultas:
        vacia = _pagina(filas, ultima.enlace_siguiente, por_pagina=5)
    assert list(vacia) == [] and len(consultas) == 2
    assert (vacia.total, vacia.has_previous, vacia.has_next) == (23, False, False)
    # A page before the first row reaches the start: the first page, whole, with its count.
    enlace = _pagina(filas, "?", por_pagina=5).enlace_anterior
    with CaptureQueriesContext(connection) as consultas:
        primera = _pagina(filas, enlace, por_pagina=5)
    assert [u.pk for u in primera] == esperado[:5] and primera.total == 23
    assert len(consultas) == 2 and not primera.has_previous


def test_una_lista_vacia_por_sus_filtros_no_consulta():
    with CaptureQueriesContext(connection) as consultas:
        pagina = _pagina(Usuario.objects.none(), "?", columnas=("pk", "last_login"))
    assert len(consultas) == 0 and list(pagina) == [] and pagina.total == 0


@pytest.mark.parametrize(
    "valor",
    [
        "tras.x.1",
        "antes.",
        "7",
        "tras.99999999999999999999999.1",
        "antes.-99999999999999999999.1",
        "tras.1.99999999999999999999999",
        "antes.n.²",
    ],
)
def test_una_clave_que_no_se_entiende_da_la_primera_pagina(usuarios, valor):
    filas, esperado = usuarios
    pagina = _pagina(filas, f"?pagina={valor}", por_pagina=5)
    assert [u.pk for u in pagina] == esperado[:5] and not pagina.has_previous


def test_una_lista_vacia_es_una_consulta():
    with CaptureQueriesContext(connection) as consultas:
        pagina = _pagina(Usuario.objects.filter(username="nadie"), "?pagina=ultima")
    assert len(consultas) == 1 and list(pagina) == [] and not pagina.has_other_pages()
    assert (pagina.total, pagina.total_excede) == (0, False)
