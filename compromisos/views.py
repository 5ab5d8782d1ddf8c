from collections.abc import Callable
from typing import Any

from csp.decorators import csp_replace
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST, require_safe

from compromisos import forms, revision, selectors, services
from compromisos.models import (
    TIPOS_VISTA_PREVIA,
    AvanceCompromiso,
    Compromiso,
    EstadoRevision,
    FormulacionPMG,
    InformeAvance,
    Instantanea,
    MedioVerificacion,
    Proceso,
)
from compromisos.transiciones import ETIQUETAS, TransicionNoPermitida
from formularios import instantanea as formularios_instantanea
from formularios import services as formularios
from formularios.forms import FormularioLlenado
from formularios.models import Pregunta
from formularios.pdf import formulario_pdf
from programa.selectors import reglas_del_anio, sistemas_del_anio
from servicios.models import Servicio
from srm import entradas, formato, permisos


def ficha_formulaciones(request: HttpRequest, servicio: Servicio) -> dict:
    """The servicio's years in its ficha (servicios.ficha): each formulación with its informes,
    and the years to start."""
    formulaciones = list(
        permisos.visibles(request.user, FormulacionPMG)
        .filter(servicio=servicio)
        .select_related("proceso")
        .prefetch_related(
            Prefetch(
                "informes",
                queryset=InformeAvance.objects.select_related("tipo").order_by("periodo"),
            )
        )
        .order_by("-proceso__anio")
    )
    por_iniciar = []
    if permisos.puede(request.user, "formulacion.editar", servicio):
        por_iniciar = list(selectors.procesos_por_formular(servicio=servicio))
    return {
        "formulaciones": formulaciones,
        "por_iniciar": por_iniciar,
        "hay_anterior": bool(formulaciones),
    }


@login_required
def formulacion_detalle(request: HttpRequest, pk: int) -> HttpResponse:
    formulacion = permisos.obtener(
        request.user,
        FormulacionPMG,
        pk,
        # Not the servicio's kind: the deadlines read its id.
        FormulacionPMG.objects.select_related("servicio__ministerio", "proceso"),
    )
    # Explicit orders within the formulación: the default ones join its year and servicio.
    compromisos = selectors.con_lo_comprometido(
        list(
            formulacion.compromisos.select_related("origen__formulacion__proceso").order_by(
                "codigo"
            )
        )
    )
    for compromiso in compromisos:
        compromiso.cambios = services.cambios_desde_origen(compromiso)
    lineas = list(formulacion.lineas.select_related("sistema_catalogo").order_by("orden", "pk"))
    return render(
        request,
        "compromisos/formulacion_detalle.html",
        {
            "formulacion": formulacion,
            "lineas": lineas,
            # The line the compromisos hang off (Compromiso.linea).
            "linea_compromisos": next(
                (linea for linea in lineas if selectors.es_linea_contraparte(linea)), None
            ),
            "total_ponderadores": formulacion.total_ponderadores(lineas),
            "exenciones": formulacion.exenciones.order_by("orden", "pk"),
            "compromisos": compromisos,
            # The informes of the year, once the formulación is approved (none before).
            "periodos": selectors.periodos_de_formulacion(formulacion=formulacion)
            if formulacion.estado == EstadoRevision.APROBADO
            else None,
            "puede_informar": permisos.puede(request.user, "informe.editar", formulacion),
            "acciones": permisos.acciones_permitidas(request.user, formulacion),
            "puede_editar": permisos.puede_editar(request.user, formulacion),
            "puede_preguntar": permisos.puede(request.user, "consulta.crear", formulacion),
            "etiquetas": ETIQUETAS,
            "devolucion": selectors.ultima_devolucion(formulacion=formulacion),
            "rondas": revision.lector().observaciones_de_formulacion(formulacion=formulacion),
            "puede_responder": formulacion.estado == EstadoRevision.OBSERVADO
            and permisos.puede(request.user, "observacion.responder", formulacion),
            "puede_revisar": permisos.puede(request.user, "revision.consultar"),
        },
    )


def _contexto_observaciones(request: HttpRequest, informe: InformeAvance) -> dict:
    lector = revision.lector()
    return {
        "eventos": lector.linea_de_tiempo(informe=informe),
        "rondas": lector.observaciones_por_ronda(informe=informe),
        "puede_responder": informe.estado == EstadoRevision.OBSERVADO
        and permisos.puede(request.user, "observacion.responder", informe),
    }


