from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from bitacora.models import PreferenciaAvisos
from compromisos import selectors as compromisos_selectors
from compromisos import transiciones
from compromisos.models import (
    ACCIONES_DE_DECISION,
    Compromiso,
    EstadoRevision,
    FormulacionPMG,
    InformeAvance,
    MedioVerificacion,
)
from formularios import services as formularios_services
from programa.models import RequisitoTecnico
from srm import entradas, formato, permisos
from validacion import selectors, services, validacion_final
from validacion.filters import BandejaFilter, BandejaFormulacionFilter
from validacion.forms import (
    ObservacionForm,
    ObservacionFormulacionForm,
    RespuestaForm,
    TransicionForm,
    ValidacionAccionForm,
    ValidacionIniciativaForm,
    VeredictoForm,
    VeredictoRequisitoForm,
    primer_error,
)
from validacion.models import Observacion, ValidacionServicio, VeredictoMedio


def _volver(pagina: str, fragmento: str, *, rechazada: bool) -> HttpResponse:
    """Back to the page after a POST: at the element acted on, or at the top when the action
    was refused, where the reason is (base.html) and static/js/errores.js puts back what was
    typed; a fragment would scroll the reason out of sight."""
    return redirect(pagina if rechazada else f"{pagina}#{fragmento}")


@require_POST
@login_required
def observacion_responder(request: HttpRequest, pk: int) -> HttpResponse:
    observacion = permisos.obtener_para(
        request.user,
        "observacion.responder",
        Observacion,
        pk,
        Observacion.objects.select_related("informe__formulacion", "formulacion"),
    )
    formulario = RespuestaForm(request.POST)
    rechazada = True
    if formulario.is_valid():
        try:
            services.observacion_responder(
                observacion=observacion,
                texto=formulario.cleaned_data["texto"],
                usuario=request.user,
            )
        except (ValidationError, services.TransicionNoPermitida) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            rechazada = False
            messages.success(request, "Respuesta registrada.")
    else:
        messages.error(request, "Escriba su respuesta antes de enviarla.")
    pagina = (
        reverse("compromisos:informe_editar", args=[observacion.informe_id])
        if observacion.informe_id
        else reverse("compromisos:formulacion_detalle", args=[observacion.formulacion_id])
    )
    return _volver(pagina, f"observacion-{pk}", rechazada=rechazada)


@login_required
def bandeja(request: HttpRequest) -> HttpResponse:
    permisos.exigir(request.user, "revision.consultar")
    filtro = BandejaFilter(
        request.GET or None,
        queryset=selectors.bandeja(usuario=request.user, catalogos=False),
        usuario=request.user,
        cartera_por_defecto="mia"
        if permisos.rol(request.user) == permisos.Rol.ANALISTA
        else "todas",
    )
    # Pages by key: the last page and «all states» read one page, not ten years of informes.
    pagina = selectors.pagina_de_bandeja(
        filtro.qs, request.GET, informes=True, catalogos=filtro.catalogos
    )
    # Submitted formulaciones wait in the same queue, under the same filters (one form).
    filtro_formulaciones = filtro.sobre(
        BandejaFormulacionFilter,
        selectors.bandeja_formulaciones(usuario=request.user, catalogos=False),
    )
    formulaciones = selectors.pagina_de_bandeja(
        filtro_formulaciones.qs, request.GET, informes=False, catalogos=filtro.catalogos
    )
    return render(
        request,
        "validacion/bandeja.html",
        {
            "filtro": filtro,
            "pagina": pagina,
            "formulaciones": formulaciones,
            "puede_tomar": permisos.puede(request.user, "informe.tomar"),
        },
    )


