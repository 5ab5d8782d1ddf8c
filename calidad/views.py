"""Pages of the GORE quality system. Every object comes through the permission door."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from calidad import selectors, services
from calidad.forms import (
    AcreditacionForm,
    AvanceForm,
    CalificacionForm,
    IncentivoForm,
    MedidaForm,
    MedioForm,
    MetodologiaForm,
    RespuestaForm,
    TransicionForm,
)
from calidad.models import (
    CODIGO_TIPO_GORE,
    Acreditacion,
    Autoevaluacion,
    Elemento,
    EstadoPlan,
    MedidaMejora,
    MedioCalidad,
    ModeloGestion,
    NivelAcreditacion,
    PlanMejoras,
    RespuestaElemento,
)
from calidad.puntajes import falta_para_nivel, nivel_de
from calidad.services import ETIQUETAS, TransicionNoPermitida
from servicios.models import Servicio
from srm import entradas, permisos


def _mensaje(error: ValidationError | TransicionNoPermitida) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


def _primer_error(formulario: Any) -> str:
    for campo, errores in formulario.errors.items():
        etiqueta = formulario.fields[campo].label if campo in formulario.fields else ""
        return f"{etiqueta}: {errores[0]}" if etiqueta else errores[0]
    return "Revise los datos."


# --------------------------------------------------------------------------- lists


@require_safe
@login_required
def inicio(request: HttpRequest) -> HttpResponse:
    """The autoevaluaciones this person sees, and the GORE team's way to start one."""
    permisos.exigir(request.user, "calidad.entrar")
    autoevaluaciones = list(
        selectors.autoevaluaciones_visibles(usuario=request.user).order_by(
            "-anio", "servicio__region__orden"
        )
    )
    por_iniciar = []
    if permisos.puede(request.user, "autoevaluacion.iniciar"):
        hechas = {(a.servicio_id, a.anio) for a in autoevaluaciones}
        activos = list(ModeloGestion.objects.filter(es_activo=True).values_list("anio", flat=True))
        for gore in permisos.visibles(request.user, Servicio).filter(tipo__codigo=CODIGO_TIPO_GORE):
            por_iniciar += [(gore, anio) for anio in activos if (gore.pk, anio) not in hechas]
    return render(
        request,
        "calidad/inicio.html",
        {
            "autoevaluaciones": autoevaluaciones,
            "por_iniciar": por_iniciar,
            "puede_consultar": permisos.puede(request.user, "calidad.consultar"),
        },
    )


@require_safe
@login_required
def panorama(request: HttpRequest) -> HttpResponse:
    """The GORE side by side: a heat map of the criteria and the level each reaches."""
    permisos.exigir(request.user, "calidad.consultar")
    anios = list(ModeloGestion.objects.order_by("-anio").values_list("anio", flat=True))
    anio = entradas.anio(request.GET.get("anio"))
    if anio not in anios:
        anio = anios[0] if anios else timezone.localdate().year
    datos = selectors.panorama_gore(usuario=request.user, anio=anio)
    return render(
        request,
        "calidad/panorama.html",
        {
            **datos,
            "anio": anio,
            "anios": anios,
            "niveles": NivelAcreditacion,
            # The Excel of every score, through the reports machinery (reportes app).
            "puede_excel": permisos.puede(request.user, "reporte.calidad_xlsx"),
        },
    )


@require_safe
@login_required
def comparacion(request: HttpRequest) -> HttpResponse:
    """Each GORE's criteria in two years: the impact of the plans de mejora."""
    permisos.exigir(request.user, "calidad.consultar")
    anios = list(ModeloGestion.objects.order_by("anio").values_list("anio", flat=True))
    antes = entradas.anio(request.GET.get("antes"))
    despues = entradas.anio(request.GET.get("despues"))
    if antes not in anios:
        antes = anios[-2] if len(anios) > 1 else (anios[0] if anios else 2011)
    if despues not in anios:
        despues = anios[-1] if anios else antes
    datos = selectors.comparacion(usuario=request.user, anio_antes=antes, anio_despues=despues)
    return render(
        request,
        "calidad/comparacion.html",
        {**datos, "antes": antes, "despues": despues, "anios": anios},
    )