@login_required
def informe_detalle(request: HttpRequest, pk: int) -> HttpResponse:
    informe = permisos.obtener(
        request.user,
        InformeAvance,
        pk,
        # Only what the page shows (each table joined costs the planner).
        selectors.con_formulario(
            InformeAvance.objects.select_related("formulacion__servicio", "formulacion__proceso")
        ),
    )
    # Every file of the informe in one read: the compromisos', their earlier versions and the
    # form questions'.
    archivos = selectors.archivos_del_informe(informe_id=informe.pk)
    avances = selectors.avances_para_editar(informe=informe, archivos=archivos)
    # The requisitos of the committed etapa, the files linked to each and SUBDERE's verdict.
    etapa = revision.lector().requisitos_para_calificar(
        formulacion_id=informe.formulacion_id,
        informe_id=informe.pk,
        tipo=informe.tipo,
        medios={
            medio.pk: f"{avance.compromiso.codigo} · {medio.nombre_original}"
            for avance in avances
            for medio in avance.medios_vigentes
        },
    )
    # The form's answers, each question with the review's remarks on it beside its answer
    # and its files with SUBDERE's verdict.
    contexto_observaciones = _contexto_observaciones(request, informe)
    formulario = selectors.formulario_leido(
        informe=informe,
        rondas=contexto_observaciones["rondas"],
        veredictos=revision.lector().veredictos_vigentes(informe=informe)
        if informe.con_secciones
        else {},
        archivos=archivos,
    )
    return render(
        request,
        "compromisos/informe_detalle.html",
        {
            "informe": informe,
            "etapa": etapa,
            "plazo": selectors.plazo_informe(informe),
            "avances": avances,
            "sin_reportar": Compromiso.objects.filter(formulacion=informe.formulacion)
            .exclude(avances__informe=informe)
            .order_by("codigo"),
            "acciones": permisos.acciones_permitidas(request.user, informe),
            "puede_editar": permisos.puede_editar(request.user, informe),
            # The servicio may ask SUBDERE about it (asistencia's form, linked by URL name).
            "puede_preguntar": permisos.puede(request.user, "consulta.crear", informe),
            "instantaneas": list(informe.instantaneas.order_by("momento", "pk")),
            "formulario": formulario,
            "bajo_pregunta": "compromisos/_medios_pregunta_leer.html",
            "plantilla": services.plantilla_del_informe(informe),
            **contexto_observaciones,
        },
    )


def _formulacion_editable(request: HttpRequest, pk: int) -> FormulacionPMG:
    return permisos.obtener_para(
        request.user,
        "formulacion.editar",
        FormulacionPMG,
        pk,
        FormulacionPMG.objects.select_related("servicio", "proceso"),
    )


def _redirigir_si_bloqueado(request: HttpRequest, documento) -> HttpResponse | None:
    if documento.es_editable:
        return None
    messages.warning(
        request,
        f"El documento está «{documento.get_estado_display().lower()}» y no se puede modificar "
        "hasta que SUBDERE lo devuelva.",
    )
    destino = (
        "compromisos:formulacion_detalle"
        if isinstance(documento, FormulacionPMG)
        else "compromisos:informe_detalle"
    )
    return redirect(destino, pk=documento.pk)


@login_required
def formulacion_editar(request: HttpRequest, pk: int) -> HttpResponse:
    formulacion = _formulacion_editable(request, pk)
    if (bloqueado := _redirigir_si_bloqueado(request, formulacion)) is not None:
        return bloqueado
    reglas_incumplidas: list[str] = []
    anio = formulacion.proceso.anio
    catalogo = {sistema.pk: sistema for sistema in sistemas_del_anio(anio)}
    opciones = {"form_kwargs": {"catalogo": catalogo, "anio": anio}}
    if request.method == "POST":
        lineas = forms.LineaFormSet(request.POST, prefix="lineas", **opciones)
        exenciones = forms.ExencionFormSet(request.POST, prefix="exenciones", **opciones)
        if lineas.is_valid() and exenciones.is_valid():
            try:
                services.formulacion_guardar(
                    formulacion=formulacion,
                    lineas=lineas.filas(),
                    exenciones=exenciones.filas(),
                    usuario=request.user,
                )
            except ValidationError as error:
                reglas_incumplidas = error.messages
                messages.error(
                    request,
                    "La formulación no cumple las reglas del programa marco: "
                    "nada se ha guardado todavía.",
                )
            else:
                messages.success(request, "Formulación guardada.")
                return redirect("compromisos:formulacion_detalle", pk=formulacion.pk)
        else:
            messages.error(request, "Revise los datos marcados: nada se ha guardado todavía.")
    else:
        lineas = forms.LineaFormSet(
            prefix="lineas", initial=_filas_iniciales(formulacion.lineas.all()), **opciones
        )
        exenciones = forms.ExencionFormSet(
            prefix="exenciones",
            initial=_filas_iniciales(formulacion.exenciones.all()),
            **opciones,
        )
    return render(
        request,
        "compromisos/formulacion_editar.html",
        {
            "formulacion": formulacion,
            "lineas": lineas,
            "exenciones": exenciones,
            "reglas_incumplidas": reglas_incumplidas,
            "hay_catalogo": bool(catalogo),
            "reglas": sorted(
                reglas_del_anio(anio).values(), key=lambda r: ORDEN_PRIORIDAD[r.prioridad]
            ),
        },
    )


