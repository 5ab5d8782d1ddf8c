"""Demo data: a year of the PMG with users for every role, or many years at scale.

The demo sits above every app: it builds each app's rows through that app's services.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection, transaction

from bitacora.avisos import en_silencio
from compromisos.models import FormulacionPMG
from demo.calendario import proceso_demo
from demo.ciclo import anio_demo
from demo.cumplimiento import resultados_dipres_demo
from demo.programa import programa_demo
from demo.registro import (
    analistas_demo,
    carteras_demo,
    encargados_demo,
    servicios_demo,
    usuarios_demo,
)
from demo.validacion_final import validacion_final_demo
from tablero import resumenes


@dataclass
class Resumen:
    anios_creados: list[int] = field(default_factory=list)
    anios_existentes: list[int] = field(default_factory=list)
    servicios: int = 0
    compromisos: int = 0
    informes: int = 0
    medios: int = 0
    transiciones: int = 0
    iniciativas_validadas: int = 0


def construir_demo(
    *,
    anio: int,
    cantidad_servicios: int = 12,
    cantidad_anios: int = 1,
    semilla: int = 2011,
    informar: Callable[[str], None] = lambda mensaje: None,
) -> Resumen:
    """Build (or leave as it is, when present) the demo years ending in `anio`, telling nobody."""
    with en_silencio():
        return _construir_demo(
            anio=anio,
            cantidad_servicios=cantidad_servicios,
            cantidad_anios=cantidad_anios,
            semilla=semilla,
            informar=informar,
        )


def _construir_demo(
    *, anio: int, cantidad_servicios: int, cantidad_anios: int, semilla: int, informar
) -> Resumen:
    azar = random.Random(semilla)
    resumen = Resumen()
    usuarios = usuarios_demo()
    servicios = servicios_demo(cantidad_servicios)
    resumen.servicios = len(servicios)
    encargados = encargados_demo(servicios, usuarios)
    analistas = analistas_demo(len(servicios), usuarios)
    for anio_proceso in range(anio - cantidad_anios + 1, anio + 1):
        proceso = proceso_demo(anio_proceso)
        programa_demo(anio_proceso, servicios, usuarios["admin"])
        if FormulacionPMG.objects.filter(proceso=proceso, servicio__in=servicios).exists():
            resumen.anios_existentes.append(anio_proceso)
            continue
        informar(f"Año {anio_proceso}: creando datos de {len(servicios)} servicios…")
        # One transaction per year: an interrupted run leaves no half-built year behind.
        with transaction.atomic():
            carteras_demo(proceso, servicios, analistas, usuarios["consultora"])
            anio_demo(
                proceso=proceso,
                servicios=servicios,
                encargados=encargados,
                analistas=analistas,
                es_anio_en_curso=anio_proceso == anio,
                azar=azar,
                resumen=resumen,
            )
            if anio_proceso != anio:
                # A closed year: the consultora validated it and SUBDERE ratified it. Its own
                # random sequence, so the other years' data do not change with it.
                validacion_final_demo(
                    proceso=proceso,
                    consultora=usuarios["consultora"],
                    analistas=analistas,
                    azar=random.Random(f"{semilla}-validacion-{anio_proceso}"),
                    resumen=resumen,
                )
                # DIPRES's results of the other sistemas: cumplimiento and tramo (issue 15).
                resultados_dipres_demo(
                    proceso=proceso, azar=random.Random(f"{semilla}-dipres-{anio_proceso}")
                )
            # The rows above were bulk-created, without the signals that keep these totals.
            resumenes.reconstruir(anios=[anio_proceso])
        if connection.vendor == "postgresql":
            # A year adds a tenth to every table: without fresh statistics the next year's
            # queries got plans for the smaller tables and ran several times slower.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        resumen.anios_creados.append(anio_proceso)
    return resumen
