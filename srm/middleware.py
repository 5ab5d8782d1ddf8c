"""Sessions: an absolute lifetime on top of the idle timeout; no caching of private pages."""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.cache import add_never_cache_headers, patch_cache_control

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
