"""Absolute session lifetime, on top of Django's idle timeout (SESSION_COOKIE_AGE), and the
renewal of that timeout; the security log of refused requests."""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from bitacora.services import acceso_denegado_registrar
from srm import permisos

CLAVE_INICIO = "srm_sesion_inicio"
CLAVE_RENOVADA = "srm_sesion_renovada"


def sesion_iniciada(sender, request: HttpRequest, user, **kwargs) -> None:
    """A login starts both clocks, saved with the new session: the first page writes nothing."""
    ahora = int(time.time())
    request.session[CLAVE_INICIO] = ahora
    request.session[CLAVE_RENOVADA] = ahora


class SesionConDuracionMaximaMiddleware:
    """Ends a session a fixed time after login, however active it has been, and renews its idle
    timeout at most once every SRM_SESSION_RENEW_SECONDS.

    Saving the session on every request (SESSION_SAVE_EVERY_REQUEST) wrote its row on every
    GET; renewing it once a minute keeps the idle timeout (the session ends between 29 and 30
    minutes after the last request, never later) with one write a minute per person.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            inicio = request.session.setdefault(CLAVE_INICIO, int(time.time()))
            if time.time() - inicio > settings.SRM_SESSION_MAX_SECONDS:
                logout(request)
                messages.info(request, "Su sesión llegó a su duración máxima. Ingrese nuevamente.")
                return redirect(settings.LOGIN_URL)
            ahora = int(time.time())
            if ahora - request.session.get(CLAVE_RENOVADA, 0) >= settings.SRM_SESSION_RENEW_SECONDS:
                # A changed session is saved, with its expiry SESSION_COOKIE_AGE from now.
                request.session[CLAVE_RENOVADA] = ahora
        return self.get_response(request)


class RegistroDeAccesosDenegadosMiddleware:
    """Appends each request the permission door refused to the event log (security log).

    It runs once the view has failed, outside any transaction of the view, so the refusal
    stays logged even when it rolled back a service's writes.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        usuario = getattr(request, "user", None)
        if usuario is None or not usuario.is_authenticated:
            return None
        ruta = f"{request.method} {request.path}"
        if isinstance(exception, permisos.FueraDeAlcance):
            acceso_denegado_registrar(
                usuario=usuario,
                accion="seguridad.fuera_de_alcance",
                ruta=ruta,
                motivo="fuera de su alcance o inexistente",
                servicio_id=exception.servicio_id,
                descripcion=exception.descripcion,
            )
        elif isinstance(exception, PermissionDenied):
            servicio_id, anio = (
                exception.servicio_y_anio()
                if isinstance(exception, permisos.AccesoDenegado)
                else (None, None)
            )
            acceso_denegado_registrar(
                usuario=usuario,
                accion="seguridad.acceso_denegado",
                ruta=ruta,
                motivo=str(exception) or "acceso denegado",
                servicio_id=servicio_id,
                anio=anio,
            )
        return None
