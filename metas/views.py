"""Pages of the División's metas: the División, a department, a unit, an indicator."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from metas import computos, selectors, services
from metas.forms import DevolverForm, IndicadorForm, MedicionForm, MetaForm
from metas.models import (
    Departamento,
    EvidenciaMedicion,
    Indicador,
    Medicion,
    MetaAnual,
    Semaforo,
    Unidad,
    nombre_periodo,
    rango_periodo,
)
from srm import entradas, permisos

FILAS_POR_PAGINA = 50


def _anios(request: HttpRequest) -> tuple[int, list[int]]:
    """The year to show and the years with metas the user sees."""
    disponibles = selectors.anios(request.user)
    return selectors.anio_vigente(disponibles, entradas.anio(request.GET.get("anio"))), disponibles


@require_safe
@login_required
def inicio(request: HttpRequest) -> HttpResponse:
    """The departments, units and indicators the user sees: the whole División for jefatura."""
    permisos.exigir(request.user, "meta.consultar")
    anio, anios = _anios(request)
    return render(
        request,
        "metas/inicio.html",
        {
            "anio": anio,
            "anios": anios,
            "grupos": selectors.panorama(request.user, anio=anio),
            "luces": Semaforo,
            "puede_recalcular": permisos.puede(request.user, "indicador.recalcular"),
            "ve_division": permisos.puede(request.user, "division.consultar"),
            "ve_departamentos": permisos.puede(request.user, "departamento.consultar"),
        },
    )


@require_POST
@login_required
def recalcular(request: HttpRequest) -> HttpResponse:
    anio = entradas.anio(request.POST.get("anio")) or timezone.localdate().year
    permisos.exigir(request.user, "indicador.recalcular")
    cantidad = services.indicadores_calcular(anio=anio, usuario=request.user)
    messages.success(request, f"Indicadores calculados: {cantidad} períodos actualizados.")
    return redirect(f"{reverse('metas:inicio')}?anio={anio}")


@require_safe
@login_required
def departamento(request: HttpRequest, pk: int) -> HttpResponse:
    """A department's units and indicators, and the measurements waiting for its jefe."""
    depto = permisos.obtener_division_para(
        request.user,
        "departamento.consultar",
        Departamento,
        pk,
        Departamento.objects.select_related("jefe"),
    )
    anio, anios = _anios(request)
    pendientes = list(selectors.por_aprobar(request.user, departamento=depto))
    for medicion in pendientes:
        medicion.nombre_periodo = nombre_periodo(medicion.indicador.periodicidad, medicion.periodo)
        medicion.acciones = [
            accion
            for accion in medicion.acciones_posibles()
            if permisos.puede(request.user, f"medicion.{accion}", medicion)
        ]
    return render(
        request,
        "metas/departamento.html",
        {
            "departamento": depto,
            "anio": anio,
            "anios": anios,
            "grupos": selectors.panorama(request.user, anio=anio, departamento=depto),
            "pendientes": pendientes,
            "formulario_devolver": DevolverForm(),
            "luces": Semaforo,
        },
    )


@require_safe
@login_required
def unidad(request: HttpRequest, pk: int) -> HttpResponse:
    """A unit's metas of the year and their indicators."""
    propia = permisos.obtener_division_para(
        request.user,
        "meta.consultar",
        Unidad,
        pk,
        Unidad.objects.select_related("departamento", "jefe"),
    )
    anio, anios = _anios(request)
    puede_crear = permisos.puede(request.user, "meta.crear", propia)
    lista = list(selectors.indicadores(request.user, anio=anio, unidades=[propia]))
    for indicador in lista:
        indicador.tendencia = selectors.tendencia(indicador)
    return render(
        request,
        "metas/unidad.html",
        {
            "unidad": propia,
            "anio": anio,
            "anios": anios,
            "indicadores": lista,
            "ve_departamento": permisos.puede(
                request.user, "departamento.consultar", propia.departamento
            ),
            "puede_crear": puede_crear,
            # The year's metas, to add indicators to (only for who may).
            "metas_del_anio": list(propia.metas.filter(anio=anio)) if puede_crear else [],
        },
    )


