"""Working days (días hábiles): Monday to Friday, except the holidays in `Feriado`.

Deadlines in días hábiles (a consulta's answer, a review within N days) count from the day
after the start, as Chilean administrative deadlines do (Ley 19.880, art. 25): the start day
itself does not count. A `CalendarioHabil` reads the holidays of its range in one query, so a
page or an indicator computing many deadlines asks the database once; a page that only shows
deadlines may take them from the holidays kept with the catalogs (`del_catalogo`), no query.
"""

import datetime
from bisect import bisect_left, bisect_right

from habiles.models import Feriado
from srm import catalogo

# Far enough for any deadline a consulta or an indicator computes from one start.
HORIZONTE_DIAS = 400


def _es_fin_de_semana(dia: datetime.date) -> bool:
    return dia.weekday() >= 5


def feriados_del_catalogo() -> list[datetime.date]:
    """Every holiday, in date order (a few hundred days), kept under the catalog version
    (srm/catalogo.py): for the pages that show deadlines, never for a write that sets one.
    Shared by the requests of a process: read it, never change it."""
    return catalogo.del_catalogo(
        "feriados", lambda: list(Feriado.objects.order_by("fecha").values_list("fecha", flat=True))
    )


class CalendarioHabil:
    """The holidays between two dates, read once; answers working-day questions inside them.
    `del_catalogo`: from the holidays kept with the catalogs (no query), for a page that shows
    deadlines; a write that decides one reads the database (the default)."""

    def __init__(
        self, desde: datetime.date, hasta: datetime.date, *, del_catalogo: bool = False
    ) -> None:
        self.desde, self.hasta = desde, hasta
        if del_catalogo:
            todos = feriados_del_catalogo()
            self.feriados = todos[bisect_left(todos, desde) : bisect_right(todos, hasta)]
        else:
            self.feriados = sorted(
                Feriado.objects.filter(fecha__range=(desde, hasta)).values_list("fecha", flat=True)
            )
        self._feriados = set(self.feriados)

    @classmethod
    def desde_hasta(
        cls, desde: datetime.date, hasta: datetime.date, *, del_catalogo: bool = False
    ) -> "CalendarioHabil":
        return cls(min(desde, hasta), max(desde, hasta), del_catalogo=del_catalogo)

    def _cubre(self, dia: datetime.date) -> None:
        if not self.desde <= dia <= self.hasta:
            raise ValueError(f"{dia} está fuera del calendario leído ({self.desde}–{self.hasta}).")

    def es_habil(self, dia: datetime.date) -> bool:
        self._cubre(dia)
        return not _es_fin_de_semana(dia) and dia not in self._feriados

    def habiles_entre(self, inicio: datetime.date, fin: datetime.date) -> int:
        """Working days after `inicio` up to and including `fin` (0 when fin ≤ inicio)."""
        if fin <= inicio:
            return 0
        self._cubre(inicio)
        self._cubre(fin)
        total_dias = (fin - inicio).days
        semanas, resto = divmod(total_dias, 7)
        habiles = semanas * 5
        for desplazamiento in range(1, resto + 1):
            if not _es_fin_de_semana(inicio + datetime.timedelta(days=desplazamiento)):
                habiles += 1
        desde = bisect_right(self.feriados, inicio)
        hasta = bisect_right(self.feriados, fin)
        habiles -= sum(1 for f in self.feriados[desde:hasta] if not _es_fin_de_semana(f))
        return habiles

    def sumar(self, inicio: datetime.date, dias: int) -> datetime.date:
        """The date `dias` working days after `inicio` (the deadline of a plazo en días hábiles)."""
        if dias < 0:
            raise ValueError("Los días hábiles a sumar no pueden ser negativos.")
        dia = inicio
        contados = 0
        while contados < dias:
            dia += datetime.timedelta(days=1)
            if self.es_habil(dia):
                contados += 1
        return dia

    def feriados_entre(self, inicio: datetime.date, fin: datetime.date) -> list[datetime.date]:
        return self.feriados[bisect_left(self.feriados, inicio) : bisect_right(self.feriados, fin)]


def plazo_habil(inicio: datetime.date, dias: int) -> datetime.date:
    """The deadline `dias` working days after `inicio` (one query)."""
    margen = datetime.timedelta(days=max(HORIZONTE_DIAS, dias * 3))
    return CalendarioHabil(inicio, inicio + margen).sumar(inicio, dias)


def dias_habiles_entre(inicio: datetime.date, fin: datetime.date) -> int:
    """Working days after `inicio` up to and including `fin` (one query)."""
    return CalendarioHabil.desde_hasta(inicio, fin).habiles_entre(inicio, fin)