@require_POST
@login_required
def bandeja_tomar(request: HttpRequest) -> HttpResponse:
    permisos.exigir(request.user, "informe.tomar")
    ids = entradas.ids(request.POST.getlist("informes"))
    ids_formulaciones = entradas.ids(request.POST.getlist("formulaciones"))
    documentos = [
        *permisos.visibles(request.user, FormulacionPMG).filter(pk__in=ids_formulaciones or []),
        *permisos.visibles(request.user, InformeAvance).filter(pk__in=ids or []),
    ]
    if ids is None or ids_formulaciones is None:
        messages.error(request, "La selección no es válida: marque los documentos de nuevo.")
    elif not documentos:
        messages.warning(request, "Marque al menos un informe o una formulación.")
    else:
        tomados, problemas = services.informes_tomar(informes=documentos, usuario=request.user)
        if tomados:
            if all(isinstance(d, InformeAvance) for d in documentos):
                nombre = formato.plural(tomados, "informe", "informes")
            elif all(isinstance(d, FormulacionPMG) for d in documentos):
                nombre = formato.plural(tomados, "formulación", "formulaciones")
            else:
                nombre = formato.plural(tomados, "documento", "documentos")
            messages.success(request, f"{nombre} en revisión.")
        for problema in problemas:
            messages.error(request, problema)
    # The bandeja's filters, re-encoded: whatever was posted becomes a plain query string.
    volver = QueryDict(request.POST.get("volver", "")).urlencode()
    return redirect(f"{reverse('validacion:bandeja')}?{volver}")


def _informe_en_revision(request: HttpRequest, pk: int) -> InformeAvance:
    return permisos.obtener_para(
        request.user,
        "revision.consultar",
        InformeAvance,
        pk,
        # Only what the page shows: each table joined costs the planner (8 tables: ~2.8 ms
        # of planning on PostgreSQL, against 0.1 ms of execution).
        compromisos_selectors.con_formulario(
            InformeAvance.objects.select_related("formulacion__servicio", "formulacion__proceso")
        ),
    )


def _formularios_requisito(etapa, opciones, datos=None, enviado: int | None = None) -> list:
    """Each requisito's verdict form, prefilled with its verdict (or the servicio's links);
    the one just sent, bound to what was typed."""
    formularios = []
    for requisito in etapa.requisitos:
        veredicto = requisito.veredicto
        inicial = (
            {
                "cumple": "1" if veredicto.cumple else "0",
                "medios": [medio.pk for medio in veredicto.medios.all()],
                "comentario": veredicto.comentario,
            }
            if veredicto
            else {"medios": sorted(requisito.ligados)}
        )
        requisito.formulario = VeredictoRequisitoForm(
            datos if enviado == requisito.pk else None,
            opciones=opciones,
            initial=inicial,
            prefix=f"requisito-{requisito.pk}",
        )
        if enviado == requisito.pk:
            formularios.append((f"Requisito {requisito.texto[:60]}", requisito.formulario))
    return formularios


def _requisito_de(request: HttpRequest, requisito_pk: int) -> RequisitoTecnico:
    """A requisito of the catalogue (public data of the programa marco); the services check
    it is one of the formulación's committed etapa."""
    requisito = RequisitoTecnico.objects.filter(pk=requisito_pk).first()
    if requisito is None:
        raise Http404("Requisito desconocido.")
    return requisito


@login_required
def informe_revisar(request: HttpRequest, pk: int) -> HttpResponse:
    informe = _informe_en_revision(request, pk)
    return _pagina_revision(request, informe)