@require_safe
@login_required
def indicador(request: HttpRequest, pk: int) -> HttpResponse:
    """An indicator: its formula, meta and light, each period's measurement with its evidence,
    and, for one the SRM computes, the rows behind the figure."""
    objeto = permisos.obtener_division_para(
        request.user,
        "meta.consultar",
        Indicador,
        pk,
        Indicador.objects.select_related("meta__unidad__departamento", "responsable"),
    )
    por_periodo = selectors.mediciones_por_periodo(objeto)
    puede_reportar = not objeto.es_calculado and permisos.puede(
        request.user, "medicion.reportar", objeto
    )
    periodos = []
    hoy = timezone.localdate()
    for numero in range(1, objeto.periodos + 1):
        medicion = por_periodo.get(numero)
        if medicion is not None:
            medicion.indicador = objeto
        desde, _ = rango_periodo(objeto.meta.anio, objeto.periodicidad, numero)
        periodos.append(
            {
                "numero": numero,
                "nombre": nombre_periodo(objeto.periodicidad, numero),
                "medicion": medicion,
                "puede_reportar": puede_reportar
                and desde <= hoy
                and (medicion is None or medicion.es_editable),
                "acciones": [
                    accion
                    for accion in (medicion.acciones_posibles() if medicion else [])
                    if accion != "reportar"
                    and permisos.puede(request.user, f"medicion.{accion}", medicion)
                ],
            }
        )
    contexto = {
        "indicador": objeto,
        "periodos": periodos,
        "formulario_devolver": DevolverForm(),
        "historia": selectors.historia(objeto),
    }
    if objeto.es_calculado:
        contexto.update(_detalle_calculado(request, objeto))
    return render(request, "metas/indicador.html", contexto)


def _detalle_calculado(request: HttpRequest, objeto: Indicador) -> dict:
    """The computation's formula and the rows behind it, for one period or the year so far."""
    computo = computos.obtener(objeto.computo)
    if computo is None:
        return {"computo": None}
    anio = objeto.meta.anio
    periodo = entradas.entero(request.GET.get("periodo"), minimo=1, maximo=objeto.periodos)
    hoy = timezone.localdate()
    if periodo is not None:
        desde, hasta = rango_periodo(anio, objeto.periodicidad, periodo)
    else:
        desde, _ = rango_periodo(anio, objeto.periodicidad, 1)
        _, hasta = rango_periodo(anio, objeto.periodicidad, objeto.periodos)
    hasta = min(hasta, hoy) if desde <= hoy else hasta
    resultado = computo.calcular(
        desde=desde, hasta=hasta, anio=anio, parametros=objeto.parametros, hoy=hoy
    )
    pagina = Paginator(resultado.filas, FILAS_POR_PAGINA).get_page(request.GET.get("pagina"))
    return {
        "computo": computo,
        "resultado": resultado,
        "cifra": resultado.numerador / resultado.denominador * objeto.factor
        if resultado.denominador
        else None,
        "pagina": pagina,
        "periodo_elegido": periodo,
        "detalle_desde": desde,
        "detalle_hasta": hasta,
        "grupos_calculo": [
            (nombre, num, den, num / den * objeto.factor if den else None)
            for nombre, num, den in resultado.grupos
        ],
    }


@login_required
def medicion_reportar(request: HttpRequest, pk: int, periodo: int) -> HttpResponse:
    """The unit reports (or corrects) a period's figures with their evidence."""
    objeto = permisos.obtener_division_para(
        request.user,
        "medicion.reportar",
        Indicador,
        pk,
        Indicador.objects.select_related("meta__unidad"),
    )
    medicion = objeto.mediciones.filter(periodo=periodo).first()
    if periodo < 1 or periodo > objeto.periodos or objeto.es_calculado:
        messages.error(request, "Ese período no se reporta en este indicador.")
        return redirect("metas:indicador", pk=objeto.pk)
    if medicion is not None and not medicion.es_editable:
        messages.error(
            request,
            f"La medición de este período está {medicion.get_estado_display().lower()}: ya no se modifica.",
        )
        return redirect("metas:indicador", pk=objeto.pk)
    if request.method == "POST":
        formulario = MedicionForm(request.POST, request.FILES, indicador=objeto, medicion=medicion)
        if formulario.is_valid():
            datos = formulario.cleaned_data
            try:
                services.medicion_reportar(
                    indicador=objeto,
                    periodo=periodo,
                    usuario=request.user,
                    numerador=datos.get("numerador"),
                    denominador=datos.get("denominador"),
                    valor=datos.get("valor"),
                    comentario=datos["comentario"],
                    archivo=datos["archivo"],
                )
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for campo, errores in error.message_dict.items():
                        formulario.add_error(campo if campo in formulario.fields else None, errores)
                else:
                    formulario.add_error(None, error.messages)
            except services.TransicionNoPermitida as error:
                formulario.add_error(None, str(error))
            else:
                messages.success(request, "Medición reportada a la jefatura del departamento.")
                return redirect("metas:indicador", pk=objeto.pk)
    else:
        formulario = MedicionForm(indicador=objeto, medicion=medicion)
    return render(
        request,
        "metas/medicion_reportar.html",
        {
            "indicador": objeto,
            "periodo": periodo,
            "nombre_periodo": nombre_periodo(objeto.periodicidad, periodo),
            "medicion": medicion,
            "formulario": formulario,
        },
    )


