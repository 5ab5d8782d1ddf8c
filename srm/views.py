"""Home page: what needs this person's attention, by role."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from compromisos import selectors as compromisos_selectors
from srm import permisos
from srm.permisos import Rol


@login_required
def inicio(request: HttpRequest) -> HttpResponse:
    rol = permisos.rol(request.user)
    proceso = compromisos_selectors.proceso_vigente()
    hoy = timezone.localdate()
    contexto: dict = {"proceso": proceso, "hoy": hoy}
    if rol is None:
        return render(request, "inicio/sin_rol.html", contexto)
    if proceso is None:
        return render(request, "inicio/sin_proceso.html", contexto)
    if rol == Rol.SERVICIO:
        contexto["servicios"] = compromisos_selectors.resumen_servicios(
            usuario=request.user, proceso=proceso, hoy=hoy
        )
    elif rol == Rol.ANALISTA:
        contexto["por_revisar"] = list(
            compromisos_selectors.informes_por_revisar(usuario=request.user, proceso=proceso)
        )
        contexto["cartera"] = compromisos_selectors.resumen_cartera(
            usuario=request.user, proceso=proceso
        )
    elif rol == Rol.CONSULTORA:
        contexto["asignaciones"] = list(
            compromisos_selectors.asignaciones_consultora(usuario=request.user, proceso=proceso)
        )
    else:
        contexto["panorama"] = compromisos_selectors.panorama_anual(proceso=proceso)
    return render(request, f"inicio/{rol}.html", contexto)