def _pagina_revision(
    request: HttpRequest, informe: InformeAvance, *, requisito_enviado: int | None = None
) -> HttpResponse:
    # The timeline, read first: the round is counted from its sendings.
    eventos = selectors.linea_de_tiempo(informe=informe)
    ronda = services.ronda_actual(informe, eventos)
    # Every file of the informe in one read: the compromisos', their earlier versions and the
    # form questions'.
    archivos = compromisos_selectors.archivos_del_informe(informe_id=informe.pk)
    avances = compromisos_selectors.avances_para_editar(informe=informe, archivos=archivos)
    veredictos = {
        v.medio_id: v
        for v in VeredictoMedio.objects.filter(medio__informe=informe, ronda=ronda).order_by()
    }
    puede_revisar = informe.estado == EstadoRevision.EN_REVISION and permisos.puede(
        request.user, "informe.observar", informe
    )
    for avance in avances:
        for medio in avance.medios_vigentes:
            medio.veredicto = veredictos.get(medio.pk)
    rondas = selectors.observaciones_por_ronda(informe=informe)
    # The kind's form as the servicio reads it; under each question its files with their
    # verdicts and the analyst's remark form (an informe of built-in blocks has none).
    formulario = compromisos_selectors.formulario_leido(
        informe=informe, rondas=rondas, veredictos=veredictos, archivos=archivos
    )
    medios = compromisos_selectors.archivos_de_requisito(
        avances,
        formularios_services.preguntas_en_orden(formulario["secciones"]) if formulario else (),
    )
    etapa = selectors.requisitos_para_calificar(
        formulacion_id=informe.formulacion_id,
        informe_id=informe.pk,
        medios=medios,
        tipo=informe.tipo,
    )
    # Every snapshot, for their list and for what changed between the last two sendings.
    instantaneas = list(informe.instantaneas.order_by("momento", "pk"))
    errores_requisito = _formularios_requisito(
        etapa,
        sorted(medios.items(), key=lambda par: par[1]),
        request.POST if requisito_enviado else None,
        requisito_enviado,
    )
    return render(
        request,
        "validacion/informe_revisar.html",
        {
            "informe": informe,
            "formulario": formulario,
            "bajo_pregunta": "validacion/_pregunta_revisar.html",
            "plantilla": compromisos_selectors.plantilla_del_informe(informe),
            "etapa": etapa,
            "errores_requisito": errores_requisito,
            "accion_requisito": "validacion:requisito_calificar",
            "documento_requisito": informe.pk,
            "ronda": ronda,
            "avances": avances,
            "plazo": compromisos_selectors.plazo_informe(informe),
            "rondas": rondas,
            "diferencias": selectors.diferencias_entre_rondas(
                informe=informe, instantaneas=instantaneas
            ),
            "eventos": eventos,
            "acciones": permisos.acciones_permitidas(request.user, informe),
            "etiquetas": transiciones.ETIQUETAS,
            "puede_revisar": puede_revisar,
            "resultados": VeredictoMedio.Resultado.choices,
            "instantaneas": instantaneas,
        },
        status=400 if requisito_enviado else 200,
    )


@require_POST
@login_required
def requisito_calificar(request: HttpRequest, pk: int, requisito_pk: int) -> HttpResponse:
    """The analyst's verdict on a requisito; with an error, the page again with what was typed."""
    informe = _informe_en_revision(request, pk)
    permisos.exigir(request.user, "informe.observar", informe)
    requisito = _requisito_de(request, requisito_pk)
    medios = {
        medio.pk: medio
        for medio in MedioVerificacion.objects.filter(
            informe=informe, eliminado_en__isnull=True, reemplazado_por__isnull=True
        ).select_related("informe")
    }
    formulario = VeredictoRequisitoForm(
        request.POST,
        opciones=[(pk_medio, "") for pk_medio in medios],
        prefix=f"requisito-{requisito.pk}",
    )
    try:
        if not formulario.is_valid():
            raise ValidationError(primer_error(formulario))
        services.requisito_calificar(
            informe=informe,
            requisito=requisito,
            cumple=formulario.cleaned_data["cumple"],
            medios=[medios[m] for m in formulario.cleaned_data["medios"]],
            comentario=formulario.cleaned_data["comentario"],
            usuario=request.user,
        )
    except (ValidationError, services.TransicionNoPermitida) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return _pagina_revision(request, informe, requisito_enviado=requisito.pk)
    messages.success(request, "Requisito calificado.")
    return redirect(
        f"{reverse('validacion:informe_revisar', args=[informe.pk])}#requisito-{requisito.pk}"
    )


@require_POST
@login_required
def informe_transicionar(request: HttpRequest, pk: int, accion: str) -> HttpResponse:
    informe = _informe_en_revision(request, pk)
    confirmar = _transicionar_por_subdere(request, informe, accion)
    return confirmar or redirect("validacion:informe_revisar", pk=informe.pk)


@require_POST
@login_required
def formulacion_transicionar(request: HttpRequest, pk: int, accion: str) -> HttpResponse:
    formulacion = permisos.obtener(
        request.user,
        FormulacionPMG,
        pk,
        FormulacionPMG.objects.select_related("servicio", "proceso"),
    )
    confirmar = _transicionar_por_subdere(request, formulacion, accion)
    if confirmar is not None:
        return confirmar
    if permisos.puede(request.user, "revision.consultar"):
        return redirect("validacion:formulacion_revisar", pk=formulacion.pk)
    return redirect("compromisos:formulacion_detalle", pk=formulacion.pk)


# Decisive clicks: the first POST shows what they will do and asks again (no script needed).
ACCIONES_CON_CONFIRMACION = {"aprobar", "observar", "certificar", "no_certificar"}


