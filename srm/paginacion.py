"""Pages chosen by the key of a row (keyset pagination), with a capped count.

A page by number (`OFFSET`) makes the database sort every row before the page and skip them:
for the review queue's last page with every state, the ~5,900 informes of ten years, and its
count read them all again. Here a page is «the rows after (or before) this row» in the list's
order, `(campo ASC NULLS LAST, pk)`: the database walks the order from that row and stops after
one page; the last page walks it backwards. The count stops at `tope` + 1 rows («más de
1.000»). What is lost: «página 7 de 118» and jumping to a page by number; the list offers the
first, previous, next and last pages.
"""

import datetime
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db.models import F, IntegerField, Q, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.http import QueryDict

EPOCA = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
ULTIMA = "ultima"


def _clave(momento: datetime.datetime | None, pk: int) -> str:
    """A row's place in the order, for the URL: microseconds since 1970 (or «n», no date)."""
    if momento is None:
        return f"n.{pk}"
    return f"{(momento - EPOCA) // datetime.timedelta(microseconds=1)}.{pk}"


def _leer_clave(texto: str) -> tuple[datetime.datetime | None, int] | None:
    momento, _, pk = texto.partition(".")
    try:
        numero = int(pk)
        if not 0 < numero < 2**63:  # a row's id: a bigint of the database
            return None
        if momento == "n":
            return None, numero
        return EPOCA + datetime.timedelta(microseconds=int(momento)), numero
    except (ValueError, OverflowError):
        return None


@dataclass
class PaginaPorClave(Sequence):
    """One page: its rows, whether there are pages before and after it, the links' keys and the
    list's count up to the cap (`total`, with `total_excede` when there are more)."""

    object_list: list
    total: int
    total_excede: bool
    has_previous: bool
    has_next: bool
    parametro: str
    anterior: str = ""
    siguiente: str = ""
    es_ultima: bool = False
    tope: int = 0
    consulta: QueryDict | None = None

    def _enlace(self, valor: str | None) -> str:
        """The list's URL (query string) with every other parameter kept: the filters."""
        consulta = (self.consulta or QueryDict()).copy()
        consulta.pop(self.parametro, None)
        if valor:
            consulta[self.parametro] = valor
        return f"?{consulta.urlencode()}"

    @property
    def enlace_primera(self) -> str:
        return self._enlace(None)

    @property
    def enlace_anterior(self) -> str:
        return self._enlace(self.anterior)

    @property
    def enlace_siguiente(self) -> str:
        return self._enlace(self.siguiente)

    @property
    def enlace_ultima(self) -> str:
        return self._enlace(ULTIMA)

    def __getitem__(self, indice):
        return self.object_list[indice]

    def __len__(self) -> int:
        return len(self.object_list)

    def __iter__(self) -> Iterator:
        return iter(self.object_list)

    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next


# The capped count, read with the page's rows (an alias no model field takes).
TOTAL = "total_de_la_lista"


def _conteo_con_tope(queryset: QuerySet, tope: int) -> RawSQL | Value:
    """The list's count up to `tope` + 1 rows, as a scalar subquery of the page's query: the
    query Django's count() sends (the ids of the list's own tables, `LIMIT tope + 1`, counted),
    computed once per statement (an InitPlan), not per row."""
    ids = queryset.order_by().values("pk")[: tope + 1]
    try:
        sql, params = ids.query.get_compiler(using=ids.db).as_sql()
    except EmptyResultSet:  # a list that is empty by its filters (none()): no query at all
        return Value(0, output_field=IntegerField())
    return RawSQL(f"SELECT COUNT(*) FROM ({sql}) contadas", params, output_field=IntegerField())