ORDEN_PRIORIDAD = {"ALTA": 0, "MEDIANA": 1, "MENOR": 2}


def _filas_iniciales(filas) -> list[dict]:
    """The saved rows as the page's initial data; a row without catalogue shows its text."""
    return [
        {
            "sistema_catalogo": fila.sistema_catalogo_id,
            "anterior": ""
            if fila.sistema_catalogo_id
            else f"{fila.marco} · {fila.area} · {fila.sistema}",
            **{
                campo: getattr(fila, campo)
                for campo in ("etapa", "prioridad", "ponderador", "tipo", "justificacion")
                if hasattr(fila, campo)
            },
        }
        for fila in filas
    ]


@login_required
def formulacion_enviar(request: HttpRequest, pk: int) -> HttpResponse:
    formulacion = _formulacion_editable(request, pk)
    if (bloqueado := _redirigir_si_bloqueado(request, formulacion)) is not None:
        return bloqueado
    if request.method == "POST":
        try:
            services.formulacion_enviar(formulacion=formulacion, usuario=request.user)
        except (ValidationError, TransicionNoPermitida) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(
                request, "Formulación enviada a SUBDERE. Quedará bloqueada hasta su revisión."
            )
        return redirect("compromisos:formulacion_detalle", pk=formulacion.pk)
    return render(
        request,
        "compromisos/formulacion_enviar.html",
        {
            "formulacion": formulacion,
            "total": formulacion.total_ponderadores(),
            "compromisos": formulacion.compromisos.count(),
        },
    )


