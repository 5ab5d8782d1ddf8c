"""Home page: what needs this person's attention, by role."""

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from compromisos import selectors as compromisos_selectors
from compromisos.models import FormulacionPMG
from servicios.models import Servicio
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
        contexto["servicios"] = _resumen_servicios(request.user, proceso, hoy)
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


def _resumen_servicios(usuario, proceso, hoy) -> list[dict]:
    formulaciones = FormulacionPMG.objects.filter(proceso=proceso).select_related("proceso")
    servicios = (
        permisos.visibles(usuario, Servicio)
        .select_related("tipo", "ministerio", "region")
        .prefetch_related(
            Prefetch("formulaciones", queryset=formulaciones, to_attr="formulaciones_del_anio")
        )
    )
    resumen = []
    for servicio in servicios:
        formulacion = next(iter(servicio.formulaciones_del_anio), None)
        if formulacion is not None:
            formulacion.servicio = servicio
        anterior = (
            None
            if formulacion is not None
            else FormulacionPMG.objects.filter(servicio=servicio, proceso__anio__lt=proceso.anio)
            .select_related("proceso")
            .order_by("-proceso__anio")
            .first()
        )
        resumen.append(
            {
                "servicio": servicio,
                "formulacion": formulacion,
                "formulacion_anterior": anterior,
                "puede_informar": permisos.puede(usuario, "informe.editar", servicio),
                "periodos": (
                    compromisos_selectors.periodos_de_formulacion(formulacion=formulacion)
                    if formulacion
                    else []
                ),
                "proximos_hitos": compromisos_selectors.proximos_hitos(
                    proceso=proceso, servicio=servicio, desde=hoy
                ),
            }
        )
    return resumen