# --------------------------------------------------------------------------- autoevaluación


@require_POST
@login_required
def autoevaluacion_iniciar(request: HttpRequest, servicio_pk: int, anio: int) -> HttpResponse:
    servicio = permisos.obtener_para(
        request.user,
        "autoevaluacion.iniciar",
        Servicio,
        servicio_pk,
        Servicio.objects.select_related("tipo"),
    )
    try:
        autoevaluacion = services.autoevaluacion_iniciar(
            servicio=servicio, anio=anio, usuario=request.user
        )
    except ValidationError as error:
        messages.error(request, _mensaje(error))
        return redirect("calidad:inicio")
    messages.success(request, f"Autoevaluación {anio} iniciada.")
    return redirect("calidad:autoevaluacion_detalle", pk=autoevaluacion.pk)


def _autoevaluacion(request: HttpRequest, pk: int) -> Autoevaluacion:
    return permisos.obtener(
        request.user,
        Autoevaluacion,
        pk,
        Autoevaluacion.objects.select_related("servicio__region", "modelo"),
    )


def _detalle(
    request: HttpRequest,
    autoevaluacion: Autoevaluacion,
    *,
    invalidos: dict[tuple[str, int], Any] | None = None,
    transicion: TransicionForm | None = None,
    acreditacion_form: AcreditacionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The scorecard and the elements, with the forms this person may use now; a form that
    came back with errors is shown as it was typed."""
    usuario = request.user
    invalidos = invalidos or {}
    escala = autoevaluacion.modelo.escala_maxima
    puede_editar = autoevaluacion.es_editable and permisos.puede(
        usuario, "autoevaluacion.editar", autoevaluacion
    )
    puede_calificar = autoevaluacion.es_evaluable and permisos.puede(
        usuario, "autoevaluacion.calificar", autoevaluacion
    )
    filas = []
    for respuesta in selectors.respuestas_de(autoevaluacion):
        fila: dict[str, Any] = {"respuesta": respuesta}
        if puede_editar:
            fila["formulario"] = invalidos.get(("respuesta", respuesta.pk)) or RespuestaForm(
                prefix=f"r{respuesta.pk}",
                escala_maxima=escala,
                initial={"texto": respuesta.texto, "nivel_propuesto": respuesta.nivel_propuesto},
            )
            fila["medio"] = invalidos.get(("medio", respuesta.pk)) or MedioForm(
                prefix=f"m{respuesta.pk}"
            )
        if puede_calificar:
            fila["calificacion"] = invalidos.get(("calificar", respuesta.pk)) or CalificacionForm(
                prefix=f"c{respuesta.pk}",
                escala_maxima=escala,
                initial={
                    "nivel_evaluado": respuesta.nivel_evaluado,
                    "observacion": respuesta.observacion,
                },
            )
        filas.append(fila)
    plan = PlanMejoras.objects.filter(autoevaluacion=autoevaluacion).first()
    acreditacion = (
        Acreditacion.objects.filter(autoevaluacion=autoevaluacion)
        .prefetch_related("incentivos")
        .first()
    )
    plan_validado = plan is not None and plan.estado == EstadoPlan.VALIDADO
    acciones = [
        (accion, ETIQUETAS[accion])
        for accion in autoevaluacion.acciones_posibles()
        if permisos.puede(usuario, f"autoevaluacion.{accion}", autoevaluacion)
    ]
    puede_acreditar = (
        acreditacion is None
        and autoevaluacion.estado == "validada"
        and permisos.puede(usuario, "acreditacion.registrar", autoevaluacion)
    )
    formularios_con_error = [f for f in invalidos.values() if f.is_bound]
    return render(
        request,
        "calidad/autoevaluacion_detalle.html",
        {
            "autoevaluacion": autoevaluacion,
            "tarjeta": selectors.tarjeta(autoevaluacion),
            "filas": filas,
            "escala": escala,
            "observaciones": autoevaluacion.observaciones.select_related("autor"),
            "acciones": acciones,
            "transicion": transicion or TransicionForm(),
            "plan": plan,
            "puede_crear_plan": plan is None
            and autoevaluacion.estado == "validada"
            and permisos.puede(usuario, "plan.editar", autoevaluacion),
            "nivel": nivel_de(autoevaluacion.puntaje_validado, plan_validado=plan_validado),
            "falta": falta_para_nivel(autoevaluacion.puntaje_validado, plan_validado=plan_validado),
            "niveles": dict(NivelAcreditacion.choices),
            "acreditacion": acreditacion,
            "puede_acreditar": puede_acreditar,
            "acreditacion_form": acreditacion_form
            or (
                AcreditacionForm(initial={"fecha": timezone.localdate()})
                if puede_acreditar
                else None
            ),
            "incentivo_form": IncentivoForm(prefix="incentivo")
            if acreditacion is not None
            and permisos.puede(usuario, "acreditacion.registrar", acreditacion)
            else None,
            "formularios_con_error": formularios_con_error,
            # The informe de resultados (PDF), generated by the reports machinery.
            "puede_informe": permisos.puede(usuario, "reporte.calidad_pdf", autoevaluacion),
            # Files are withdrawn only before the first sending; afterwards, replaced.
            "puede_retirar": puede_editar and autoevaluacion.ronda == 0,
        },
        status=status,
    )


@require_safe
@login_required
def autoevaluacion_detalle(request: HttpRequest, pk: int) -> HttpResponse:
    return _detalle(request, _autoevaluacion(request, pk))


def _respuesta(request: HttpRequest, accion: str, pk: int) -> RespuestaElemento:
    return permisos.obtener_para(
        request.user,
        accion,
        RespuestaElemento,
        pk,
        RespuestaElemento.objects.select_related(
            "autoevaluacion__modelo", "autoevaluacion__servicio__region", "elemento__criterio"
        ),
    )


def _ancla(respuesta: RespuestaElemento) -> str:
    return (
        reverse("calidad:autoevaluacion_detalle", args=[respuesta.autoevaluacion_id])
        + f"#elemento-{respuesta.pk}"
    )


@require_POST
@login_required
def respuesta_guardar(request: HttpRequest, pk: int) -> HttpResponse:
    respuesta = _respuesta(request, "autoevaluacion.editar", pk)
    formulario = RespuestaForm(
        request.POST,
        prefix=f"r{pk}",
        escala_maxima=respuesta.autoevaluacion.modelo.escala_maxima,
    )
    if formulario.is_valid():
        try:
            services.respuesta_guardar(
                respuesta=respuesta,
                texto=formulario.cleaned_data["texto"],
                nivel_propuesto=formulario.cleaned_data["nivel_propuesto"],
                usuario=request.user,
            )
            messages.success(request, f"Elemento {respuesta.elemento.codigo} guardado.")
            return redirect(_ancla(respuesta))
        except ValidationError as error:
            formulario.add_error(None, error)
    return _detalle(
        request, respuesta.autoevaluacion, invalidos={("respuesta", pk): formulario}, status=400
    )


@require_POST
@login_required
def respuesta_calificar(request: HttpRequest, pk: int) -> HttpResponse:
    respuesta = _respuesta(request, "autoevaluacion.calificar", pk)
    formulario = CalificacionForm(
        request.POST,
        prefix=f"c{pk}",
        escala_maxima=respuesta.autoevaluacion.modelo.escala_maxima,
    )
    if formulario.is_valid():
        try:
            services.respuesta_calificar(
                respuesta=respuesta,
                nivel_evaluado=formulario.cleaned_data["nivel_evaluado"],
                observacion=formulario.cleaned_data["observacion"],
                usuario=request.user,
            )
            messages.success(request, f"Elemento {respuesta.elemento.codigo} calificado.")
            return redirect(_ancla(respuesta))
        except ValidationError as error:
            formulario.add_error(None, error)
    return _detalle(
        request, respuesta.autoevaluacion, invalidos={("calificar", pk): formulario}, status=400
    )


@require_POST
@login_required
def respuesta_medio(request: HttpRequest, pk: int) -> HttpResponse:
    respuesta = _respuesta(request, "autoevaluacion.editar", pk)
    formulario = MedioForm(request.POST, request.FILES, prefix=f"m{pk}")
    if formulario.is_valid():
        try:
            medio = services.medio_subir(
                respuesta=respuesta,
                archivo=formulario.cleaned_data["archivo"],
                usuario=request.user,
            )
            messages.success(request, f"«{medio.nombre_original}» adjunto.")
            return redirect(_ancla(respuesta))
        except ValidationError as error:
            formulario.add_error("archivo", error)
    return _detalle(
        request, respuesta.autoevaluacion, invalidos={("medio", pk): formulario}, status=400
    )


@require_safe
@login_required
def medio_descargar(request: HttpRequest, pk: int) -> HttpResponse:
    medio = permisos.obtener(request.user, MedioCalidad, pk)
    respuesta = FileResponse(
        medio.archivo.open("rb"),
        as_attachment=True,
        filename=medio.nombre_original,
        content_type="application/octet-stream",
    )
    respuesta["X-Content-Type-Options"] = "nosniff"
    respuesta["Cache-Control"] = "private, no-store"
    return respuesta


def _medio_para_cambiar(request: HttpRequest, pk: int) -> tuple[MedioCalidad, str]:
    """A file this person may withdraw or replace (404 if unseen, 403 if not theirs to
    change), and the page to go back to."""
    medio = permisos.obtener(
        request.user,
        MedioCalidad,
        pk,
        MedioCalidad.objects.select_related("respuesta__elemento__criterio", "medida"),
    )
    if medio.respuesta_id:
        permisos.exigir(request.user, "autoevaluacion.editar", medio)
        return medio, _ancla(medio.respuesta)
    permisos.exigir(request.user, "plan.avanzar", medio)
    return medio, reverse("calidad:plan_detalle", args=[medio.medida.plan_id]) + (
        f"#medida-{medio.medida_id}"
    )


@require_POST
@login_required
def medio_reemplazar(request: HttpRequest, pk: int) -> HttpResponse:
    """A new version of a file; the earlier one stays stored and listed."""
    medio, volver = _medio_para_cambiar(request, pk)
    formulario = MedioForm(request.POST, request.FILES, prefix=f"v{pk}")
    if not formulario.is_valid():
        messages.error(request, "Elija el archivo de la nueva versión.")
        return redirect(volver)
    try:
        nuevo = services.medio_reemplazar(
            medio=medio, archivo=formulario.cleaned_data["archivo"], usuario=request.user
        )
    except ValidationError as error:
        messages.error(request, _mensaje(error))
    else:
        messages.success(
            request,
            f"«{medio.nombre_original}» reemplazado por «{nuevo.nombre_original}»; "
            "la versión anterior se conserva.",
        )
    return redirect(volver)


@login_required
def medio_eliminar(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraw a file (asked first): the SRM keeps it and records who and when."""
    medio, volver = _medio_para_cambiar(request, pk)
    if request.method == "POST":
        try:
            services.medio_eliminar(medio=medio, usuario=request.user)
        except ValidationError as error:
            messages.error(request, _mensaje(error))
        else:
            messages.success(
                request, f"«{medio.nombre_original}» se retiró (queda registrado y guardado)."
            )
        return redirect(volver)
    if request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405)
    return render(request, "calidad/medio_eliminar.html", {"medio": medio, "volver": volver})


