"""Home page: what needs this person's attention, by role, across every open year."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from compromisos import selectors as compromisos_selectors
from compromisos.models import Proceso
from srm import permisos
from srm.permisos import Rol
from validacion import selectors as validacion_selectors


def _proceso_elegido(request: HttpRequest) -> tuple[Proceso | None, list[Proceso]]:
    """The year asked for in ?anio= (when it exists), else the current one; and every year."""
    procesos = list(Proceso.objects.order_by("-anio"))
    anio = request.GET.get("anio", "")
    elegido = next((p for p in procesos if anio.isdigit() and p.anio == int(anio)), None)
    if elegido is None:
        # proceso_vigente's rule, on the list already read.
        este_anio = timezone.localdate().year
        elegido = next((p for p in procesos if p.anio <= este_anio), None) or (
            procesos[-1] if procesos else None
        )
    return elegido, procesos


@login_required
def inicio(request: HttpRequest) -> HttpResponse:
    rol = permisos.rol(request.user)
    proceso, procesos = _proceso_elegido(request)
    hoy = timezone.localdate()
    contexto: dict = {"proceso": proceso, "procesos": procesos, "hoy": hoy}
    if rol is None:
        return render(request, "inicio/sin_rol.html", contexto)
    if proceso is None:
        return render(request, "inicio/sin_proceso.html", contexto)
    if rol == Rol.SERVICIO:
        contexto["pendientes"] = compromisos_selectors.pendientes_servicio(
            usuario=request.user, hoy=hoy
        )
        contexto["servicios"] = compromisos_selectors.resumen_servicios(
            usuario=request.user, proceso=proceso, hoy=hoy
        )
    elif rol == Rol.ANALISTA:
        contexto["pendientes"] = validacion_selectors.pendientes_analista(usuario=request.user)
        contexto["cartera"] = compromisos_selectors.resumen_cartera(
            usuario=request.user, proceso=proceso
        )
    elif rol == Rol.CONSULTORA:
        contexto["asignaciones"] = validacion_selectors.asignaciones_abiertas(usuario=request.user)
    else:
        contexto["panorama"] = compromisos_selectors.panorama_anual(proceso=proceso)
    return render(request, f"inicio/{rol}.html", contexto)
