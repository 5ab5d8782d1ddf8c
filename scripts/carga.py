"""Loopback HTTP load for the SRM's benchmarks: a gunicorn it starts and stops, and sessions
that sign in and browse like a person (cookies, CSRF), each on its own keep-alive connection.

Used by scripts/benchmark_paginas.py (--gunicorn) and scripts/benchmark_dia_de_plazo.py. Only
127.0.0.1; every process it starts is stopped by its own pid.
"""

import http.client
import os
import re
import secrets
import signal
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

RAIZ = Path(__file__).resolve().parents[1]
CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def entorno_produccion(puerto: int, **extra: str) -> dict[str, str]:
    """The environment of a production-like server on loopback (DEBUG off, plain HTTP)."""
    entorno = dict(os.environ)
    entorno.pop("DEBUG", None)
    entorno.update(
        SECRET_KEY=entorno.get("SECRET_KEY") or secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        CSRF_TRUSTED_ORIGINS=f"http://127.0.0.1:{puerto}",
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        STATIC_ROOT=entorno.get("STATIC_ROOT") or "/tmp/srm_benchmark_static",
        **extra,
    )
    return entorno


@contextmanager
def gunicorn(puerto: int, *, workers: int = 3, entorno: dict[str, str] | None = None):
    """A gunicorn serving the SRM on 127.0.0.1:puerto until the block ends."""
    entorno = entorno or entorno_produccion(puerto)
    # Production serves hashed static files: collect them once, outside the worktree.
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=RAIZ,
        env=entorno,
        check=True,
    )
    proceso = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "srm.wsgi:application",
            "--bind",
            f"127.0.0.1:{puerto}",
            "--workers",
            str(workers),
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ],
        cwd=RAIZ,
        env=entorno,
    )
    try:
        limite = time.monotonic() + 60
        while True:
            try:
                conexion = http.client.HTTPConnection("127.0.0.1", puerto, timeout=5)
                conexion.request("GET", "/ingresar/")
                conexion.getresponse().read()
                break
            except OSError:
                if proceso.poll() is not None or time.monotonic() > limite:
                    raise RuntimeError("gunicorn no respondió") from None
                time.sleep(0.3)
        yield proceso
    finally:
        proceso.send_signal(signal.SIGTERM)
        try:
            proceso.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proceso.kill()
            proceso.wait()


class Sesion:
    """One person's browser: its cookies and one keep-alive connection."""

    def __init__(self, puerto: int, *, timeout: float = 120) -> None:
        self.puerto = puerto
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self.conexion = http.client.HTTPConnection("127.0.0.1", puerto, timeout=timeout)

    def _pedir(self, metodo: str, url: str, cuerpo: bytes | None, cabeceras: dict[str, str]):
        cabeceras = {
            "Host": f"127.0.0.1:{self.puerto}",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            **cabeceras,
        }
        for intento in range(2):
            try:
                self.conexion.request(metodo, url, body=cuerpo, headers=cabeceras)
                respuesta = self.conexion.getresponse()
                contenido = respuesta.read()
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                # gunicorn closed an idle keep-alive connection: open another, once.
                self.conexion.close()
                self.conexion = http.client.HTTPConnection(
                    "127.0.0.1", self.puerto, timeout=self.timeout
                )
                if intento:
                    raise
        for cabecera, valor in respuesta.getheaders():
            if cabecera.lower() == "set-cookie":
                nombre, _, resto = valor.partition("=")
                self.cookies[nombre.strip()] = resto.split(";", 1)[0]
        return respuesta.status, respuesta.getheader("Location", ""), contenido

    def get(self, url: str) -> tuple[int, float, bytes]:
        """Status, milliseconds and body of a GET."""
        inicio = time.perf_counter()
        estado, _ubicacion, contenido = self._pedir("GET", url, None, {})
        return estado, (time.perf_counter() - inicio) * 1000, contenido

    def post(
        self,
        url: str,
        campos: dict[str, str | list[str]],
        *,
        archivos: dict[str, tuple[str, bytes]] | None = None,
        token: str = "",
    ) -> tuple[int, float, str]:
        """Status, milliseconds and redirect target of a POST (multipart), with the CSRF token."""
        limite = uuid.uuid4().hex
        partes: list[bytes] = []
        valores = {"csrfmiddlewaretoken": token or self.cookies.get("csrftoken", ""), **campos}
        for nombre, valor in valores.items():
            for uno in valor if isinstance(valor, list) else [valor]:
                partes.append(
                    f'--{limite}\r\nContent-Disposition: form-data; name="{nombre}"\r\n\r\n'
                    f"{uno}\r\n".encode()
                )
        for nombre, (archivo, datos) in (archivos or {}).items():
            partes.append(
                f'--{limite}\r\nContent-Disposition: form-data; name="{nombre}"; '
                f'filename="{archivo}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
                + datos
                + b"\r\n"
            )
        partes.append(f"--{limite}--\r\n".encode())
        cuerpo = b"".join(partes)
        cabeceras = {
            "Content-Type": f"multipart/form-data; boundary={limite}",
            "Content-Length": str(len(cuerpo)),
            "Origin": f"http://127.0.0.1:{self.puerto}",
            "Referer": f"http://127.0.0.1:{self.puerto}{url}",
        }
        inicio = time.perf_counter()
        estado, ubicacion, _contenido = self._pedir("POST", url, cuerpo, cabeceras)
        return estado, (time.perf_counter() - inicio) * 1000, ubicacion

    def token(self, url: str) -> str:
        """The CSRF token of a page's form."""
        _estado, _ms, contenido = self.get(url)
        encontrado = CSRF.search(contenido)
        return encontrado.group(1).decode() if encontrado else self.cookies.get("csrftoken", "")

    def ingresar(self, usuario: str, clave: str) -> None:
        token = self.token("/ingresar/")
        estado, _ms, _ubicacion = self.post(
            "/ingresar/", {"username": usuario, "password": clave}, token=token
        )
        if estado != 302:
            raise RuntimeError(f"{usuario} no pudo ingresar (HTTP {estado})")

    def cerrar(self) -> None:
        self.conexion.close()