def _transicionar(
    request: HttpRequest, documento: Autoevaluacion | PlanMejoras, accion: str
) -> str | None:
    """Try the transition; None when done, else the reason to show."""
    if accion not in ETIQUETAS:
        raise Http404("Acción desconocida.")
    permisos.exigir(request.user, f"{documento.prefijo_accion}.{accion}", documento)
    formulario = TransicionForm(request.POST)
    if not formulario.is_valid():
        return _primer_error(formulario)
    version = entradas.entero(request.POST.get("version"))
    if version is not None and version != documento.version:
        return (
            "Otra persona modificó este documento desde que usted abrió la página. "
            "Revise su estado actual."
        )
    try:
        services.documento_transicionar(
            objeto=documento,
            accion=accion,
            usuario=request.user,
            comentario=formulario.cleaned_data["comentario"],
        )
    except TransicionNoPermitida as error:
        return _mensaje(error)
    return None


@require_POST
@login_required
def autoevaluacion_transicionar(request: HttpRequest, pk: int, accion: str) -> HttpResponse:
    autoevaluacion = _autoevaluacion(request, pk)
    problema = _transicionar(request, autoevaluacion, accion)
    if problema:
        messages.error(request, problema)
        return _detalle(
            request, autoevaluacion, transicion=TransicionForm(request.POST), status=400
        )
    autoevaluacion.refresh_from_db()
    messages.success(
        request, f"La autoevaluación quedó «{autoevaluacion.get_estado_display().lower()}»."
    )
    return redirect("calidad:autoevaluacion_detalle", pk=pk)


