"""The demo's yearly process with its calendar of hitos."""

import datetime

from compromisos.models import (
    Hito,
    Proceso,
)
from servicios.models import TipoServicio

# (month, day) of each hito of the yearly calendar; None in tipos = every kind of servicio.
CALENDARIO = [
    (
        "puesta_en_marcha",
        "Jornadas de puesta en marcha (servicios nacionales y GORE)",
        (1, 12),
        (1, 30),
        None,
    ),
    (
        "formulacion",
        "Entrega informe de factibilidad y formulación (servicios nacionales)",
        None,
        (3, 31),
        "no_gore",
    ),
    (
        "formulacion",
        "Entrega informe de factibilidad y formulación (GORE)",
        (5, 4),
        (5, 15),
        "gore",
    ),
    (
        "programa_trabajo",
        "Programa de trabajo anual (servicios nacionales)",
        None,
        (5, 29),
        "no_gore",
    ),
    ("programa_trabajo", "Programa de trabajo (GORE)", (6, 1), (6, 15), "gore"),
    ("avance_1", "Informe de avance 1", (6, 15), (6, 30), None),
    ("avance_2", "Informe de avance 2", (8, 17), (8, 31), None),
    ("avance_3", "Informe de avance 3", (10, 15), (10, 30), None),
    ("final", "Informe final / evaluación", (11, 16), (12, 11), None),
]


def proceso_demo(anio: int) -> Proceso:
    proceso, creado = Proceso.objects.get_or_create(
        anio=anio,
        defaults={
            "decreto_programa_marco": f"Decreto exento que aprueba el Programa Marco PMG {anio}"
        },
    )
    if creado:
        gore = list(TipoServicio.objects.filter(codigo="gobierno-regional"))
        no_gore = list(TipoServicio.objects.exclude(codigo="gobierno-regional"))
        for etapa, nombre, inicio, limite, tipos in CALENDARIO:
            hito = Hito.objects.create(
                proceso=proceso,
                etapa=etapa,
                nombre=nombre,
                fecha_inicio=datetime.date(anio, *inicio) if inicio else None,
                fecha_limite=datetime.date(anio, *limite),
            )
            if tipos:
                hito.tipos_servicio.set(gore if tipos == "gore" else no_gore)
    return proceso