def _transicionar_por_subdere(
    request: HttpRequest, documento: FormulacionPMG | InformeAvance, accion: str
) -> HttpResponse | None:
    """One of SUBDERE's transitions (the servicio sends from its own pages), told in a message.

    Aprobar and observar are taken only once confirmed: until then the answer is the
    confirmation page (None once the transition was tried).
    """
    if accion not in transiciones.ETIQUETAS or accion in ("enviar", "entregar"):
        raise Http404("Acción desconocida.")
    formulario = TransicionForm(request.POST)
    if not formulario.is_valid():
        messages.error(request, primer_error(formulario))
        return None
    version = formulario.cleaned_data["version"]
    # A decision applies to the version the page showed: taking one to review is not a decision.
    if accion != "tomar" and version != documento.version:
        messages.error(request, _cambio_desde_que_lo_abrio(documento))
        return None
    if accion in ACCIONES_CON_CONFIRMACION and request.POST.get("confirmado") != "1":
        permisos.exigir(request.user, f"{documento.prefijo_accion}.{accion}", documento)
        return _confirmacion(request, documento, accion)
    try:
        services.revision_transicionar(
            objeto=documento,
            accion=accion,
            usuario=request.user,
            comentario=formulario.cleaned_data["comentario"],
            motivo_cierre=formulario.cleaned_data["motivo_cierre"]
            if accion in ACCIONES_DE_DECISION
            else "",
        )
    except services.TransicionNoPermitida as error:
        if accion in ACCIONES_CON_CONFIRMACION:
            # Back to the confirmation, with what was typed.
            return _confirmacion(request, documento, accion, error=str(error))
        messages.error(request, str(error))
    else:
        messages.success(request, MENSAJES_TRANSICION[type(documento)][accion])
    return None


def _confirmacion(
    request: HttpRequest,
    documento: FormulacionPMG | InformeAvance,
    accion: str,
    error: str = "",
) -> HttpResponse:
    es_informe = isinstance(documento, InformeAvance)
    pendientes = list(
        services.observaciones_del_documento(documento)
        .filter(estado__in=services.PENDIENTES)
        .select_related("avance__compromiso", "medio")
        .order_by("ronda", "creado", "pk")
    )
    return render(
        request,
        "validacion/confirmar_transicion.html",
        {
            "documento": documento,
            "es_informe": es_informe,
            "accion": accion,
            "etiqueta": transiciones.ETIQUETAS[accion],
            "accion_url": reverse(
                "validacion:informe_transicionar"
                if es_informe
                else "validacion:formulacion_transicionar",
                args=[documento.pk, accion],
            ),
            "volver": reverse(
                "validacion:informe_revisar" if es_informe else "validacion:formulacion_revisar",
                args=[documento.pk],
            ),
            "pendientes": pendientes,
            "abiertas": sum(1 for o in pendientes if o.estado == Observacion.Estado.ABIERTA),
            "comentario": request.POST.get("comentario", ""),
            "motivo_cierre": request.POST.get("motivo_cierre", ""),
            "version": request.POST.get("version", documento.version),
            "error": error,
        },
    )


def _cambio_desde_que_lo_abrio(documento: FormulacionPMG | InformeAvance) -> str:
    if isinstance(documento, InformeAvance):
        nombre = "El informe cambió desde que lo abrió"
        url = reverse("validacion:informe_revisar", args=[documento.pk]) + "#historia-titulo"
    else:
        nombre = "La formulación cambió desde que la abrió"
        url = reverse("compromisos:formulacion_detalle", args=[documento.pk])
    return format_html(
        '{}: su decisión no se registró. <a href="{}">Vea los cambios</a> y decida sobre lo '
        "que está ahora.",
        nombre,
        url,
    )


MENSAJES_TRANSICION = {
    InformeAvance: {
        "tomar": "Informe tomado en revisión.",
        "observar": "Informe devuelto al servicio con sus observaciones.",
        "aprobar": "Informe aprobado. Su contenido quedó registrado tal como se aprobó.",
        "certificar": "Informe certificado. Su contenido quedó registrado tal como se certificó.",
        "no_certificar": "Resultado registrado: no certificado. El servicio recibe el motivo.",
        "reabrir": "Informe reabierto y devuelto al servicio.",
    },
    FormulacionPMG: {
        "tomar": "Formulación tomada en revisión.",
        "observar": "Formulación devuelta al servicio para su corrección.",
        "aprobar": "Formulación aprobada.",
        "reabrir": "Formulación reabierta y devuelta al servicio.",
    },
}


