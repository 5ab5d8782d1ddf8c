"""Backups: the database and the media in one folder, with a manifest of SHA-256 to restore from.

A backup folder holds `base.dump` (PostgreSQL, pg_dump's custom format) or `base.sqlite3` (a
consistent copy made with SQLite's backup API while the SRM runs), `media/` (the medios de
verificación and reports, when they are on the local disk) and `manifiesto.json`, which lists
every file with its size and SHA-256. A restore checks every file against the manifest first
and changes nothing if one differs, is missing or is extra.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connection
from django.utils import timezone

from srm import catalogo

MANIFIESTO = "manifiesto.json"
BLOQUE = 1024 * 1024


class RespaldoInvalido(Exception):
    """The backup folder does not match its manifest: nothing was restored."""


def sha256_de(ruta: Path) -> str:
    resumen = hashlib.sha256()
    with ruta.open("rb") as archivo:
        while bloque := archivo.read(BLOQUE):
            resumen.update(bloque)
    return resumen.hexdigest()


def _entorno_postgresql(ajustes: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    """Connection arguments for pg_dump/pg_restore; the password travels in the environment."""
    argumentos = ["--dbname", ajustes["NAME"]]
    if ajustes.get("HOST"):
        argumentos += ["--host", str(ajustes["HOST"])]
    if ajustes.get("PORT"):
        argumentos += ["--port", str(ajustes["PORT"])]
    if ajustes.get("USER"):
        argumentos += ["--username", ajustes["USER"]]
    entorno = {**os.environ}
    if ajustes.get("PASSWORD"):
        entorno["PGPASSWORD"] = ajustes["PASSWORD"]
    return argumentos, entorno


def _motor() -> str:
    return "postgresql" if connection.vendor == "postgresql" else "sqlite"


def _media_en_disco() -> Path | None:
    """MEDIA_ROOT when files are on the local disk; None with a bucket (it keeps its own copies)."""
    if isinstance(default_storage, FileSystemStorage):
        return Path(settings.MEDIA_ROOT)
    return None


def _archivos(carpeta: Path) -> dict[str, dict[str, Any]]:
    return {
        ruta.relative_to(carpeta).as_posix(): {
            "bytes": ruta.stat().st_size,
            "sha256": sha256_de(ruta),
        }
        for ruta in sorted(carpeta.rglob("*"))
        if ruta.is_file() and ruta.name != MANIFIESTO
    }


def respaldar(destino: Path) -> dict[str, Any]:
    """Write a backup of the database and the media into `destino` (a new folder)."""
    destino.mkdir(parents=True, exist_ok=False)
    ajustes = connection.settings_dict
    if _motor() == "postgresql":
        argumentos, entorno = _entorno_postgresql(ajustes)
        subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", *argumentos,
             "--file", str(destino / "base.dump")],
            check=True, env=entorno, capture_output=True, text=True,
        )  # fmt: skip
    else:
        connection.ensure_connection()
        with sqlite3.connect(destino / "base.sqlite3") as copia:
            # The backup API copies a consistent snapshot, even while others write.
            connection.connection.backup(copia)
        copia.close()
    media = _media_en_disco()
    if media is not None and media.exists():
        shutil.copytree(media, destino / "media")
    manifiesto = {
        "creado": timezone.now().isoformat(),
        "motor": _motor(),
        "media": "disco" if media is not None else "bucket (no incluido)",
        "archivos": _archivos(destino),
    }
    (destino / MANIFIESTO).write_text(
        json.dumps(manifiesto, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    return manifiesto


def verificar(origen: Path) -> dict[str, Any]:
    """The manifest of `origen`, once every file matches it; else RespaldoInvalido says why."""
    try:
        manifiesto = json.loads((origen / MANIFIESTO).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise RespaldoInvalido(f"No se pudo leer {MANIFIESTO} en {origen}.") from error
    esperados = manifiesto.get("archivos", {})
    presentes = _archivos(origen)
    problemas = [f"falta {ruta}" for ruta in sorted(set(esperados) - set(presentes))]
    problemas += [f"sobra {ruta}" for ruta in sorted(set(presentes) - set(esperados))]
    problemas += [
        f"{ruta} no coincide con su SHA-256"
        for ruta in sorted(set(esperados) & set(presentes))
        if esperados[ruta]["sha256"] != presentes[ruta]["sha256"]
    ]
    if problemas:
        raise RespaldoInvalido("El respaldo no coincide con su manifiesto: " + "; ".join(problemas))
    return manifiesto


def restaurar(origen: Path) -> dict[str, Any]:
    """Verify `origen`, then replace the database and the media with it."""
    manifiesto = verificar(origen)
    if manifiesto["motor"] != _motor():
        raise RespaldoInvalido(
            f"El respaldo es de {manifiesto['motor']} y la base configurada es {_motor()}."
        )
    ajustes = connection.settings_dict
    if _motor() == "postgresql":
        argumentos, entorno = _entorno_postgresql(ajustes)
        connection.close()
        subprocess.run(
            ["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
             "--single-transaction", "--exit-on-error", *argumentos, str(origen / "base.dump")],
            check=True, env=entorno, capture_output=True, text=True,
        )  # fmt: skip
    else:
        connection.ensure_connection()
        with sqlite3.connect(origen / "base.sqlite3") as fuente:
            fuente.backup(connection.connection)
        fuente.close()
    media = _media_en_disco()
    if media is not None and (origen / "media").exists():
        media.mkdir(parents=True, exist_ok=True)
        shutil.copytree(origen / "media", media, dirs_exist_ok=True)
    # The restored years, calendars and catalogs replace the ones the running processes keep.
    catalogo.invalidar()
    return manifiesto