@require_POST
@login_required
def acreditacion_registrar(request: HttpRequest, pk: int) -> HttpResponse:
    autoevaluacion = permisos.obtener_para(
        request.user,
        "acreditacion.registrar",
        Autoevaluacion,
        pk,
        Autoevaluacion.objects.select_related("servicio__region", "modelo"),
    )
    formulario = AcreditacionForm(request.POST)
    if formulario.is_valid():
        try:
            acreditacion = services.acreditacion_registrar(
                autoevaluacion=autoevaluacion, usuario=request.user, **formulario.cleaned_data
            )
            messages.success(
                request, f"Acreditación registrada: {acreditacion.get_nivel_display()}."
            )
            return redirect("calidad:autoevaluacion_detalle", pk=pk)
        except ValidationError as error:
            formulario.add_error(None, error)
    return _detalle(request, autoevaluacion, acreditacion_form=formulario, status=400)


@require_POST
@login_required
def incentivo_otorgar(request: HttpRequest, pk: int) -> HttpResponse:
    acreditacion = permisos.obtener_para(request.user, "acreditacion.registrar", Acreditacion, pk)
    formulario = IncentivoForm(request.POST, prefix="incentivo")
    if formulario.is_valid():
        try:
            services.incentivo_otorgar(
                acreditacion=acreditacion, usuario=request.user, **formulario.cleaned_data
            )
            messages.success(request, "Incentivo registrado.")
        except ValidationError as error:
            messages.error(request, _mensaje(error))
    else:
        messages.error(request, _primer_error(formulario))
    return redirect("calidad:autoevaluacion_detalle", pk=acreditacion.autoevaluacion_id)