@require_POST
@login_required
def observacion_crear(request: HttpRequest, pk: int) -> HttpResponse:
    informe = _informe_en_revision(request, pk)
    permisos.exigir(request.user, "informe.observar", informe)
    formulario = ObservacionForm(request.POST, informe=informe)
    if formulario.is_valid():
        try:
            services.observacion_crear(
                informe=informe,
                texto=formulario.cleaned_data["texto"],
                usuario=request.user,
                avance=formulario.cleaned_data["avance"],
                medio=formulario.cleaned_data["medio"],
                pregunta=formulario.cleaned_data["pregunta"],
            )
        except (ValidationError, services.TransicionNoPermitida) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, "Observación registrada.")
    else:
        messages.error(request, "Escriba el texto de la observación.")
    return redirect("validacion:informe_revisar", pk=informe.pk)


@require_POST
@login_required
def observacion_resolver(request: HttpRequest, pk: int) -> HttpResponse:
    observacion = permisos.obtener(
        request.user,
        Observacion,
        pk,
        Observacion.objects.select_related("informe__formulacion", "formulacion"),
    )
    services.observacion_resolver(observacion=observacion, usuario=request.user)
    messages.success(request, "Observación marcada como resuelta.")
    if observacion.informe_id:
        return redirect("validacion:informe_revisar", pk=observacion.informe_id)
    return redirect("validacion:formulacion_revisar", pk=observacion.formulacion_id)


def _formulacion_en_revision(request: HttpRequest, pk: int) -> FormulacionPMG:
    return permisos.obtener_para(
        request.user,
        "revision.consultar",
        FormulacionPMG,
        pk,
        FormulacionPMG.objects.select_related("servicio__ministerio", "servicio__tipo", "proceso"),
    )


@login_required
def formulacion_revisar(request: HttpRequest, pk: int) -> HttpResponse:
    """SUBDERE's review of a formulación: its líneas and compromisos, observaciones by round."""
    formulacion = _formulacion_en_revision(request, pk)
    return render(
        request,
        "validacion/formulacion_revisar.html",
        {
            "formulacion": formulacion,
            "ronda": services.ronda_actual(formulacion),
            "lineas": list(formulacion.lineas.all()),
            "total_ponderadores": formulacion.total_ponderadores(),
            "exenciones": list(formulacion.exenciones.all()),
            "compromisos": list(
                formulacion.compromisos.prefetch_related("hitos", "medios_comprometidos")
            ),
            "rondas": selectors.observaciones_por_ronda(formulacion=formulacion),
            "eventos": selectors.linea_de_tiempo_formulacion(formulacion=formulacion),
            "acciones": permisos.acciones_permitidas(request.user, formulacion),
            "etiquetas": transiciones.ETIQUETAS,
            "puede_revisar": formulacion.estado == EstadoRevision.EN_REVISION
            and permisos.puede(request.user, "formulacion.observar", formulacion),
        },
    )


@require_POST
@login_required
def formulacion_observacion_crear(request: HttpRequest, pk: int) -> HttpResponse:
    formulacion = _formulacion_en_revision(request, pk)
    permisos.exigir(request.user, "formulacion.observar", formulacion)
    formulario = ObservacionFormulacionForm(request.POST, formulacion=formulacion)
    if formulario.is_valid():
        try:
            services.observacion_crear(
                formulacion=formulacion,
                texto=formulario.cleaned_data["texto"],
                usuario=request.user,
                linea=formulario.cleaned_data["linea"],
                compromiso=formulario.cleaned_data["compromiso"],
            )
        except (ValidationError, services.TransicionNoPermitida) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, "Observación registrada.")
    else:
        messages.error(request, "Escriba el texto de la observación.")
    return redirect("validacion:formulacion_revisar", pk=formulacion.pk)


@require_POST
@login_required
def medio_calificar(request: HttpRequest, pk: int) -> HttpResponse:
    medio = permisos.obtener(
        request.user,
        MedioVerificacion,
        pk,
        MedioVerificacion.objects.select_related("informe__formulacion"),
    )
    formulario = VeredictoForm(request.POST)
    rechazada = True
    try:
        if not formulario.is_valid():
            raise ValidationError(primer_error(formulario))
        services.veredicto_registrar(medio=medio, usuario=request.user, **formulario.cleaned_data)
    except (ValidationError, services.TransicionNoPermitida) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        rechazada = False
        messages.success(request, f"Veredicto registrado para «{medio.nombre_original}».")
    return _volver(
        reverse("validacion:informe_revisar", args=[medio.informe_id]),
        f"medio-{medio.pk}",
        rechazada=rechazada,
    )


