"""Sessions (absolute lifetime, no caching of private pages) and the size of a request."""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme

CLAVE_INICIO = "srm_sesion_inicio"


class SesionConDuracionMaximaMiddleware:
    """Ends a session a fixed time after login, however active it has been."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            inicio = request.session.setdefault(CLAVE_INICIO, int(time.time()))
            if time.time() - inicio > settings.SRM_SESSION_MAX_SECONDS:
                logout(request)
                messages.info(request, "Su sesión llegó a su duración máxima. Ingrese nuevamente.")
                return redirect(settings.LOGIN_URL)
        return self.get_response(request)


class SinCacheParaSesionesMiddleware:
    """Pages for a signed-in person are never stored by the browser or a proxy.

    On a shared computer, the back button after logging out would otherwise show them again.
    A response that sets its own Cache-Control (file downloads) keeps it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        respuesta = self.get_response(request)
        usuario = getattr(request, "user", None)
        if (
            usuario is not None
            and usuario.is_authenticated
            and not respuesta.has_header("Cache-Control")
        ):
            add_never_cache_headers(respuesta)
            patch_cache_control(respuesta, private=True)
        return respuesta


def _legible(cantidad: int) -> str:
    return f"{cantidad / (1024 * 1024):.0f} MB".replace(".", ",")


def _volver(request: HttpRequest) -> str:
    """The page the request came from, if it is one of this site's."""
    origen = request.headers.get("Referer", "")
    return (
        origen
        if url_has_allowed_host_and_scheme(origen, allowed_hosts={request.get_host()})
        else ""
    )


def respuesta_demasiado_grande(request: HttpRequest, explicacion: str) -> HttpResponse:
    """413 with a Spanish explanation: a page, or for an upload by script, where to go back."""
    volver = _volver(request)
    if request.headers.get("X-Requested-With") == "XMLHttpRequest":
        messages.error(request, explicacion)
        return JsonResponse({"url": volver or "", "error": explicacion}, status=413)
    return render(
        request,
        "400.html",
        {"titulo": "Lo enviado es demasiado grande", "explicacion": explicacion, "volver": volver},
        status=413,
    )


class LimiteDeSolicitudMiddleware:
    """Refuses a request whose body is larger than SRM_MAX_SOLICITUD_BYTES before reading it.

    The per-file limit (SRM_MAX_UPLOAD_BYTES) is checked on each file; this caps what one POST
    may carry in all (several files at once), so a hundred 25 MB files are not written to disk.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            largo = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            largo = 0
        limite = settings.SRM_MAX_SOLICITUD_BYTES
        if largo > limite:
            return respuesta_demasiado_grande(
                request,
                f"Lo enviado pesa {_legible(largo)} y el máximo por envío es {_legible(limite)}. "
                "No se guardó nada: envíe los archivos en varias veces.",
            )
        return self.get_response(request)
