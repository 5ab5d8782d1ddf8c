"""The queries of the tablero written in SQL (tablero/selectors.py) return the rows of the same
queries through the ORM, whatever the filters, the periodo and the year."""

import datetime

import pytest
from django.core.cache import cache
from django.db.models import Count, Q, Sum

from servicios.models import TipoServicio
from tablero import selectors
from tablero.models import ResumenFormulacion, ResumenInforme
from tablero.resumenes import CONTEOS_COMPROMISOS
from tests.conftest import ANIO
from tests.tablero.test_cifras import tablero

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "filtros",
    [{}, {"periodo": "final"}, {"tipo": "gobernacion"}, {"region": "null"}, {"ministerio": "x"}],
)
def test_la_consulta_escrita_en_sql_da_lo_mismo_que_el_orm(jefatura, anio_tablero, filtros):
    """selectors.combinaciones_del_periodo is SQL written by hand: the same query through the
    ORM gives the same rows, whatever the filters and the periodo."""
    if filtros.get("tipo"):
        filtros["tipo"] = TipoServicio.objects.get(nombre__icontains="gobernaci").pk
    if filtros.get("ministerio"):
        filtros["ministerio"] = anio_tablero["economia"].ministerio_id
    alcance = tablero(jefatura, **filtros).context["alcance"]
    OBS = selectors.OBSERVACIONES
    por_el_orm = (
        selectors._con_informe_del_periodo(alcance.formulaciones, alcance.periodo)
        .values(*(columna for columna, *_ in selectors.GRUPOS.values()), "del_periodo__estado")
        .annotate(
            servicios=Count("pk"),
            enviados=Count("del_periodo__enviado_en"),
            atrasados=Count(
                "pk", filter=Q(del_periodo__enviado_en__isnull=False, del_periodo__es_atrasado=True)
            ),
            suma=Sum("del_periodo__avance_suma"),
            avances=Sum("del_periodo__avances"),
            abiertas=Sum(f"{OBS}abiertas"),
            respondidas=Sum(f"{OBS}respondidas"),
            resueltas=Sum(f"{OBS}resueltas"),
            con_pendientes=Count(
                "pk",
                filter=Q(**{f"{OBS}abiertas__gt": 0}) | Q(**{f"{OBS}respondidas__gt": 0}),
            ),
        )
    )

    def ordenadas(filas) -> list[tuple]:
        return sorted((tuple(sorted(fila.items(), key=str)) for fila in filas), key=str)

    en_sql = selectors.combinaciones_del_periodo(alcance)
    assert en_sql
    assert ordenadas(en_sql) == ordenadas(por_el_orm)


@pytest.mark.parametrize("filtros", [{}, {"region": "null"}, {"anio": ANIO - 1}])
def test_las_sumas_de_compromisos_en_sql_dan_lo_mismo_que_el_orm(jefatura, anio_tablero, filtros):
    alcance = tablero(jefatura, **filtros).context["alcance"]
    por_el_orm = ResumenFormulacion.objects.filter(formulacion__in=alcance.formulaciones).aggregate(
        total=Sum("compromisos"), **{campo: Sum(campo) for campo in CONTEOS_COMPROMISOS}
    )
    cache.clear()
    assert selectors.sumas_de_compromisos(alcance) == {
        clave: valor or 0 for clave, valor in por_el_orm.items()
    }
    assert por_el_orm["total"]


@pytest.mark.parametrize("filtros", [{}, {"region": "null"}, {"anio": ANIO - 1}])
def test_los_informes_del_seguimiento_en_sql_dan_lo_mismo_que_el_orm(
    jefatura, anio_tablero, filtros
):
    alcance = tablero(jefatura, **filtros).context["alcance"]
    _, informes = selectors.consultar(selectors._SEGUIMIENTO_INFORMES, alcance.formulaciones)
    assert sorted(informes, key=str) == sorted(
        ResumenInforme.objects.filter(formulacion__in=alcance.formulaciones).values_list(
            "formulacion_id", "periodo", "dia_envio", "es_atrasado", "prorroga_hasta"
        ),
        key=str,
    )
    # Days come back as days on SQLite too: the tracker compares them with deadlines.
    dias = [fila[2] for fila in informes if fila[2]]
    assert dias or filtros  # the whole year has servicios that sent on time
    assert all(type(dia) is datetime.date for dia in dias)
