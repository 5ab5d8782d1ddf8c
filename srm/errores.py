"""The pages a person sees when something goes wrong: in Spanish, with a way back, in every mode.

In production Django calls the handlers below (srm/urls.py). Under `make run` (DEBUG=1) Django
would show its technical pages instead, in English, listing every URL pattern or a traceback:
`ReporteDeErrores` (DEFAULT_EXCEPTION_REPORTER) draws our page for a 400 or a 500, and
`PaginasDeErrorMiddleware` for a 404 that did not match any URL and for a 405. Tracebacks still
go to the console log. `SRM_ERRORES_TECNICOS=1` brings Django's pages back for development.
"""

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.debug import ExceptionReporter

# status -> (title, what happened, in the user's words)
PAGINAS = {
    400: (
        "Solicitud no válida",
        "El SRM no pudo interpretar lo que envió su navegador. Vuelva a la página anterior "
        "y revise los datos; lo que ya guardó no se perdió.",
    ),
    403: ("Acceso no permitido", "No tiene permiso para realizar esta acción."),
    404: (
        "Página no encontrada",
        "La página o el documento que busca no existe, o no está disponible para su cuenta.",
    ),
    405: (
        "Acción no disponible",
        "Esta dirección no admite la acción que pidió su navegador (por ejemplo, abrir como "
        "enlace lo que es un botón). Vuelva a la página anterior y use sus botones.",
    ),
    500: (
        "Ocurrió un error inesperado",
        "El equipo del SRM fue notificado. Intente nuevamente en unos minutos; lo que ya "
        "guardó no se perdió.",
    ),
}
CSRF = (
    "La página caducó",
    "Por seguridad, el formulario que envió ya no es válido: la página estuvo abierta mucho "
    "tiempo o su sesión cambió. Vuelva atrás, recargue la página y envíe de nuevo; copie antes "
    "lo que haya escrito si no lo guardó.",
)


DEMASIADO_GRANDE = "Lo enviado es demasiado grande"
FORMULARIO_GRANDE = (
    "El formulario tiene más texto del que el sistema recibe de una vez, y no se guardó. "
    "Vuelva atrás con el botón del navegador (lo escrito sigue ahí), acorte o divida el "
    "texto y guarde de nuevo."
)


def _detalle(estado: int, exception: BaseException | None) -> str:
    if isinstance(exception, RequestDataTooBig | TooManyFieldsSent):
        return FORMULARIO_GRANDE
    if estado == 403 and exception is not None and str(exception):
        # srm.permisos explains every refusal in Spanish.
        return str(exception)
    return PAGINAS.get(estado, PAGINAS[400])[1]


def html_de_error(
    request: HttpRequest | None,
    estado: int,
    exception: BaseException | None = None,
    *,
    titulo: str | None = None,
    detalle: str | None = None,
) -> str:
    contexto = {
        "estado": estado,
        "titulo": titulo or PAGINAS.get(estado, PAGINAS[400])[0],
        "detalle": detalle or _detalle(estado, exception),
        "volver": _volver(request) if request is not None else "",
    }
    if estado == 500:
        # Standalone: it must render when the database or the session is what failed.
        return loader.render_to_string("500.html", contexto)
    return loader.render_to_string("error.html", contexto, request=request)


def pagina_de_error(
    request: HttpRequest, estado: int, exception: BaseException | None = None, **kwargs
) -> HttpResponse:
    respuesta = HttpResponse(html_de_error(request, estado, exception, **kwargs), status=estado)
    respuesta.srm_pagina_de_error = True
    return respuesta


def _volver(request: HttpRequest) -> str:
    """The page the request came from, if it is one of this site's."""
    origen = request.headers.get("Referer", "")
    seguro = url_has_allowed_host_and_scheme(origen, allowed_hosts={request.get_host()})
    return origen if seguro else ""


def respuesta_demasiado_grande(request: HttpRequest, explicacion: str) -> HttpResponse:
    """413 with a Spanish explanation: a page, or for an upload by script, where to go back."""
    if request.headers.get("X-Requested-With") == "XMLHttpRequest":
        messages.error(request, explicacion)
        return JsonResponse({"url": _volver(request), "error": explicacion}, status=413)
    return pagina_de_error(request, 413, titulo=DEMASIADO_GRANDE, detalle=explicacion)


def solicitud_no_valida(request: HttpRequest, exception: BaseException) -> HttpResponse:
    if isinstance(exception, RequestDataTooBig | TooManyFieldsSent):
        # A form past DATA_UPLOAD_MAX_MEMORY_SIZE: say what to do with the text typed.
        return respuesta_demasiado_grande(request, FORMULARIO_GRANDE)
    return pagina_de_error(request, 400, exception)


def acceso_no_permitido(request: HttpRequest, exception: BaseException) -> HttpResponse:
    return pagina_de_error(request, 403, exception)


def pagina_no_encontrada(request: HttpRequest, exception: BaseException) -> HttpResponse:
    return pagina_de_error(request, 404, exception)


def error_del_servidor(request: HttpRequest) -> HttpResponse:
    return pagina_de_error(request, 500)


def csrf_fallido(request: HttpRequest, reason: str = "") -> HttpResponse:
    titulo, detalle = CSRF
    return pagina_de_error(request, 403, titulo=titulo, detalle=detalle)


class ReporteDeErrores(ExceptionReporter):
    """Under DEBUG, Django's technical page for a 400 or a 500 becomes ours (the traceback
    stays in the log)."""

    def _estado(self) -> int:
        from django.core.exceptions import BadRequest, SuspiciousOperation

        return 400 if isinstance(self.exc_value, (BadRequest, SuspiciousOperation)) else 500

    def get_traceback_html(self) -> str:
        if settings.SRM_ERRORES_TECNICOS:
            return super().get_traceback_html()
        return html_de_error(self.request, self._estado(), self.exc_value)

    def get_traceback_text(self) -> str:
        if settings.SRM_ERRORES_TECNICOS:
            return super().get_traceback_text()
        estado = self._estado()
        return f"{PAGINAS[estado][0]}. {_detalle(estado, self.exc_value)}"


class PaginasDeErrorMiddleware:
    """Our page for a 405 (views answer it with an empty body), and under DEBUG for the 404
    Django draws itself (an address that matches no URL, listing them all)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        respuesta = self.get_response(request)
        if getattr(respuesta, "srm_pagina_de_error", False) or respuesta.streaming:
            return respuesta
        tecnica = settings.DEBUG and not settings.SRM_ERRORES_TECNICOS
        if respuesta.status_code == 405 or (respuesta.status_code == 404 and tecnica):
            # Same response object: the headers set on the way out (CSP, Allow…) stay.
            respuesta.content = html_de_error(request, respuesta.status_code)
            respuesta["Content-Type"] = "text/html; charset=utf-8"
            if respuesta.has_header("Content-Length"):
                respuesta["Content-Length"] = str(len(respuesta.content))
            respuesta.srm_pagina_de_error = True
        return respuesta