ACCIONES_VALIDACION = {
    "enviar": (validacion_final.validacion_enviar, "Validación enviada a SUBDERE."),
    "ratificar": (validacion_final.validacion_ratificar, "Validación ratificada."),
    "devolver": (validacion_final.validacion_devolver, "Validación devuelta a la consultora."),
    "dipres": (validacion_final.dipres_registrar, "Registro en la plataforma DIPRES anotado."),
}


def _formulacion_a_validar(request: HttpRequest, formulacion_pk: int) -> FormulacionPMG:
    """The formulación through the door, with what the validation page shows of it: its
    validation (and who registered it in DIPRES) and whether its informe final is approved,
    in the same query."""
    return permisos.obtener(
        request.user,
        FormulacionPMG,
        formulacion_pk,
        validacion_final.con_final_aprobado(
            FormulacionPMG.objects.select_related(
                "servicio", "proceso", "validacion__registrada_dipres_por"
            )
        ),
    )


@login_required
def servicio_validar(request: HttpRequest, formulacion_pk: int) -> HttpResponse:
    return _pagina_validacion(request, _formulacion_a_validar(request, formulacion_pk))


def _pagina_validacion(
    request: HttpRequest, formulacion: FormulacionPMG, *, requisito_enviado: int | None = None
) -> HttpResponse:
    # Read with the formulación (_formulacion_a_validar); None before the first verdict.
    validacion = getattr(formulacion, "validacion", None)
    iniciativas = selectors.iniciativas_para_validar(formulacion=formulacion)
    validadas = sum(1 for compromiso in iniciativas if compromiso.validacion_registrada)
    abierta = validacion is None or validacion.estado in (
        ValidacionServicio.Estado.EN_CURSO,
        ValidacionServicio.Estado.DEVUELTA,
    )
    # The requisitos of the committed etapa: the servicio's links are those of its informe
    # final; the consultora judges with every current file of the year.
    medios = {
        medio.pk: f"{compromiso.codigo} · {medio.periodo} · {medio.nombre_original}"
        for compromiso in iniciativas
        for medio in compromiso.medios_del_anio
    }
    etapa = selectors.requisitos_para_calificar(
        formulacion_id=formulacion.pk,
        informe_id=None,
        periodo_vinculos=InformeAvance.Periodo.FINAL,
        medios=medios,
    )
    errores_requisito = _formularios_requisito(
        etapa,
        list(medios.items()),
        request.POST if requisito_enviado else None,
        requisito_enviado,
    )
    return render(
        request,
        "validacion/servicio_validar.html",
        {
            "etapa": etapa,
            "errores_requisito": errores_requisito,
            "accion_requisito": "validacion:requisito_validar",
            "documento_requisito": formulacion.pk,
            "formulacion": formulacion,
            "validacion": validacion,
            "iniciativas": iniciativas,
            "validadas": validadas,
            "progreso": round(100 * validadas / len(iniciativas)) if iniciativas else 0,
            "final_aprobado": formulacion.final_aprobado,
            "puede_validar": abierta
            and permisos.puede(request.user, "iniciativa.validar", formulacion),
            "puede_ratificar": validacion is not None
            and validacion.estado == ValidacionServicio.Estado.ENVIADA
            and permisos.puede(request.user, "validacion.ratificar", formulacion),
            "puede_registrar_dipres": validacion is not None
            and validacion.estado == ValidacionServicio.Estado.RATIFICADA
            and permisos.puede(request.user, "validacion.registrar_dipres", formulacion),
            "resultados": ValidacionServicio.Resultado.choices,
        },
        status=400 if requisito_enviado else 200,
    )


