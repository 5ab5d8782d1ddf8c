"""Draw the schematic map of Chile's 16 regions used by the tablero's choropleth.

    python scripts/mapa_chile.py > static/tablero/chile_regiones.svg

The outline follows the real coast and the eastern border at about half a degree of detail
(latitude, longitude in degrees); regions are cut at their approximate northern and southern
limits, and the Región Metropolitana is the inland block between Valparaíso and O'Higgins.
Each region is one <path id="region-CC"> with CC its CUT code, as in fixtures/regiones.json.
Insular Chile (Juan Fernández, Rapa Nui) and the Antarctic claim are left out on purpose.
"""

import math

# fmt: off
# West side, north to south: the Pacific coast down to Cape Horn.
COSTA = [
    (-18.35, -70.38), (-18.9, -70.3), (-19.6, -70.2), (-20.2, -70.15), (-21.0, -70.15),
    (-21.6, -70.1), (-22.1, -70.2), (-23.1, -70.45), (-23.65, -70.42), (-24.5, -70.55),
    (-25.4, -70.5), (-26.35, -70.65), (-27.07, -70.85), (-28.0, -71.15), (-28.5, -71.3),
    (-29.3, -71.35), (-29.9, -71.35), (-30.6, -71.7), (-31.5, -71.6), (-32.2, -71.5),
    (-33.0, -71.65), (-33.6, -71.62), (-33.95, -71.85), (-34.4, -72.05), (-35.0, -72.2),
    (-35.35, -72.45), (-36.0, -72.8), (-36.4, -72.85), (-36.75, -73.1), (-37.2, -73.6),
    (-37.6, -73.7), (-38.0, -73.5), (-38.5, -73.45), (-39.0, -73.25), (-39.6, -73.25),
    (-39.85, -73.4), (-40.7, -73.75), (-41.5, -73.8), (-41.75, -73.0), (-42.5, -72.8),
    (-43.5, -72.95), (-44.0, -73.4), (-44.5, -74.4), (-45.3, -74.6), (-46.0, -75.3),
    (-46.6, -75.6), (-47.3, -75.0), (-48.0, -75.5), (-49.0, -75.6), (-50.0, -75.4),
    (-51.0, -75.3), (-51.8, -75.1), (-52.6, -74.8), (-53.3, -74.0), (-53.9, -72.8),
    (-54.4, -71.5), (-55.0, -70.0), (-55.4, -68.6), (-55.98, -67.27),
]
# East side, north to south: Bolivia and Argentina down to Tierra del Fuego and Cape Horn.
FRONTERA = [
    (-17.5, -69.48), (-18.3, -69.1), (-19.2, -68.75), (-20.0, -68.6), (-21.0, -68.25),
    (-21.6, -68.1), (-22.3, -67.9), (-22.85, -67.2), (-23.7, -67.3), (-24.5, -68.3),
    (-25.4, -68.5), (-26.05, -68.4), (-27.0, -68.6), (-28.0, -69.05), (-29.3, -69.95),
    (-30.5, -70.0), (-31.5, -70.4), (-32.2, -70.25), (-32.95, -70.05), (-33.6, -69.9),
    (-34.25, -70.1), (-35.0, -70.3), (-36.0, -70.6), (-37.0, -71.1), (-38.0, -71.1),
    (-38.5, -71.4), (-39.6, -71.5), (-40.7, -71.85), (-41.5, -71.9), (-42.5, -71.75),
    (-43.7, -71.7), (-44.5, -71.7), (-45.5, -71.6), (-46.5, -71.7), (-47.0, -72.0),
    (-48.0, -72.5), (-49.0, -73.2), (-50.0, -73.4), (-50.7, -72.3), (-51.5, -72.3),
    (-52.0, -71.9), (-52.35, -69.5), (-52.6, -68.6), (-54.9, -68.6), (-55.1, -68.0),
    (-55.98, -67.27),
]
CHILOE = [
    (-41.78, -73.85), (-41.85, -73.45), (-42.5, -73.45), (-43.1, -73.55), (-43.4, -73.85),
    (-43.0, -74.35), (-42.3, -74.2),
]
# (CUT code, northern limit, southern limit), north to south, for the regions cut across.
FRANJAS = [
    ("15", None, -19.2), ("01", -19.2, -21.45), ("02", -21.45, -25.4), ("03", -25.4, -29.0),
    ("04", -29.0, -32.2), ("07", -34.95, -36.05), ("16", -36.05, -36.95),
    ("08", -36.95, -38.0), ("09", -38.0, -39.6), ("14", -39.6, -40.6), ("10", -40.6, -43.75),
    ("11", -43.75, -49.0), ("12", -49.0, None),
]
# The Región Metropolitana: its latitudes and the meridian of its border with Valparaíso.
RM_NORTE, RM_SUR, RM_OESTE = -32.95, -34.25, -71.25
VALPARAISO_NORTE, OHIGGINS_NORTE, OHIGGINS_SUR = -32.2, -33.95, -34.95
# fmt: on