@require_POST
@login_required
def medicion_transicionar(request: HttpRequest, pk: int, accion: str) -> HttpResponse:
    if accion not in ("aprobar", "devolver"):
        messages.error(request, "Acción desconocida.")
        return redirect("metas:inicio")
    medicion = permisos.obtener_division_para(
        request.user,
        f"medicion.{accion}",
        Medicion,
        pk,
        Medicion.objects.select_related("indicador__meta__unidad"),
    )
    comentario = request.POST.get("comentario", "")[:4000]
    try:
        services.medicion_transicionar(
            medicion=medicion, accion=accion, usuario=request.user, comentario=comentario
        )
    except services.TransicionNoPermitida as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            "Medición aprobada." if accion == "aprobar" else "Medición devuelta a la unidad.",
        )
    volver = request.POST.get("volver", "")
    if volver == "departamento":
        return redirect("metas:departamento", pk=medicion.indicador.meta.unidad.departamento_id)
    return redirect("metas:indicador", pk=medicion.indicador_id)


@require_safe
@login_required
def evidencia_descargar(request: HttpRequest, pk: int) -> HttpResponse:
    evidencia = permisos.obtener_division_para(
        request.user,
        "meta.consultar",
        EvidenciaMedicion,
        pk,
        EvidenciaMedicion.objects.select_related("medicion__indicador__meta"),
    )
    respuesta = FileResponse(
        evidencia.archivo.open("rb"),
        as_attachment=True,
        filename=evidencia.nombre_original,
        content_type="application/octet-stream",
    )
    respuesta["X-Content-Type-Options"] = "nosniff"
    respuesta["Cache-Control"] = "private, no-store"
    return respuesta


def _errores_al_formulario(formulario, error: ValidationError) -> None:
    """A service's refusal shown on the form, on its field when it names one."""
    if hasattr(error, "error_dict"):
        for campo, errores in error.message_dict.items():
            formulario.add_error(campo if campo in formulario.fields else None, errores)
    else:
        formulario.add_error(None, error.messages)


@login_required
def meta_crear(request: HttpRequest, pk: int) -> HttpResponse:
    """The jefe de departamento sets a meta of one of his units; its indicators come next."""
    propia = permisos.obtener_division_para(
        request.user, "meta.crear", Unidad, pk, Unidad.objects.select_related("departamento")
    )
    anio = entradas.anio(request.GET.get("anio")) or timezone.localdate().year
    formulario = MetaForm(request.POST or None, initial={"anio": anio})
    if request.method == "POST" and formulario.is_valid():
        try:
            meta = services.meta_crear(
                unidad=propia, usuario=request.user, **formulario.cleaned_data
            )
        except ValidationError as error:
            _errores_al_formulario(formulario, error)
        else:
            messages.success(request, f"Meta «{meta.nombre}» creada: agregue sus indicadores.")
            return redirect("metas:indicador_crear", pk=meta.pk)
    return render(
        request,
        "metas/formulario.html",
        {
            "unidad": propia,
            "anio": anio,
            "titulo": f"Nueva meta de {propia.nombre}",
            "formulario": formulario,
            "boton": "Crear la meta",
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def indicador_crear(request: HttpRequest, pk: int) -> HttpResponse:
    """The jefe de departamento adds an indicator (one the unit reports) to a meta."""
    meta = permisos.obtener_division_para(
        request.user,
        "indicador.crear",
        MetaAnual,
        pk,
        MetaAnual.objects.select_related("unidad__departamento", "unidad__jefe"),
    )
    formulario = IndicadorForm(request.POST or None, unidad=meta.unidad)
    if request.method == "POST" and formulario.is_valid():
        try:
            nuevo = services.indicador_crear(
                meta=meta, usuario=request.user, **formulario.cleaned_data
            )
        except ValidationError as error:
            _errores_al_formulario(formulario, error)
        else:
            messages.success(request, f"Indicador «{nuevo.nombre}» creado.")
            return redirect("metas:indicador", pk=nuevo.pk)
    return render(
        request,
        "metas/formulario.html",
        {
            "unidad": meta.unidad,
            "anio": meta.anio,
            "meta": meta,
            "titulo": f"Nuevo indicador de «{meta.nombre}» ({meta.anio})",
            "formulario": formulario,
            "boton": "Crear el indicador",
        },
        status=400 if request.method == "POST" else 200,
    )