@require_POST
@login_required
def requisito_validar(request: HttpRequest, formulacion_pk: int, requisito_pk: int) -> HttpResponse:
    """The consultora's verdict on a requisito; with an error, the page again as typed."""
    formulacion = _formulacion_a_validar(request, formulacion_pk)
    permisos.exigir(request.user, "iniciativa.validar", formulacion)
    requisito = _requisito_de(request, requisito_pk)
    medios = {
        medio.pk: medio
        for medio in MedioVerificacion.objects.filter(
            avance__informe__formulacion=formulacion,
            eliminado_en__isnull=True,
            reemplazado_por__isnull=True,
        ).select_related("avance__informe")
    }
    formulario = VeredictoRequisitoForm(
        request.POST,
        opciones=[(pk_medio, "") for pk_medio in medios],
        prefix=f"requisito-{requisito.pk}",
    )
    try:
        if not formulario.is_valid():
            raise ValidationError(primer_error(formulario))
        validacion_final.requisito_validar(
            formulacion=formulacion,
            requisito=requisito,
            cumple=formulario.cleaned_data["cumple"],
            medios=[medios[m] for m in formulario.cleaned_data["medios"]],
            comentario=formulario.cleaned_data["comentario"],
            usuario=request.user,
        )
    except (ValidationError, services.TransicionNoPermitida) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return _pagina_validacion(request, formulacion, requisito_enviado=requisito.pk)
    messages.success(request, "Requisito validado.")
    return redirect(
        f"{reverse('validacion:servicio_validar', args=[formulacion.pk])}#requisito-{requisito.pk}"
    )


@require_POST
@login_required
def iniciativa_validar(request: HttpRequest, pk: int) -> HttpResponse:
    compromiso = permisos.obtener(
        request.user, Compromiso, pk, Compromiso.objects.select_related("formulacion")
    )
    permisos.exigir(request.user, "iniciativa.validar", compromiso.formulacion)
    formulario = ValidacionIniciativaForm(request.POST)
    rechazada = True
    try:
        if not formulario.is_valid():
            raise ValidationError(primer_error(formulario))
        datos = formulario.cleaned_data
        validacion_final.iniciativa_validar(
            compromiso=compromiso,
            resultado=datos["resultado"],
            fundamento=datos["fundamento"],
            medios=list(
                MedioVerificacion.objects.filter(
                    avance__compromiso=compromiso, pk__in=formulario.medios
                ).select_related("avance")
            ),
            usuario=request.user,
        )
    except (ValidationError, services.TransicionNoPermitida) as error:
        messages.error(
            request, f"{compromiso.codigo}: " + " ".join(getattr(error, "messages", [str(error)]))
        )
    else:
        rechazada = False
        messages.success(request, f"Validación de {compromiso.codigo} guardada.")
    return _volver(
        reverse("validacion:servicio_validar", args=[compromiso.formulacion_id]),
        f"iniciativa-{compromiso.pk}",
        rechazada=rechazada,
    )


@require_POST
@login_required
def validacion_accion(request: HttpRequest, formulacion_pk: int, accion: str) -> HttpResponse:
    formulacion = permisos.obtener(request.user, FormulacionPMG, formulacion_pk)
    if accion not in ACCIONES_VALIDACION:
        raise Http404("Acción desconocida.")
    funcion, mensaje = ACCIONES_VALIDACION[accion]
    formulario = ValidacionAccionForm(request.POST)
    if not formulario.is_valid():
        messages.error(request, primer_error(formulario))
        return redirect("validacion:servicio_validar", formulacion_pk=formulacion.pk)
    extra = {}
    if accion == "devolver":
        extra["comentario"] = formulario.cleaned_data["comentario"]
    if accion == "dipres":
        if formulario.cleaned_data["fecha"] is None:
            messages.error(request, "Indique la fecha de registro en DIPRES.")
            return redirect("validacion:servicio_validar", formulacion_pk=formulacion.pk)
        extra["fecha"] = formulario.cleaned_data["fecha"]
    try:
        funcion(formulacion=formulacion, usuario=request.user, **extra)
    except (ValidationError, services.TransicionNoPermitida) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, mensaje)
    return redirect("validacion:servicio_validar", formulacion_pk=formulacion.pk)


@login_required
def preferencias_avisos(request: HttpRequest) -> HttpResponse:
    preferencia, _ = PreferenciaAvisos.objects.get_or_create(usuario=request.user)
    if request.method == "POST":
        preferencia.resumen_diario = request.POST.get("resumen_diario") == "1"
        preferencia.save(update_fields=["resumen_diario"])
        messages.success(request, "Preferencia de avisos guardada.")
        return redirect("validacion:preferencias_avisos")
    return render(request, "validacion/preferencias_avisos.html", {"preferencia": preferencia})
