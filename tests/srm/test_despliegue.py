"""docker-compose.yml: the broker and the cache live in Redis servers with their own memory policy."""

import re
from pathlib import Path

COMPOSE = Path(__file__).resolve().parents[2] / "docker-compose.yml"


def servicios() -> dict[str, str]:
    """Each service of docker-compose.yml with its block of text (no YAML parser installed)."""
    texto = COMPOSE.read_text().split("\nservices:\n", 1)[1].split("\nvolumes:\n", 1)[0]
    bloques = re.split(r"^  (?=[a-z_-]+:\s*$)", texto, flags=re.MULTILINE)
    return {bloque.split(":", 1)[0]: bloque for bloque in bloques if bloque.strip()}


def variable(nombre: str) -> str:
    return re.search(rf"^    {nombre}: (\S+)$", COMPOSE.read_text(), re.MULTILINE).group(1)


def servidor(url: str) -> str:
    return re.match(r"redis://([^/]+)/", url).group(1)


def test_el_broker_nunca_descarta_tareas():
    broker = servicios()["redis"]
    assert servidor(variable("CELERY_BROKER_URL")) == "redis:6379"
    assert '"--maxmemory-policy", "noeviction"' in broker
    assert "allkeys" not in broker


def test_el_cache_tiene_tope_y_descarta_lo_menos_usado():
    cache = servicios()["cache"]
    assert servidor(variable("CACHE_URL")) == "cache:6379"
    assert '"--maxmemory-policy", "allkeys-lru"' in cache
    assert '"--maxmemory"' in cache


def test_la_aplicacion_espera_a_los_dos_redis():
    texto = COMPOSE.read_text().split("\nservices:\n", 1)[0]
    assert "    redis:\n      condition: service_healthy" in texto
    assert "    cache:\n      condition: service_healthy" in texto
