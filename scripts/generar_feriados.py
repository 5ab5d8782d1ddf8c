"""Writes fixtures/feriados.json: Chile's national public holidays, 2007–2027.

The dates come from the `holidays` package (python-holidays), whose Chile calendar cites the
law behind each holiday (Ley 2.977 and the laws that moved or added days: 19.668, 20.148,
20.215, 20.299, 20.983, …). It is not a dependency of the SRM: run it by hand to extend the
years (`pip install holidays`), review the diff, and commit the fixture. Regional holidays
(Arica y Parinacota, Ñuble) are not national and are left out; the Unidad adds any other
day in the admin.
"""

import json
import sys
from pathlib import Path

import holidays

DESDE, HASTA = 2007, 2027
DESTINO = Path(__file__).resolve().parent.parent / "fixtures" / "feriados.json"


def main() -> int:
    calendario = holidays.Chile(years=range(DESDE, HASTA + 1), language="es")
    fuente = (
        f"Feriados legales nacionales de Chile según python-holidays {holidays.__version__} "
        "(cita la Ley 2.977 y sus modificaciones)"
    )
    filas = [
        {
            "model": "habiles.feriado",
            "fields": {"fecha": str(dia), "nombre": nombre, "fuente": fuente},
        }
        for dia, nombre in sorted(calendario.items())
    ]
    # Natural keys would be nicer, but fixed pks keep `loaddata` idempotent on every run.
    for pk, fila in enumerate(filas, start=1):
        fila["pk"] = pk
    DESTINO.write_text(json.dumps(filas, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(filas)} feriados {DESDE}–{HASTA} en {DESTINO}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
