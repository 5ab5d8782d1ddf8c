import mimetypes

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from calidad import selectors as calidad_selectors
from calidad.models import Autoevaluacion
from reportes import acceso, services
from reportes.forms import (
    CATALOGOS_DEL_FORMULARIO,
    TIPOS_DE_CALIDAD,
    SolicitudReporteForm,
    anios_disponibles,
    catalogos_del_formulario,
)
from reportes.models import TIPOS_DE_GORE, Reporte, TipoReporte
from srm import entradas, permisos
from srm.widgets import opciones_leidas

POR_PAGINA = 25


def _exigir_algun_reporte(request: HttpRequest) -> list[str]:
    tipos = acceso.tipos_de_reporte(request.user)
    if not tipos:
        permisos.exigir(request.user, "reporte.ficha")
    return tipos


def _formularios(request: HttpRequest, tipos: list[str], enviado=None) -> list:
    anios = anios_disponibles()
    # The quality system's years (its management models), read once for its forms.
    anios_calidad = (
        calidad_selectors.anios_de_modelos() if TIPOS_DE_CALIDAD.intersection(tipos) else None
    )
    formularios = [
        enviado
        if enviado is not None and enviado.tipo_reporte == tipo
        else SolicitudReporteForm(
            usuario=request.user, tipo=tipo, anios=anios, anios_calidad=anios_calidad
        )
        for tipo in tipos
    ]
    # Every form of the page offers the same servicios and catalogs under the same names:
    # each list is read once and drawn by all (each field still validates with its queryset);
    # the catalogs' rows are kept under the catalog version.
    leidas: dict[str, list] = {}
    for formulario in formularios:
        for nombre, campo in formulario.fields.items():
            if isinstance(campo, forms.ModelChoiceField):
                if nombre not in leidas:
                    if nombre in CATALOGOS_DEL_FORMULARIO:
                        opciones_leidas(campo, catalogos_del_formulario()[nombre])
                    leidas[nombre] = list(campo.choices)
                campo.widget.choices = leidas[nombre]
    # A GORE's report for someone who sees no GORE's autoevaluación (a servicio that is not a
    # gobierno regional, or a year without any): nothing to ask for, no form.
    return [
        formulario
        for formulario in formularios
        if formulario.tipo_reporte not in TIPOS_DE_GORE
        or formulario.is_bound
        or len(leidas.get("gore", [])) > 1
    ]


def _pagina(request: HttpRequest, tipos: list[str], formularios: list, status: int = 200):
    historial = acceso.historial(request.user)
    solo_mios = request.GET.get("mios") == "1"
    if solo_mios:
        historial = historial.filter(solicitado_por=request.user)
    pagina = Paginator(historial, POR_PAGINA).get_page(request.GET.get("pagina"))
    return render(
        request,
        "reportes/lista.html",
        {
            "formularios": formularios,
            "pagina": pagina,
            "solo_mios": solo_mios,
            "en_curso": [r.pk for r in pagina if r.esta_en_curso],
        },
        status=status,
    )


@login_required
@require_GET
def lista(request: HttpRequest) -> HttpResponse:
    tipos = _exigir_algun_reporte(request)
    return _pagina(request, tipos, _formularios(request, tipos))


@login_required
@require_POST
def solicitar(request: HttpRequest) -> HttpResponse:
    tipos = _exigir_algun_reporte(request)
    tipo = request.POST.get("tipo", "")
    if tipo not in TipoReporte.values:
        raise Http404("Tipo de reporte desconocido.")
    permisos.exigir(request.user, acceso.accion_de_reporte(tipo))
    formulario = SolicitudReporteForm(
        request.POST, usuario=request.user, tipo=tipo, anios=anios_disponibles()
    )
    if not formulario.is_valid():
        messages.error(request, "Revise los datos del reporte: hay campos con errores.")
        return _pagina(request, tipos, _formularios(request, tipos, formulario), status=400)
    with transaction.atomic():
        reporte = services.reporte_solicitar(usuario=request.user, **formulario.parametros())
    messages.success(
        request,
        f"Se pidió «{reporte.get_tipo_display()}» ({reporte.descripcion}). "
        "Esta página muestra su avance; el archivo queda en el historial.",
    )
    return redirect("reportes:lista")


@login_required
@require_POST
def calidad_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The informe de resultados of one autoevaluación, asked from its scorecard: another
    GORE's autoevaluación is not found (404), a role that may not ask for it is refused (403)."""
    autoevaluacion = permisos.obtener_para(
        request.user,
        acceso.accion_de_reporte(TipoReporte.CALIDAD_PDF),
        Autoevaluacion,
        pk,
        Autoevaluacion.objects.select_related("servicio"),
    )
    with transaction.atomic():
        reporte = services.reporte_solicitar(
            usuario=request.user,
            tipo=TipoReporte.CALIDAD_PDF,
            anio=autoevaluacion.anio,
            servicio=autoevaluacion.servicio,
        )
    messages.success(
        request,
        f"Se pidió «{reporte.get_tipo_display()}» ({reporte.descripcion}). "
        "Esta página muestra su avance; el archivo queda en el historial.",
    )
    return redirect("reportes:lista")


@login_required
@require_POST
def repetir(request: HttpRequest, pk: int) -> HttpResponse:
    reporte = permisos.obtener(request.user, Reporte, pk)
    with transaction.atomic():
        nuevo = services.reporte_repetir(reporte=reporte, usuario=request.user)
    messages.success(request, f"Se pidió de nuevo «{nuevo.get_tipo_display()}».")
    return redirect("reportes:lista")


@login_required
@require_GET
def descargar(request: HttpRequest, pk: int) -> FileResponse:
    reporte = permisos.obtener(request.user, Reporte, pk)
    permisos.exigir(request.user, acceso.accion_de_reporte(reporte.tipo))
    if reporte.estado != Reporte.Estado.LISTO:
        raise Http404("Este reporte todavía no tiene archivo.")
    try:
        archivo = reporte.archivo.open("rb")
    except FileNotFoundError:
        raise Http404("El archivo de este reporte ya no está en el almacenamiento.") from None
    tipo_contenido = mimetypes.guess_type(reporte.nombre_archivo)[0] or "application/octet-stream"
    return FileResponse(
        archivo,
        as_attachment=True,
        filename=reporte.nombre_archivo,
        content_type=tipo_contenido,
    )


@login_required
@require_GET
def estado(request: HttpRequest) -> JsonResponse:
    """The state of some runs, for the page's progress bars (one query)."""
    if not acceso.tipos_de_reporte(request.user):
        raise PermissionDenied("Su rol no permite ver reportes.")
    ids = entradas.ids([i for i in request.GET.get("ids", "").split(",") if i][:100])
    if ids is None:
        return JsonResponse({"error": "Parámetro ids inválido."}, status=400)
    filas = permisos.visibles(request.user, Reporte).filter(pk__in=ids)
    return JsonResponse(
        {
            "reportes": [
                {
                    "id": r.pk,
                    "estado": r.estado,
                    "estado_texto": r.get_estado_display(),
                    "progreso": r.progreso,
                    "etapa": r.etapa,
                    "error": r.error,
                }
                for r in filas.only("pk", "estado", "progreso", "etapa", "error")
            ]
        }
    )
