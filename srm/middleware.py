"""Absolute session lifetime, on top of Django's idle timeout (SESSION_COOKIE_AGE); the
security log of refused requests."""

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