ESCALA = 20  # px per degree of latitude
LATITUD_SUPERIOR, LONGITUD_OESTE = -17.3, -76.0
COSENO = math.cos(math.radians(36))


def punto(lat: float, lon: float) -> str:
    x = (lon - LONGITUD_OESTE) * COSENO * ESCALA
    y = (LATITUD_SUPERIOR - lat) * ESCALA
    return f"{x:.1f},{y:.1f}"


def en(linea: list[tuple[float, float]], lat: float) -> tuple[float, float]:
    """The point of `linea` at latitude `lat`, interpolated."""
    for (lat1, lon1), (lat2, lon2) in zip(linea, linea[1:], strict=False):
        if lat2 <= lat <= lat1:
            t = 0 if lat1 == lat2 else (lat1 - lat) / (lat1 - lat2)
            return lat, lon1 + t * (lon2 - lon1)
    raise ValueError(lat)


def tramo(linea, norte: float | None, sur: float | None) -> list[tuple[float, float]]:
    """`linea` between two latitudes (None = its own end), north to south."""
    norte = linea[0][0] if norte is None else norte
    sur = linea[-1][0] if sur is None else sur
    medio = [p for p in linea if sur < p[0] < norte]
    return [en(linea, norte), *medio, en(linea, sur)]


def franja(norte, sur) -> list[tuple[float, float]]:
    """West edge going south, then east edge going north."""
    return tramo(COSTA, norte, sur) + tramo(FRONTERA, norte, sur)[::-1]


def camino(*anillos) -> str:
    return " ".join("M" + " L".join(punto(*p) for p in anillo) + " Z" for anillo in anillos)


def regiones() -> dict[str, str]:
    formas = {codigo: camino(franja(norte, sur)) for codigo, norte, sur in FRANJAS}
    formas["10"] = camino(franja(-40.6, -43.75), CHILOE)
    formas["05"] = camino(
        tramo(COSTA, VALPARAISO_NORTE, OHIGGINS_NORTE)
        + [(OHIGGINS_NORTE, RM_OESTE), (RM_NORTE, RM_OESTE)]
        + tramo(FRONTERA, VALPARAISO_NORTE, RM_NORTE)[::-1]
    )
    formas["13"] = camino(
        [(RM_NORTE, RM_OESTE), (RM_SUR, RM_OESTE)] + tramo(FRONTERA, RM_NORTE, RM_SUR)[::-1]
    )
    formas["06"] = camino(
        tramo(COSTA, OHIGGINS_NORTE, OHIGGINS_SUR)
        + tramo(FRONTERA, RM_SUR, OHIGGINS_SUR)[::-1]
        + [(RM_SUR, RM_OESTE), (OHIGGINS_NORTE, RM_OESTE)]
    )
    return formas


NOMBRES = {
    "15": "Arica y Parinacota",
    "01": "Tarapacá",
    "02": "Antofagasta",
    "03": "Atacama",
    "04": "Coquimbo",
    "05": "Valparaíso",
    "13": "Metropolitana de Santiago",
    "06": "Libertador General Bernardo O'Higgins",
    "07": "Maule",
    "16": "Ñuble",
    "08": "Biobío",
    "09": "La Araucanía",
    "14": "Los Ríos",
    "10": "Los Lagos",
    "11": "Aysén del General Carlos Ibáñez del Campo",
    "12": "Magallanes y de la Antártica Chilena",
}


def svg() -> str:
    ancho = round((-66.0 - LONGITUD_OESTE) * COSENO * ESCALA)
    alto = round((LATITUD_SUPERIOR + 56.3) * ESCALA)
    formas = regiones()
    lineas = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        "<!-- Schematic map of Chile's 16 regions, drawn by scripts/mapa_chile.py. -->",
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {ancho} {alto}" '
        f'width="{ancho}" height="{alto}" class="srm-mapa-chile">',
        "<title>Regiones de Chile</title>",
    ]
    for codigo in NOMBRES:
        lineas.append(
            f'<path id="region-{codigo}" data-codigo="{codigo}" class="region" '
            f'fill="#dee2e6" stroke="#ffffff" stroke-width="1" d="{formas[codigo]}">'
            f"<title>{NOMBRES[codigo]}</title></path>"
        )
    lineas.append("</svg>")
    return "\n".join(lineas) + "\n"


if __name__ == "__main__":
    print(svg(), end="")