# --------------------------------------------------------------------------- plan de mejoras


@require_POST
@login_required
def plan_crear(request: HttpRequest, pk: int) -> HttpResponse:
    autoevaluacion = permisos.obtener_para(request.user, "plan.editar", Autoevaluacion, pk)
    try:
        plan = services.plan_crear(autoevaluacion=autoevaluacion, usuario=request.user)
    except ValidationError as error:
        messages.error(request, _mensaje(error))
        return redirect("calidad:autoevaluacion_detalle", pk=pk)
    return redirect("calidad:plan_detalle", pk=plan.pk)


def _plan(request: HttpRequest, pk: int, accion: str | None = None) -> PlanMejoras:
    consulta = PlanMejoras.objects.select_related(
        "autoevaluacion__servicio__region", "autoevaluacion__modelo"
    )
    if accion:
        return permisos.obtener_para(request.user, accion, PlanMejoras, pk, consulta)
    return permisos.obtener(request.user, PlanMejoras, pk, consulta)


def _plan_pagina(
    request: HttpRequest,
    plan: PlanMejoras,
    *,
    medida_form: MedidaForm | None = None,
    metodologia_form: MetodologiaForm | None = None,
    transicion: TransicionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    usuario = request.user
    autoevaluacion = plan.autoevaluacion
    brechas = list(selectors.brechas(autoevaluacion))
    puede_editar = plan.es_editable and permisos.puede(usuario, "plan.editar", plan)
    puede_avanzar = plan.estado == EstadoPlan.VALIDADO and permisos.puede(
        usuario, "plan.avanzar", plan
    )
    resumen = selectors.resumen_plan(plan)
    elementos = Elemento.objects.filter(pk__in=[r.elemento_id for r in brechas]).select_related(
        "criterio"
    )
    return render(
        request,
        "calidad/plan_detalle.html",
        {
            "plan": plan,
            "autoevaluacion": autoevaluacion,
            "brechas": brechas,
            **resumen,
            "puede_editar": puede_editar,
            "puede_avanzar": puede_avanzar,
            "medida_form": (medida_form or MedidaForm(elementos=elementos))
            if puede_editar
            else None,
            "metodologia_form": (
                metodologia_form
                or MetodologiaForm(initial={"metodologia": plan.metodologia_general})
            )
            if puede_editar
            else None,
            "acciones": [
                (accion, ETIQUETAS[accion])
                for accion in plan.acciones_posibles()
                if permisos.puede(usuario, f"plan.{accion}", plan)
            ],
            "transicion": transicion or TransicionForm(),
            "observaciones": autoevaluacion.observaciones.filter(es_del_plan=True).select_related(
                "autor"
            ),
            "formularios": [f for f in (medida_form, metodologia_form) if f is not None],
        },
        status=status,
    )


@require_safe
@login_required
def plan_detalle(request: HttpRequest, pk: int) -> HttpResponse:
    return _plan_pagina(request, _plan(request, pk))


@require_POST
@login_required
def plan_metodologia(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk, "plan.editar")
    formulario = MetodologiaForm(request.POST)
    if formulario.is_valid():
        try:
            services.plan_metodologia_guardar(
                plan=plan, metodologia=formulario.cleaned_data["metodologia"], usuario=request.user
            )
            messages.success(request, "Metodología guardada.")
            return redirect("calidad:plan_detalle", pk=pk)
        except ValidationError as error:
            formulario.add_error(None, error)
    return _plan_pagina(request, plan, metodologia_form=formulario, status=400)


@require_POST
@login_required
def medida_crear(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk, "plan.editar")
    elementos = Elemento.objects.filter(criterio__modelo=plan.autoevaluacion.modelo)
    formulario = MedidaForm(request.POST, elementos=elementos)
    if formulario.is_valid():
        datos = {campo: formulario.cleaned_data[campo] for campo in MedidaForm.Meta.fields}
        try:
            services.medida_crear(plan=plan, usuario=request.user, **datos)
            messages.success(request, "Medida agregada al plan.")
            return redirect("calidad:plan_detalle", pk=pk)
        except ValidationError as error:
            formulario.add_error(None, error)
    return _plan_pagina(request, plan, medida_form=formulario, status=400)


@require_POST
@login_required
def plan_transicionar(request: HttpRequest, pk: int, accion: str) -> HttpResponse:
    plan = _plan(request, pk)
    problema = _transicionar(request, plan, accion)
    if problema:
        messages.error(request, problema)
        return _plan_pagina(request, plan, transicion=TransicionForm(request.POST), status=400)
    plan.refresh_from_db()
    messages.success(request, f"El plan quedó «{plan.get_estado_display().lower()}».")
    return redirect("calidad:plan_detalle", pk=pk)


@require_POST
@login_required
def medida_avanzar(request: HttpRequest, pk: int) -> HttpResponse:
    medida = permisos.obtener_para(
        request.user,
        "plan.avanzar",
        MedidaMejora,
        pk,
        MedidaMejora.objects.select_related("plan"),
    )
    formulario = AvanceForm(request.POST, request.FILES, prefix=f"a{pk}")
    if not formulario.is_valid():
        messages.error(request, _primer_error(formulario))
        return redirect("calidad:plan_detalle", pk=medida.plan_id)
    try:
        # Progress and its evidence stand or fall together.
        with transaction.atomic():
            services.medida_avanzar(
                medida=medida,
                avance=formulario.cleaned_data["avance"],
                comentario=formulario.cleaned_data["comentario"],
                usuario=request.user,
            )
            if formulario.cleaned_data["archivo"]:
                services.medio_subir(
                    medida=medida, archivo=formulario.cleaned_data["archivo"], usuario=request.user
                )
        messages.success(request, "Avance registrado.")
    except ValidationError as error:
        messages.error(request, _mensaje(error))
    return redirect("calidad:plan_detalle", pk=medida.plan_id)