def paginar_por_clave(
    queryset: QuerySet,
    consulta: QueryDict,
    parametro: str,
    *,
    campo: str,
    por_pagina: int = 50,
    tope: int = 1000,
    columnas: Sequence[str] = (),
    anotaciones: Mapping[str, Any] | None = None,
) -> PaginaPorClave:
    """The page of `queryset` that `consulta[parametro]` names: «ultima», «tras.<clave>» (the
    rows after that row), «antes.<clave>» (the rows before it) or anything else, the first page.

    `queryset` is ordered here by `campo` (a date, nulls last) and pk; one query: the page (one
    row more than the page, to know whether another follows) with the list's capped count as a
    subquery. An empty first or last page means an empty list; only an empty «after» page
    (rows taken or sent meanwhile) counts in a second query. A «before» page that reaches the
    start is the first page, read again: a second query, only then.

    With `columnas`, the page's rows are those columns as named tuples (`values_list(named=True)`;
    they must include `pk` and `campo`); the count still reads only the list's own tables.
    `anotaciones` (with `columnas`): expressions read with the page's rows, after the named
    columns (e.g. a count of each row's children: computed for the page's rows only, since
    no page skips rows with an OFFSET); the count does not compute them.
    """
    valor = consulta.get(parametro)
    adelante = (F(campo).asc(nulls_last=True), "pk")
    atras = (F(campo).desc(nulls_first=True), "-pk")
    lista = queryset
    conteo = {TOTAL: _conteo_con_tope(queryset, tope)}
    if columnas:
        anotaciones = anotaciones or {}
        queryset = (
            queryset.prefetch_related(None)
            .annotate(**anotaciones, **conteo)
            .values_list(*columnas, *anotaciones, TOTAL, named=True)
        )
    else:
        queryset = queryset.annotate(**conteo)

    def total(filas: list) -> int:
        return getattr(filas[0], TOTAL) if filas else 0

    modo, _, texto = (valor or "").partition(".")
    clave = _leer_clave(texto) if modo in ("tras", "antes") else None
    if valor == ULTIMA:
        filas = list(queryset.order_by(*atras)[:por_pagina])[::-1]
        # Whether rows come before the last page: the count says so (the capped count is
        # larger than a page whenever it is capped).
        n = total(filas)
        return _pagina(
            filas, consulta, n, tope, parametro, campo, n > por_pagina, False, es_ultima=True
        )
    if clave is not None and modo == "tras":
        momento, pk = clave
        if momento is None:
            despues = Q(**{f"{campo}__isnull": True, "pk__gt": pk})
        else:
            despues = (
                Q(**{f"{campo}__gt": momento})
                | Q(**{campo: momento, "pk__gt": pk})
                | Q(**{f"{campo}__isnull": True})
            )
        filas = list(queryset.filter(despues).order_by(*adelante)[: por_pagina + 1])
        # Nothing after that row: the count in a query of its own.
        n = total(filas) if filas else lista.order_by().values("pk")[: tope + 1].count()
        return _pagina(
            filas[:por_pagina],
            consulta,
            n,
            tope,
            parametro,
            campo,
            True,
            len(filas) > por_pagina,
        )
    if clave is not None and modo == "antes":
        momento, pk = clave
        if momento is None:
            antes = Q(**{f"{campo}__isnull": False}) | Q(**{f"{campo}__isnull": True, "pk__lt": pk})
        else:
            antes = Q(**{f"{campo}__lt": momento}) | Q(**{campo: momento, "pk__lt": pk})
        filas = list(queryset.filter(antes).order_by(*atras)[: por_pagina + 1])
        if len(filas) > por_pagina:
            return _pagina(
                filas[:por_pagina][::-1], consulta, total(filas), tope, parametro, campo, True, True
            )
        # At the start: the first page, whole.
    filas = list(queryset.order_by(*adelante)[: por_pagina + 1])
    return _pagina(
        filas[:por_pagina],
        consulta,
        total(filas),
        tope,
        parametro,
        campo,
        False,
        len(filas) > por_pagina,
    )


def _pagina(
    filas: list,
    consulta: QueryDict,
    total: int,
    tope: int,
    parametro: str,
    campo: str,
    anteriores: bool,
    siguientes: bool,
    *,
    es_ultima: bool = False,
) -> PaginaPorClave:
    def clave(fila: Any) -> str:
        return _clave(getattr(fila, campo), fila.pk)

    return PaginaPorClave(
        object_list=filas,
        total=min(total, tope),
        total_excede=total > tope,
        has_previous=anteriores and bool(filas),
        has_next=siguientes and bool(filas),
        parametro=parametro,
        anterior=f"antes.{clave(filas[0])}" if filas else "",
        siguiente=f"tras.{clave(filas[-1])}" if filas else "",
        es_ultima=es_ultima,
        tope=tope,
        consulta=consulta,
    )
