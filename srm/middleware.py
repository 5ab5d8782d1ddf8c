"""Sessions (absolute lifetime and the renewal of the idle timeout, no caching of private
pages), the size of a request, and the security log of refused requests."""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied, RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.cache import add_never_cache_headers, patch_cache_control

from bitacora.services import acceso_denegado_registrar
from srm import permisos
from srm.errores import FORMULARIO_GRANDE, respuesta_demasiado_grande

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
        if request.method == "POST":
            try:
                # Parsed here once (views read the same QueryDict): a form past
                # DATA_UPLOAD_MAX_MEMORY_SIZE gets this page in every mode, not a bare 400.
                request.POST  # noqa: B018
            except (RequestDataTooBig, TooManyFieldsSent):
                return respuesta_demasiado_grande(request, FORMULARIO_GRANDE)
        return self.get_response(request)
