"""Backups: dumped with a SHA-256 manifest, refused when altered, restored into a fresh database."""

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from compromisos.models import MedioVerificacion

RAIZ = Path(__file__).resolve().parents[2]


def consultar(url_o_ruta: str, sql: str) -> list[tuple]:
    """Rows of the restored database, read without Django (it points at the test database)."""
    if url_o_ruta.startswith("postgres"):
        import psycopg

        with psycopg.connect(url_o_ruta) as conexion, conexion.cursor() as cursor:
            cursor.execute(sql)
            filas = cursor.fetchall()
        conexion.close()
        return filas
    with sqlite3.connect(url_o_ruta) as conexion:
        return conexion.execute(sql).fetchall()


@pytest.fixture
def base_nueva(tmp_path):
    """A fresh, empty database of the same engine, as a DATABASE_URL; dropped afterwards."""
    if connection.vendor == "postgresql":
        ajustes = connection.settings_dict
        # Named after this run's test database, so parallel runs do not share it.
        nueva = f"{ajustes['NAME']}_restaurada"
        servidor = f"postgres://{ajustes['USER']}@{ajustes['HOST']}:{ajustes['PORT']}"
        ajena = dict(os.environ, PGPASSWORD=ajustes.get("PASSWORD") or "")
        mantencion = f"--maintenance-db={servidor}/postgres"
        borrar = ["dropdb", "--if-exists", "--force", mantencion, nueva]
        subprocess.run(borrar, check=True, env=ajena)
        subprocess.run(["createdb", mantencion, nueva], check=True, env=ajena)
        url = f"{servidor}/{nueva}"
        yield url, url
        subprocess.run(borrar, check=True, env=ajena)
    else:
        ruta = tmp_path / "restaurada.sqlite3"
        yield f"sqlite:///{ruta}", str(ruta)


def restaurar_en(url: str, media: Path, origen: Path) -> subprocess.CompletedProcess:
    entorno = {
        k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "SRM_TESTING"}
    }
    entorno.update(
        DATABASE_URL=url,
        MEDIA_ROOT=str(media),
        DJANGO_SETTINGS_MODULE="srm.settings_pruebas",
    )
    return subprocess.run(
        [sys.executable, "manage.py", "restaurar", "--origen", str(origen)],
        cwd=RAIZ,
        env=entorno,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.django_db(transaction=True)
def test_respaldo_se_restaura_en_una_base_nueva_con_los_mismos_hashes(
    informe_osorno, tmp_path, settings, base_nueva
):
    url, lectura = base_nueva
    destino = tmp_path / "respaldo"
    call_command("respaldo", destino=str(destino))
    manifiesto = json.loads((destino / "manifiesto.json").read_text())
    medios = list(MedioVerificacion.objects.values_list("archivo", "sha256"))
    assert medios
    for archivo, sha256 in medios:
        assert manifiesto["archivos"][f"media/{archivo}"]["sha256"] == sha256

    media_nueva = tmp_path / "media_restaurada"
    resultado = restaurar_en(url, media_nueva, destino)
    assert resultado.returncode == 0, resultado.stdout + resultado.stderr
    assert "coinciden con su SHA-256" in resultado.stdout

    restaurados = consultar(lectura, "SELECT archivo, sha256 FROM compromisos_medioverificacion")
    assert sorted(restaurados) == sorted(medios)
    for archivo, sha256 in restaurados:
        assert hashlib.sha256((media_nueva / archivo).read_bytes()).hexdigest() == sha256
    for tabla, modelo in [("compromisos_informeavance", informe_osorno), ("auth_user", None)]:
        cuenta = consultar(lectura, f"SELECT count(*) FROM {tabla}")[0][0]
        esperado = (
            type(modelo).objects.count() if modelo is not None else connection_count("auth_user")
        )
        assert cuenta == esperado


def connection_count(tabla: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {tabla}")
        return cursor.fetchone()[0]


# Backups are made outside any transaction: a test transaction would hold SQLite's write lock.
@pytest.mark.django_db(transaction=True)
def test_un_respaldo_alterado_no_se_restaura(informe_osorno, tmp_path):
    destino = tmp_path / "respaldo"
    call_command("respaldo", destino=str(destino))
    alterado = next((destino / "media").rglob("*.pdf"))
    alterado.write_bytes(alterado.read_bytes() + b"%")
    (destino / "media" / "intruso.txt").write_text("x")
    with pytest.raises(CommandError) as error:
        call_command("restaurar", origen=str(destino))
    mensaje = str(error.value)
    assert "no coincide con su SHA-256" in mensaje and "sobra media/intruso.txt" in mensaje


def test_make_tiene_respaldo_y_restaurar():
    makefile = (RAIZ / "Makefile").read_text()
    assert "\nrespaldo:" in makefile and "\nrestaurar:" in makefile
