"""Home page: what needs this person's attention, by role, across every open year."""

import logging
from functools import partial

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from asistencia import selectors as asistencia_selectors
from calidad import selectors as calidad_selectors
from compromisos import selectors as compromisos_selectors
from compromisos.models import Proceso
from srm import entradas, permisos
from srm.forms import FormularioRecuperarClave
from srm.ingreso import direccion_cliente
from srm.limites import clave, superado
from srm.permisos import Rol
from srm.tasks import restablecimiento_pedir
from validacion import selectors as validacion_selectors


def _proceso_elegido(request: HttpRequest) -> tuple[Proceso | None, list[Proceso]]:
    """The year asked for in ?anio= (when it exists), else the current one; and every year
    (kept under the catalog version: srm/catalogo.py)."""
    procesos = compromisos_selectors.procesos()
    anio = entradas.anio(request.GET.get("anio"))
    elegido = next((p for p in procesos if p.anio == anio), None)
    if elegido is None:
        elegido = compromisos_selectors.vigente_entre(procesos, timezone.localdate().year)
    return elegido, procesos


@login_required
def inicio(request: HttpRequest) -> HttpResponse:
    rol = permisos.rol(request.user)
    proceso, procesos = _proceso_elegido(request)
    hoy = timezone.localdate()
    contexto: dict = {"proceso": proceso, "procesos": procesos, "hoy": hoy}
    if rol is None:
        return render(request, "inicio/sin_rol.html", contexto)
    if rol in permisos.ROLES_DE_LA_DIVISION:
        # The División's own people follow its metas, not the servicios' PMG.
        return redirect("metas:inicio")
    if rol == Rol.EVALUADOR:
        # The GORE quality system's evaluador works outside the PMG year: its assignments.
        contexto["autoevaluaciones"] = calidad_selectors.autoevaluaciones_visibles(
            usuario=request.user
        ).order_by("-anio", "servicio__region__orden")
        return render(request, "inicio/evaluador.html", contexto)
    if proceso is None:
        return render(request, "inicio/sin_proceso.html", contexto)
    if rol == Rol.SERVICIO:
        # Its formulaciones of the open years and of the year chosen, read once for both.
        servicios = compromisos_selectors.servicios_del_inicio(
            usuario=request.user, proceso=proceso
        )
        contexto["pendientes"] = compromisos_selectors.pendientes_servicio(
            servicios=servicios, hoy=hoy
        )
        contexto["servicios"] = compromisos_selectors.resumen_servicios(
            usuario=request.user, servicios=servicios, proceso=proceso, hoy=hoy
        )
        contexto["consultas_abiertas"] = asistencia_selectors.consultas_abiertas_servicio(
            usuario=request.user
        )
        contexto["convocatoria"] = asistencia_selectors.proxima_convocatoria(usuario=request.user)
    elif rol == Rol.ANALISTA:
        # The consultas of its cartera wait on the analista too, in the same list by deadline.
        contexto["pendientes"] = compromisos_selectors.ordenar_pendientes(
            validacion_selectors.pendientes_analista(usuario=request.user)
            + asistencia_selectors.consultas_por_responder(usuario=request.user, hoy=hoy)
        )
        contexto["cartera"] = compromisos_selectors.resumen_cartera(
            usuario=request.user, proceso=proceso
        )
    elif rol == Rol.CONSULTORA:
        contexto["asignaciones"] = validacion_selectors.asignaciones_abiertas(usuario=request.user)
    else:
        contexto["panorama"] = compromisos_selectors.panorama_anual(proceso=proceso)
    return render(request, f"inicio/{rol}.html", contexto)


class RecuperarClave(auth_views.PasswordResetView):
    """Password reset: the same work and answer for any address, with limits per address and client.

    The link is mailed by a task dispatched once the answer has been sent (as the response
    closes), so a known address does not answer later than an unknown one, even when tasks run
    in-process. Past SRM_RECUPERACION_POR_CORREO requests an hour for one address nothing more
    is sent (the answer stays the same); past SRM_RECUPERACION_POR_CLIENTE from one client, the
    page says so.
    """

    form_class = FormularioRecuperarClave

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        cliente = clave("clave-cliente", direccion_cliente(request) or "")
        if superado(cliente, settings.SRM_RECUPERACION_POR_CLIENTE):
            formulario = self.get_form()
            formulario.add_error(
                None,
                "Se pidieron demasiados enlaces desde su conexión. Intente de nuevo en una hora.",
            )
            return self.render_to_response(self.get_context_data(form=formulario), status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: FormularioRecuperarClave) -> HttpResponse:
        respuesta = super().form_valid(form)
        correo = clave("clave-correo", form.cleaned_data["email"])
        if form.pedido and not superado(correo, settings.SRM_RECUPERACION_POR_CORREO):
            # Django runs a response's closers after the server has sent it (HttpResponse.close).
            respuesta._resource_closers.append(partial(_pedir_enlace, form.pedido))
        return respuesta


def _pedir_enlace(pedido: dict[str, str]) -> None:
    try:
        restablecimiento_pedir.delay(**pedido)
    except Exception:
        # The person already has the answer; a broker or mail server down is the admins' news.
        logging.getLogger("srm.seguridad").exception("No se pudo pedir el enlace de clave.")
