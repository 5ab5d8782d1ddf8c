from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from compromisos import selectors
from compromisos.models import (
    AvanceCompromiso,
    Compromiso,
    FormulacionPMG,
    InformeAvance,
    MedioVerificacion,
)
from srm import permisos


@login_required
def formulacion_detalle(request: HttpRequest, pk: int) -> HttpResponse:
    formulacion = permisos.obtener(
        request.user,
        FormulacionPMG,
        pk,
        FormulacionPMG.objects.select_related("servicio__ministerio", "servicio__tipo", "proceso"),
    )
    compromisos = formulacion.compromisos.prefetch_related(
        "regiones", "hitos", "medios_comprometidos"
    )
    return render(
        request,
        "compromisos/formulacion_detalle.html",
        {
            "formulacion": formulacion,
            "lineas": list(formulacion.lineas.all()),
            "total_ponderadores": formulacion.total_ponderadores(),
            "exenciones": formulacion.exenciones.all(),
            "compromisos": compromisos,
            "informes": selectors.informes_con_plazo(formulacion=formulacion),
            "acciones": permisos.acciones_permitidas(request.user, formulacion),
        },
    )


@login_required
def informe_detalle(request: HttpRequest, pk: int) -> HttpResponse:
    informe = permisos.obtener(
        request.user,
        InformeAvance,
        pk,
        InformeAvance.objects.select_related(
            "formulacion__servicio__ministerio",
            "formulacion__servicio__tipo",
            "formulacion__proceso",
        ),
    )
    medios = MedioVerificacion.objects.filter(eliminado_en__isnull=True).select_related(
        "subido_por"
    )
    avances = (
        AvanceCompromiso.objects.filter(informe=informe)
        .select_related("compromiso")
        .prefetch_related(Prefetch("medios", queryset=medios, to_attr="medios_vigentes"))
        .order_by("compromiso__codigo")
    )
    return render(
        request,
        "compromisos/informe_detalle.html",
        {
            "informe": informe,
            "plazo": selectors.plazo_informe(informe),
            "avances": avances,
            "sin_reportar": Compromiso.objects.filter(formulacion=informe.formulacion).exclude(
                avances__informe=informe
            ),
            "acciones": permisos.acciones_permitidas(request.user, informe),
        },
    )