@require_POST
@login_required
def formulacion_iniciar(request: HttpRequest, servicio_pk: int, anio: int) -> HttpResponse:
    servicio = permisos.obtener(request.user, Servicio, servicio_pk)
    proceso = get_object_or_404(Proceso, anio=anio)
    try:
        formulacion = services.formulacion_iniciar(
            servicio=servicio,
            proceso=proceso,
            usuario=request.user,
            desde_anterior=request.POST.get("desde_anterior") == "1",
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("inicio")
    messages.success(
        request, f"Formulación {anio} iniciada. Revise cada sistema y compromiso antes de enviarla."
    )
    return redirect("compromisos:formulacion_detalle", pk=formulacion.pk)


def _formularios_compromiso(request: HttpRequest, compromiso: Compromiso | None):
    if request.method == "POST":
        return (
            forms.CompromisoForm(request.POST, instance=compromiso, prefix="compromiso"),
            forms.HitoCompromisoFormSet(request.POST, prefix="hitos"),
            forms.MedioComprometidoFormSet(
                request.POST, prefix="medios", form_kwargs={"compromiso": compromiso}
            ),
        )
    return (
        forms.CompromisoForm(instance=compromiso, prefix="compromiso"),
        forms.HitoCompromisoFormSet(
            prefix="hitos",
            initial=list(compromiso.hitos.values("descripcion", "fecha_comprometida"))
            if compromiso
            else [],
        ),
        forms.MedioComprometidoFormSet(
            prefix="medios",
            form_kwargs={"compromiso": compromiso},
            initial=list(compromiso.medios_comprometidos.values("id", "descripcion", "tipo"))
            if compromiso
            else [],
        ),
    )


def _compromiso_formulario(
    request: HttpRequest, formulacion: FormulacionPMG, compromiso: Compromiso | None
) -> HttpResponse:
    if (bloqueado := _redirigir_si_bloqueado(request, formulacion)) is not None:
        return bloqueado
    formulario, hitos, medios = _formularios_compromiso(request, compromiso)
    if request.method == "POST":
        if formulario.is_valid() and hitos.is_valid() and medios.is_valid():
            datos = formulario.cleaned_data
            try:
                services.compromiso_guardar(
                    formulacion=formulacion,
                    datos=datos,
                    regiones=list(datos["regiones"]),
                    hitos=hitos.filas(),
                    medios=medios.filas(),
                    usuario=request.user,
                    compromiso=compromiso,
                )
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for campo, errores in error.message_dict.items():
                        formulario.add_error(campo, errores)
                else:
                    formulario.add_error(None, error)
            else:
                messages.success(request, f"Compromiso {datos['codigo']} guardado.")
                return redirect("compromisos:formulacion_detalle", pk=formulacion.pk)
        messages.error(request, "Revise los datos marcados: nada se ha guardado todavía.")
    return render(
        request,
        "compromisos/compromiso_formulario.html",
        {
            "formulacion": formulacion,
            "compromiso": compromiso,
            "formulario": formulario,
            "hitos": hitos,
            "medios": medios,
        },
    )


@login_required
def compromiso_crear(request: HttpRequest, formulacion_pk: int) -> HttpResponse:
    formulacion = _formulacion_editable(request, formulacion_pk)
    return _compromiso_formulario(request, formulacion, None)


@login_required
def compromiso_editar(request: HttpRequest, pk: int) -> HttpResponse:
    compromiso = permisos.obtener(
        request.user,
        Compromiso,
        pk,
        Compromiso.objects.select_related(
            "formulacion__servicio", "formulacion__proceso", "origen"
        ),
    )
    permisos.exigir(request.user, "formulacion.editar", compromiso.formulacion)
    return _compromiso_formulario(request, compromiso.formulacion, compromiso)


@login_required
def compromiso_eliminar(request: HttpRequest, pk: int) -> HttpResponse:
    compromiso = permisos.obtener(
        request.user,
        Compromiso,
        pk,
        Compromiso.objects.select_related("formulacion__servicio", "formulacion__proceso"),
    )
    formulacion = compromiso.formulacion
    permisos.exigir(request.user, "formulacion.editar", formulacion)
    if (bloqueado := _redirigir_si_bloqueado(request, formulacion)) is not None:
        return bloqueado
    if request.method == "POST":
        try:
            services.compromiso_eliminar(compromiso=compromiso, usuario=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Compromiso {compromiso.codigo} eliminado.")
        return redirect("compromisos:formulacion_detalle", pk=formulacion.pk)
    return render(request, "compromisos/compromiso_eliminar.html", {"compromiso": compromiso})


@require_POST
@login_required
def informe_abrir(request: HttpRequest, formulacion_pk: int, periodo: str) -> HttpResponse:
    formulacion = permisos.obtener(
        request.user,
        FormulacionPMG,
        formulacion_pk,
        FormulacionPMG.objects.select_related("servicio", "proceso"),
    )
    if periodo not in {tipo.clave for tipo in selectors.entregables_del_anio(formulacion.proceso)}:
        raise Http404("Ese entregable no es del año.")
    try:
        informe = services.informe_abrir(
            formulacion=formulacion, periodo=periodo, usuario=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("compromisos:formulacion_detalle", pk=formulacion.pk)
    return redirect("compromisos:informe_editar", pk=informe.pk)


def _informe_del_servicio(request: HttpRequest, pk: int, accion: str) -> InformeAvance:
    return permisos.obtener_para(
        request.user,
        accion,
        InformeAvance,
        pk,
        selectors.con_formulario(
            InformeAvance.objects.select_related("formulacion__servicio", "formulacion__proceso")
        ),
    )


YA_ENVIADO = "El informe ya fue enviado; sus cambios no se guardaron. Lo que escribió sigue aquí."


@login_required
def informe_editar(request: HttpRequest, pk: int) -> HttpResponse:
    informe = _informe_del_servicio(request, pk, "informe.editar")
    # A save that arrives after the informe was sent (another tab) shows the typed text back.
    enviado_entretanto = request.method == "POST" and not informe.es_editable
    if not enviado_entretanto and (bloqueado := _redirigir_si_bloqueado(request, informe)):
        return bloqueado
    archivos = selectors.archivos_del_informe(informe_id=informe.pk)
    avances = selectors.avances_para_editar(informe=informe, archivos=archivos)
    datos = request.POST if request.method == "POST" else None
    veredictos = revision.lector().veredictos_vigentes(informe=informe)
    plantilla = services.plantilla_del_informe(informe)
    for avance in avances:
        for medio in avance.medios_vigentes:
            medio.veredicto = veredictos.get(medio.pk)
        avance.formulario = forms.AvanceForm(datos, instance=avance, prefix=f"avance-{avance.pk}")
        avance.subida = forms.SubidaMediosForm(avance=avance)
    # The compromisos' block only when the kind's form includes it.
    por_compromiso = avances if plantilla.por_compromiso else []
    resumen = (
        forms.ResumenEjecutivoForm(datos, instance=informe, prefix="resumen")
        if informe.es_final and plantilla.con_resumen_ejecutivo
        else None
    )
    preguntas = (
        FormularioLlenado(
            datos,
            plantilla=plantilla,
            respuestas=formularios.respuestas_de(informe.llenado),
            atributos={"form": forms.CamposDeOtroFormulario.FORMULARIO_HTML},
        )
        if informe.con_secciones
        else None
    )
    if preguntas is not None:
        # Each question's files, with their verdicts and the form to add more, under it.
        for pregunta in preguntas.preguntas:
            pregunta.medios_vigentes = archivos.por_pregunta.get(pregunta.pk, [])
            for medio in pregunta.medios_vigentes:
                medio.veredicto = veredictos.get(medio.pk)
            pregunta.subida = forms.SubidaMediosForm(pregunta=pregunta)
    etapa = selectors.etapa_comprometida(formulacion_id=informe.formulacion_id, tipo=informe.tipo)
    if etapa.requisitos:
        # SUBDERE's verdict on each requisito in this informe's review, when it gave one.
        calificados = revision.lector().veredictos_requisito(
            formulacion_id=informe.formulacion_id, informe_id=informe.pk
        )
        for requisito in etapa.requisitos:
            requisito.veredicto = calificados.get(requisito.pk)
    requisitos = forms.RequisitosInformeForm(
        datos,
        prefix="requisitos",
        requisitos=etapa.requisitos,
        opciones=list(
            selectors.archivos_de_requisito(
                avances, preguntas.preguntas if preguntas is not None else ()
            ).items()
        ),
        vinculos=selectors.vinculos_por_requisito(informe_id=informe.pk)
        if etapa.requisitos
        else {},
    )
    estado_http = 200
    if request.method == "POST":
        validos = all([avance.formulario.is_valid() for avance in por_compromiso])
        validos = requisitos.is_valid() and validos
        validos = (preguntas is None or preguntas.is_valid()) and validos
        if validos and (resumen is None or resumen.is_valid()) and not enviado_entretanto:
            try:
                services.informe_guardar(
                    informe=informe,
                    avances={a.pk: a.formulario.cleaned_data for a in por_compromiso},
                    resumen=resumen.cleaned_data if resumen else None,
                    requisitos=requisitos.vinculos(),
                    respuestas=preguntas.respuestas() if preguntas is not None else None,
                    usuario=request.user,
                )
            except services.DocumentoBloqueado:
                # Sent by another tab between this page's checks and the save.
                enviado_entretanto = True
            except ValidationError as error:
                requisitos.add_error(None, error)
            else:
                if _es_xhr(request):
                    # Autosave before an upload: the page reloads afterwards with the saved text.
                    return JsonResponse({"guardado": True})
                messages.success(request, "Borrador guardado.")
                siguiente = request.POST.get("siguiente", "")
                if siguiente == "enviar":
                    return redirect("compromisos:informe_enviar", pk=informe.pk)
                if siguiente.startswith("fila-") and siguiente[5:].isdigit():
                    # «Agregar fila» of a table question: back to it, with one empty row more.
                    url = reverse("compromisos:informe_editar", args=[informe.pk])
                    return redirect(f"{url}#pregunta-{siguiente[5:]}")
                return redirect("compromisos:informe_editar", pk=informe.pk)
        if enviado_entretanto:
            if _es_xhr(request):
                return JsonResponse({"guardado": False, "error": YA_ENVIADO}, status=409)
            messages.error(request, YA_ENVIADO)
            informe.refresh_from_db()
            estado_http = 409
        elif _es_xhr(request):
            return JsonResponse({"guardado": False})
        else:
            messages.error(
                request,
                "Revise los campos marcados: el borrador no se guardó, pero lo escrito sigue aquí.",
            )
    return render(
        request,
        "compromisos/informe_editar.html",
        {
            "informe": informe,
            "avances": por_compromiso,
            "plantilla": plantilla,
            "preguntas": preguntas,
            "bajo_pregunta": "compromisos/_medios_pregunta_editar.html",
            "formularios_avance": [(a.compromiso.codigo, a.formulario) for a in por_compromiso],
            "resumen": resumen,
            "etapa": etapa,
            "requisitos": requisitos,
            "plazo": selectors.plazo_informe(informe),
            "limite_mb": settings.SRM_MAX_UPLOAD_BYTES // (1024 * 1024),
            **_contexto_observaciones(request, informe),
        },
        status=estado_http,
    )


ERRORES_DEL_FORMULARIO = {"preguntas_sin_responder", "preguntas_sin_medios"}


@login_required
def informe_enviar(request: HttpRequest, pk: int) -> HttpResponse:
    informe = _informe_del_servicio(request, pk, "informe.enviar")
    if (bloqueado := _redirigir_si_bloqueado(request, informe)) is not None:
        return bloqueado
    formulario = forms.EnvioInformeForm(request.POST if request.method == "POST" else None)
    faltantes = services.medios_faltantes(informe)
    if request.method == "POST" and formulario.is_valid():
        try:
            services.informe_enviar(
                informe=informe,
                usuario=request.user,
                justificacion_faltantes=formulario.cleaned_data["justificacion_faltantes"],
            )
        except ValidationError as error:
            # Unanswered questions and their missing files are the form's, not the
            # justification's.
            del_formulario = any(e.code in ERRORES_DEL_FORMULARIO for e in error.error_list)
            campo = None if del_formulario else "justificacion_faltantes"
            formulario.add_error(campo, error)
        except TransicionNoPermitida as error:
            messages.error(request, str(error))
            return redirect("compromisos:informe_detalle", pk=informe.pk)
        else:
            informe.refresh_from_db()
            aviso = " Quedó registrado como enviado fuera de plazo." if informe.es_atrasado else ""
            hecho = (
                "entregado: quedó registrado como recibido"
                if informe.estado == EstadoRevision.RECIBIDO
                else "enviado a SUBDERE"
            )
            messages.success(request, f"{informe.get_periodo_display()} {hecho}.{aviso}")
            return redirect("compromisos:informe_detalle", pk=informe.pk)
    return render(
        request,
        "compromisos/informe_enviar.html",
        {
            "informe": informe,
            "faltantes": faltantes,
            # Said before the click; the sending refuses it all the same.
            "preguntas_sin_medios": selectors.preguntas_sin_medios(informe=informe)
            if informe.con_secciones
            else [],
            "formulario": formulario,
            "plazo": selectors.plazo_informe(informe),
        },
    )


@require_safe
@login_required
def informe_formulario_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The informe's form, filled, laid out like the paper form: for whoever may see it."""
    informe = permisos.obtener(
        request.user,
        InformeAvance,
        pk,
        selectors.con_formulario(
            InformeAvance.objects.select_related("formulacion__servicio", "formulacion__proceso")
        ),
    )
    if not informe.con_secciones:
        raise Http404("Este informe no tiene preguntas de formulario.")
    contenido = formulario_pdf(
        plantilla=services.plantilla_del_informe(informe),
        llenado=informe.llenado,
        servicio=informe.formulacion.servicio.nombre,
        titulo=f"{informe.get_periodo_display()} {informe.formulacion.proceso.anio}",
        medios=selectors.medios_de_preguntas(informe_id=informe.pk),
    )
    respuesta = HttpResponse(contenido, content_type="application/pdf")
    nombre = f"formulario-{informe.periodo}-{informe.formulacion.proceso.anio}-{informe.pk}.pdf"
    respuesta["Content-Disposition"] = f'attachment; filename="{nombre}"'
    return respuesta


def _es_xhr(request: HttpRequest) -> bool:
    return request.headers.get("X-Requested-With") == "XMLHttpRequest"


def _ancla_avance(informe_id: int, avance_id: int) -> str:
    return f"{reverse('compromisos:informe_editar', args=[informe_id])}#avance-{avance_id}"


def _ancla_medio(medio: MedioVerificacion) -> str:
    """Where a file sits on the fill page: under its compromiso or under its question."""
    if medio.avance_id is not None:
        return _ancla_avance(medio.informe_id, medio.avance_id)
    url = reverse("compromisos:informe_editar", args=[medio.informe_id])
    return f"{url}#pregunta-{medio.pregunta_id}"


def _volver(request: HttpRequest, url: str) -> HttpResponse:
    """Back to the informe; an upload sent by script gets the address to go to instead."""
    return JsonResponse({"url": url}) if _es_xhr(request) else redirect(url)


@require_POST
@login_required
def medio_subir(request: HttpRequest, avance_pk: int) -> HttpResponse:
    avance = permisos.obtener_para(
        request.user,
        "medio.subir",
        AvanceCompromiso,
        avance_pk,
        AvanceCompromiso.objects.select_related("compromiso", "informe__formulacion"),
    )
    formulario = forms.SubidaMediosForm(request.POST, request.FILES, avance=avance)
    return _subir_archivos(
        request,
        formulario,
        destino=_ancla_avance(avance.informe_id, avance.pk),
        subir=lambda archivo, datos: services.medio_subir(
            avance=avance,
            archivo=archivo,
            usuario=request.user,
            descripcion=datos["descripcion"],
            tipo=datos["tipo"],
            medio_comprometido=formulario.prometidos.get(datos["medio_comprometido"]),
        ),
        rechazo={"avance": avance},
        donde=avance.compromiso.codigo,
    )


@require_POST
@login_required
def medio_pregunta_subir(request: HttpRequest, pk: int, pregunta_pk: int) -> HttpResponse:
    """Files attached to a question of the informe's form, through the same checks as any."""
    informe = _informe_del_servicio(request, pk, "medio.subir")
    pregunta = get_object_or_404(
        Pregunta.objects.select_related("seccion"),
        pk=pregunta_pk,
        seccion__plantilla=services.plantilla_del_informe(informe),
    )
    url = reverse("compromisos:informe_editar", args=[informe.pk])
    return _subir_archivos(
        request,
        forms.SubidaMediosForm(request.POST, request.FILES, pregunta=pregunta),
        destino=f"{url}#pregunta-{pregunta.pk}",
        subir=lambda archivo, datos: services.medio_pregunta_subir(
            informe=informe,
            pregunta=pregunta,
            archivo=archivo,
            usuario=request.user,
            descripcion=datos["descripcion"],
            tipo=datos["tipo"],
        ),
        rechazo={"informe": informe},
        donde=f"la pregunta {formularios_instantanea.rotulo(pregunta)}",
    )


def _subir_archivos(
    request: HttpRequest,
    formulario: forms.SubidaMediosForm,
    *,
    destino: str,
    subir: Callable[[Any, dict], MedioVerificacion],
    rechazo: dict[str, Any],
    donde: str,
) -> HttpResponse:
    """Each file of an upload through `subir` (a service): a duplicate is a warning, a refusal
    an error logged for security (`rechazo`: where it was aimed); the rest are kept."""
    volver = _volver(request, destino)
    if not formulario.is_valid():
        for errores in formulario.errors.values():
            messages.error(request, " ".join(errores))
        return volver
    datos = formulario.cleaned_data
    guardados = []
    for archivo in datos["archivos"]:
        try:
            subir(archivo, datos)
        except services.MedioDuplicado as error:
            messages.warning(request, " ".join(error.messages))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            services.medio_rechazo_registrar(
                nombre=archivo.name,
                motivo=" ".join(error.messages),
                usuario=request.user,
                **rechazo,
            )
        else:
            guardados.append(archivo.name)
    if guardados:
        messages.success(
            request,
            f"{formato.plural(len(guardados), 'archivo adjunto', 'archivos adjuntos')} a {donde}.",
        )
    return volver


def _medio_visible(request: HttpRequest, pk: int, accion: str | None = None) -> MedioVerificacion:
    """A file the user may see (and, given an action, act on)."""
    consulta = MedioVerificacion.objects.select_related(
        "avance__compromiso", "informe__formulacion", "pregunta"
    )
    if accion is None:
        return permisos.obtener(request.user, MedioVerificacion, pk, consulta)
    return permisos.obtener_para(request.user, accion, MedioVerificacion, pk, consulta)


@require_POST
@login_required
def medio_reemplazar(request: HttpRequest, pk: int) -> HttpResponse:
    medio = _medio_visible(request, pk, "medio.subir")
    formulario = forms.ReemplazoMedioForm(request.POST, request.FILES)
    if formulario.is_valid():
        try:
            nuevo = services.medio_reemplazar(
                medio=medio, archivo=formulario.cleaned_data["archivo"], usuario=request.user
            )
        except services.MedioDuplicado as error:
            messages.error(request, " ".join(error.messages))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            services.medio_rechazo_registrar(
                avance=medio.avance,
                informe=medio.informe,
                nombre=formulario.cleaned_data["archivo"].name,
                motivo=" ".join(error.messages),
                usuario=request.user,
            )
        else:
            messages.success(
                request,
                f"«{medio.nombre_original}» reemplazado por «{nuevo.nombre_original}»; la versión anterior se conserva.",
            )
    else:
        messages.error(request, "Elija el archivo de la nueva versión.")
    return _volver(request, _ancla_medio(medio))


@login_required
def medio_eliminar(request: HttpRequest, pk: int) -> HttpResponse:
    medio = _medio_visible(request, pk, "medio.eliminar")
    volver = _ancla_medio(medio)
    if request.method == "POST":
        try:
            services.medio_eliminar(medio=medio, usuario=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, f"«{medio.nombre_original}» se quitó del informe (queda registrado)."
            )
        return redirect(volver)
    return render(request, "compromisos/medio_eliminar.html", {"medio": medio, "volver": volver})


def _respuesta_archivo(medio: MedioVerificacion, *, en_linea: bool) -> FileResponse:
    respuesta = FileResponse(
        medio.archivo.open("rb"),
        as_attachment=not en_linea,
        filename=medio.nombre_original,
        content_type=TIPOS_VISTA_PREVIA[medio.extension]
        if en_linea
        else "application/octet-stream",
    )
    respuesta["X-Content-Type-Options"] = "nosniff"
    respuesta["Cache-Control"] = "private, no-store"
    return respuesta


@login_required
def medio_descargar(request: HttpRequest, pk: int) -> HttpResponse:
    return _respuesta_archivo(_medio_visible(request, pk), en_linea=False)


@login_required
@xframe_options_sameorigin
# The review page shows PDFs in a frame of this same site; nothing else may frame them. The file
# is the servicio's: it runs sandboxed (no script, no forms, an origin of its own), so a PDF or
# image with script cannot act as the analyst who opens it.
@csp_replace({"frame-ancestors": ["'self'"], "sandbox": True, "script-src": ["'none'"]})
def medio_ver(request: HttpRequest, pk: int) -> HttpResponse:
    medio = _medio_visible(request, pk)
    if not medio.permite_vista_previa:
        return redirect("compromisos:medio_descargar", pk=medio.pk)
    return _respuesta_archivo(medio, en_linea=True)


@login_required
@require_safe
def decreto_descargar(request: HttpRequest, anio: int) -> HttpResponse:
    """The Decreto Exento that approves the year's programa marco, as it was uploaded (its
    original name; stored under a generated one). Every role that signs in reads it."""
    permisos.exigir(request.user, "decreto.descargar")
    if entradas.anio(str(anio)) is None:
        raise Http404("No existe ese año.")
    proceso = Proceso.objects.filter(anio=anio).exclude(decreto_documento="").first()
    if proceso is None:
        raise Http404("El año no tiene documento del decreto.")
    respuesta = FileResponse(
        proceso.decreto_documento.open("rb"),
        as_attachment=True,
        filename=proceso.decreto_nombre_original or f"decreto_programa_marco_{anio}.pdf",
        content_type="application/octet-stream",
    )
    respuesta["X-Content-Type-Options"] = "nosniff"
    respuesta["Cache-Control"] = "private, no-store"
    return respuesta


def _instantanea_visible(request: HttpRequest, pk: int) -> Instantanea:
    """A snapshot of an informe the user sees: its servicio's, its assigned one's, SUBDERE's."""
    return permisos.obtener_para(
        request.user,
        "instantanea.consultar",
        Instantanea,
        pk,
        Instantanea.objects.select_related(
            "informe__formulacion__servicio", "informe__formulacion__proceso", "usuario"
        ),
    )


@require_safe
@login_required
def instantanea_detalle(request: HttpRequest, pk: int) -> HttpResponse:
    """What an informe said when sent or approved: texts, files and their SHA-256, who and when."""
    instantanea = _instantanea_visible(request, pk)
    archivos = selectors.archivos_de_instantanea(instantanea=instantanea)
    avances = instantanea.contenido.get("avances", {})
    return render(
        request,
        "compromisos/instantanea_detalle.html",
        {
            "instantanea": instantanea,
            "informe": instantanea.informe,
            "resumen": instantanea.contenido.get("resumen", {}),
            "avances": [
                {
                    "codigo": codigo,
                    **avances[codigo],
                    "archivos": [
                        a for a in archivos if a["codigo"] == codigo and "pregunta_id" not in a
                    ],
                }
                for codigo in sorted(avances)
            ],
            "preguntas": [
                {
                    "pregunta": datos["pregunta"],
                    "archivos": [a for a in archivos if a.get("pregunta_id") == int(clave)],
                }
                for clave, datos in sorted(
                    instantanea.contenido.get("medios_preguntas", {}).items(),
                    key=lambda par: int(par[0]),
                )
            ],
            "verificacion": selectors.ultima_verificacion(instantanea=instantanea),
            "requisitos": instantanea.contenido.get("requisitos", []),
        },
    )


@require_POST
@login_required
def instantanea_verificar(request: HttpRequest, pk: int) -> HttpResponse:
    instantanea = _instantanea_visible(request, pk)
    archivos = services.instantanea_verificar(instantanea=instantanea, usuario=request.user)
    distintos = [a for a in archivos if a["estado"] != services.EstadoArchivo.COINCIDE]
    if distintos:
        messages.error(
            request,
            "Integridad comprometida: "
            + "; ".join(f"{a['codigo']} «{a['nombre']}» {a['estado']}" for a in distintos)
            + ". La verificación quedó registrada.",
        )
    else:
        total = len(archivos)
        messages.success(
            request,
            f"{'Los ' + str(total) + ' archivos coinciden' if total != 1 else 'El archivo coincide'} "
            "con el SHA-256 registrado en la instantánea."
            if total
            else "La instantánea no tiene archivos que verificar.",
        )
    return redirect("compromisos:instantanea_detalle", pk=instantanea.pk)
