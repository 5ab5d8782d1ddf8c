from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from asistencia import convocatorias, forms, selectors, services
from asistencia.models import (
    Acuerdo,
    Consulta,
    Contacto,
    Convocado,
    DocumentoTecnico,
    MensajeConsulta,
)
from compromisos.models import InformeAvance
from compromisos.selectors import proceso_vigente
from servicios.models import Servicio
from srm import entradas, permisos


def _anio(request: HttpRequest) -> int:
    anio = entradas.anio(request.GET.get("anio"))
    if anio is not None:
        return anio
    vigente = proceso_vigente()
    return vigente.anio if vigente else 2011


def _errores(error: ValidationError) -> str:
    return " ".join(getattr(error, "messages", [str(error)]))


# --- Home of the app ------------------------------------------------------------------------


@login_required
def inicio(request: HttpRequest) -> HttpResponse:
    permisos.exigir(request.user, "actividad.consultar")
    anio = _anio(request)
    usuario = request.user
    return render(
        request,
        "asistencia/inicio.html",
        {
            "anio": anio,
            "actividades": selectors.actividades(usuario=usuario, anio=anio),
            "consultas": selectors.consultas(usuario=usuario, anio=anio)[:50],
            "acuerdos": selectors.acuerdos_abiertos(usuario=usuario, anio=anio)[:50],
            "documentos": selectors.documentos(usuario=usuario, anio=anio),
            "configuracion": selectors.configuracion(anio),
            "puede_preguntar": permisos.puede(usuario, "consulta.crear"),
            "puede_planificar": permisos.puede(usuario, "actividad.planificar"),
            "puede_publicar": permisos.puede(usuario, "documento.publicar"),
            "puede_ver_cifras": permisos.puede(usuario, "asistencia.cifras"),
        },
    )


# --- Consultas ------------------------------------------------------------------------------


def _servicio_propio(request: HttpRequest) -> Servicio:
    """The servicio the user asks for (the first of its memberships)."""
    servicio = permisos.visibles(request.user, Servicio).order_by("pk").first()
    if servicio is None:
        raise permisos.AccesoDenegado(
            "Su cuenta no pertenece a un servicio.", accion="consulta.crear", obj=None
        )
    return servicio


@login_required
def consulta_nueva(request: HttpRequest) -> HttpResponse:
    permisos.exigir(request.user, "consulta.crear")
    servicio = _servicio_propio(request)
    anio = _anio(request)
    # A link from a compromiso or an informe names it (?compromiso=, ?informe=).
    inicial = {
        campo: entradas.entero(request.GET.get(campo)) for campo in ("compromiso", "informe")
    }
    formulario = forms.ConsultaForm(
        request.POST or None, servicio=servicio, anio=anio, initial=inicial
    )
    if request.method == "POST" and formulario.is_valid():
        try:
            consulta = services.consulta_crear(
                servicio=servicio, anio=anio, usuario=request.user, **formulario.cleaned_data
            )
        except ValidationError as error:
            formulario.add_error(None, error)
        else:
            messages.success(
                request,
                f"Consulta enviada. SUBDERE responde a más tardar el {consulta.plazo:%d-%m-%Y}.",
            )
            return redirect("asistencia:consulta_detalle", consulta.pk)
    return render(
        request,
        "asistencia/consulta_nueva.html",
        {
            "formulario": formulario,
            "servicio": servicio,
            "anio": anio,
            "configuracion": selectors.configuracion(anio),
        },
    )


@login_required
def consulta_detalle(request: HttpRequest, pk: int) -> HttpResponse:
    permisos.exigir(request.user, "consulta.consultar")
    consulta = permisos.obtener(
        request.user, Consulta, pk, Consulta.objects.select_related("servicio", "autor")
    )
    puede_escribir = permisos.puede(request.user, "consulta.responder", consulta) or permisos.puede(
        request.user, "consulta.crear", consulta
    )
    formulario = forms.MensajeForm(request.POST or None)
    if request.method == "POST":
        if not puede_escribir:
            permisos.exigir(request.user, "consulta.responder", consulta)
        if formulario.is_valid():
            services.consulta_escribir(
                consulta=consulta, texto=formulario.cleaned_data["texto"], usuario=request.user
            )
            messages.success(request, "Mensaje enviado.")
            return redirect("asistencia:consulta_detalle", consulta.pk)
    puede_publicar = consulta.estado == Consulta.Estado.RESPONDIDA and permisos.puede(
        request.user, "consulta.publicar", consulta
    )
    mensajes = list(MensajeConsulta.objects.filter(consulta=consulta).select_related("autor"))
    publicar = forms.PublicarForm(
        initial={
            "pregunta": consulta.pregunta_publicada or (mensajes[0].texto if mensajes else ""),
            "respuesta": consulta.respuesta_publicada
            or next((m.texto for m in mensajes if m.de_subdere), ""),
        }
    )
    return render(
        request,
        "asistencia/consulta_detalle.html",
        {
            "consulta": consulta,
            "mensajes": mensajes,
            "formulario": formulario if puede_escribir else None,
            "publicar": publicar if puede_publicar else None,
        },
    )


@require_POST
@login_required
def consulta_publicar(request: HttpRequest, pk: int) -> HttpResponse:
    consulta = permisos.obtener_para(request.user, "consulta.publicar", Consulta, pk)
    formulario = forms.PublicarForm(request.POST)
    if formulario.is_valid():
        try:
            services.consulta_publicar(
                consulta=consulta, usuario=request.user, **formulario.cleaned_data
            )
        except ValidationError as error:
            messages.error(request, _errores(error))
        else:
            messages.success(request, "Publicada en las preguntas frecuentes.")
    else:
        messages.error(request, "Escriba la pregunta y la respuesta que se publicarán.")
    return redirect("asistencia:consulta_detalle", consulta.pk)


@login_required
def preguntas_frecuentes(request: HttpRequest) -> HttpResponse:
    permisos.exigir(request.user, "consulta.consultar")
    anio = _anio(request)
    return render(
        request,
        "asistencia/preguntas_frecuentes.html",
        {"anio": anio, "preguntas": selectors.preguntas_frecuentes(anio=anio)},
    )


# --- The plan -------------------------------------------------------------------------------


@login_required
def actividad_nueva(request: HttpRequest) -> HttpResponse:
    permisos.exigir(request.user, "actividad.planificar")
    anio = _anio(request)
    formulario = forms.ActividadForm(
        request.POST or None, initial={"responsable": request.user.pk}, anio=anio
    )
    if request.method == "POST" and formulario.is_valid():
        datos = formulario.cleaned_data
        servicios, criterio = [], "Sin servicios convocados"
        if not datos["sin_convocados"]:
            servicios = selectors.servicios_elegibles(
                anio=anio,
                tipo=datos["tipo_servicio"],
                ministerio=datos["ministerio"],
                region=datos["region"],
                atrasados_en=datos["atrasados_en"],
            )
            criterio = _criterio(datos, anio, dict(formulario.fields["atrasados_en"].choices))
        if not servicios and not datos["sin_convocados"]:
            formulario.add_error(
                None,
                f"Ningún servicio del PMG {anio} cumple lo elegido ({criterio}). Cambie los "
                "criterios o marque «Sin servicios convocados».",
            )
        else:
            inicio, fin = formulario.momentos()
            actividad = services.actividad_planificar(
                usuario=request.user,
                anio=anio,
                tipo=datos["tipo"],
                tema=datos["tema"],
                inicio=inicio,
                fin=fin,
                responsable=datos["responsable"],
                servicios=servicios,
                criterio=criterio,
                lugar=datos["lugar"],
                enlace=datos["enlace"],
                materiales=datos["materiales"],
            )
            messages.success(
                request, f"Actividad planificada con {len(servicios)} servicio(s) convocado(s)."
            )
            return redirect("asistencia:actividad_detalle", actividad.pk)
    return render(
        request, "asistencia/actividad_nueva.html", {"formulario": formulario, "anio": anio}
    )


def _criterio(datos: dict, anio: int, entregables: dict[str, str]) -> str:
    partes = [f"PMG {anio}"]
    for campo in ("tipo_servicio", "ministerio", "region"):
        if datos.get(campo):
            partes.append(str(datos[campo]))
    if datos.get("atrasados_en"):
        partes.append(f"atrasados en el {entregables[datos['atrasados_en']].lower()}")
    return " · ".join(partes)


@login_required
def actividad_detalle(request: HttpRequest, pk: int) -> HttpResponse:
    permisos.exigir(request.user, "actividad.consultar")
    actividad = selectors.actividad_visible(usuario=request.user, pk=pk)
    convocados = selectors.convocados_de(usuario=request.user, actividad=actividad)
    gestiona = permisos.puede(request.user, "actividad.asistencia")
    return render(
        request,
        "asistencia/actividad_detalle.html",
        {
            "actividad": actividad,
            "convocados": convocados,
            "acuerdos": selectors.acuerdos_de(usuario=request.user, actividad=actividad),
            "puede_convocar": permisos.puede(request.user, "actividad.convocar")
            and actividad.estado not in (actividad.Estado.REALIZADA, actividad.Estado.CANCELADA)
            and bool(convocados),
            # Editing and cancelling: the same rule (planning) on an activity not yet held.
            "puede_cancelar": permisos.puede(request.user, "actividad.planificar")
            and actividad.estado not in (actividad.Estado.REALIZADA, actividad.Estado.CANCELADA),
            "gestiona": gestiona,
            "puede_inscribir": permisos.puede(request.user, "actividad.inscribir")
            and actividad.estado not in (actividad.Estado.REALIZADA, actividad.Estado.CANCELADA),
            "inscripcion": forms.InscripcionForm(),
            "acta": forms.ActaForm(initial={"acta": actividad.acta}),
            "acuerdo": forms.AcuerdoForm(
                servicios=Servicio.objects.filter(convocatorias__actividad=actividad)
            ),
        },
    )


@login_required
def actividad_ics(request: HttpRequest, pk: int) -> HttpResponse:
    permisos.exigir(request.user, "actividad.consultar")
    actividad = selectors.actividad_visible(usuario=request.user, pk=pk)
    respuesta = HttpResponse(
        convocatorias.ics(actividad), content_type="text/calendar; charset=utf-8"
    )
    respuesta["Content-Disposition"] = f'attachment; filename="actividad-{actividad.pk}.ics"'
    return respuesta


@require_POST
@login_required
def actividad_convocar(request: HttpRequest, pk: int) -> HttpResponse:
    permisos.exigir(request.user, "actividad.convocar")
    actividad = selectors.actividad_visible(usuario=request.user, pk=pk)
    try:
        total = services.actividad_convocar(actividad=actividad, usuario=request.user)
    except ValidationError as error:
        messages.error(request, _errores(error))
    else:
        messages.success(request, f"Convocatoria enviada por correo a {total} servicio(s).")
    return redirect("asistencia:actividad_detalle", actividad.pk)


@login_required
def actividad_editar(request: HttpRequest, pk: int) -> HttpResponse:
    permisos.exigir(request.user, "actividad.planificar")
    actividad = selectors.actividad_visible(usuario=request.user, pk=pk)
    formulario = forms.ActividadEdicionForm(
        request.POST or None, initial=forms.ActividadEdicionForm.inicial(actividad)
    )
    if request.method == "POST" and formulario.is_valid():
        datos = formulario.cleaned_data
        inicio, fin = formulario.momentos()
        try:
            total = services.actividad_editar(
                actividad=actividad,
                usuario=request.user,
                tipo=datos["tipo"],
                tema=datos["tema"],
                inicio=inicio,
                fin=fin,
                lugar=datos["lugar"],
                enlace=datos["enlace"],
                materiales=datos["materiales"],
                responsable=datos["responsable"],
            )
        except ValidationError as error:
            formulario.add_error(None, error)
        else:
            aviso = f" Se envió la invitación actualizada a {total} servicio(s)." if total else ""
            messages.success(request, "Actividad modificada." + aviso)
            return redirect("asistencia:actividad_detalle", actividad.pk)
    return render(
        request,
        "asistencia/actividad_editar.html",
        {"formulario": formulario, "actividad": actividad},
    )


@require_POST
@login_required
def actividad_cancelar(request: HttpRequest, pk: int) -> HttpResponse:
    permisos.exigir(request.user, "actividad.planificar")
    actividad = selectors.actividad_visible(usuario=request.user, pk=pk)
    try:
        total = services.actividad_cancelar(
            actividad=actividad, motivo=request.POST.get("motivo", "")[:300], usuario=request.user
        )
    except ValidationError as error:
        messages.error(request, _errores(error))
    else:
        messages.success(
            request,
            "Actividad cancelada."
            + (
                f" Se avisó por correo a {total} servicio(s), con la cancelación para su calendario."
                if total
                else ""
            ),
        )
    return redirect("asistencia:actividad_detalle", actividad.pk)


@require_POST
@login_required
def inscribir(request: HttpRequest, pk: int) -> HttpResponse:
    convocado = permisos.obtener_para(
        request.user,
        "actividad.inscribir",
        Convocado,
        pk,
        Convocado.objects.select_related("actividad"),
    )
    formulario = forms.InscripcionForm(request.POST)
    if formulario.is_valid():
        try:
            services.inscripcion_crear(
                convocado=convocado, usuario=request.user, **formulario.cleaned_data
            )
        except ValidationError as error:
            messages.error(request, _errores(error))
        else:
            messages.success(request, f"Inscrita: {formulario.cleaned_data['nombre']}.")
    else:
        messages.error(request, "Escriba el nombre de quien asistirá (y un correo válido).")
    return redirect(
        reverse("asistencia:actividad_detalle", args=[convocado.actividad_id]) + "#inscripciones"
    )


@require_POST
@login_required
def asistencia_registrar(request: HttpRequest, pk: int) -> HttpResponse:
    permisos.exigir(request.user, "actividad.asistencia")
    actividad = selectors.actividad_visible(usuario=request.user, pk=pk)
    presentes = entradas.ids(request.POST.getlist("presentes"))
    if presentes is None:
        messages.error(request, "La lista de asistencia no es válida: márquela de nuevo.")
    else:
        try:
            total = services.asistencia_registrar(
                actividad=actividad, presentes=presentes, usuario=request.user
            )
        except ValidationError as error:
            messages.error(request, _errores(error))
        else:
            messages.success(request, f"Asistencia registrada: {total} persona(s) presente(s).")
    return redirect(reverse("asistencia:actividad_detalle", args=[actividad.pk]) + "#asistencia")


@require_POST
@login_required
def acuerdo_nuevo(request: HttpRequest, pk: int) -> HttpResponse:
    permisos.exigir(request.user, "actividad.asistencia")
    actividad = selectors.actividad_visible(usuario=request.user, pk=pk)
    formulario = forms.AcuerdoForm(
        request.POST, servicios=Servicio.objects.filter(convocatorias__actividad=actividad)
    )
    if formulario.is_valid():
        services.acuerdo_crear(actividad=actividad, usuario=request.user, **formulario.cleaned_data)
        messages.success(request, "Acuerdo agregado al acta.")
    else:
        messages.error(request, "El acuerdo necesita su texto, un responsable y un plazo.")
    return redirect(reverse("asistencia:actividad_detalle", args=[actividad.pk]) + "#acta")


@require_POST
@login_required
def acta_enviar(request: HttpRequest, pk: int) -> HttpResponse:
    permisos.exigir(request.user, "actividad.asistencia")
    actividad = selectors.actividad_visible(usuario=request.user, pk=pk)
    formulario = forms.ActaForm(request.POST)
    try:
        if not formulario.is_valid():
            raise ValidationError("Escriba el acta antes de enviarla.")
        total = services.acta_enviar(
            actividad=actividad, acta=formulario.cleaned_data["acta"], usuario=request.user
        )
    except ValidationError as error:
        messages.error(request, _errores(error))
    else:
        messages.success(request, f"Acta enviada ({total} correo(s)).")
    return redirect(reverse("asistencia:actividad_detalle", args=[actividad.pk]) + "#acta")


@require_POST
@login_required
def acuerdo_cerrar(request: HttpRequest, pk: int) -> HttpResponse:
    permisos.exigir(request.user, "acuerdo.cerrar")
    acuerdo = permisos.obtener(request.user, Acuerdo, pk)
    formulario = forms.CierreForm(request.POST)
    try:
        if not formulario.is_valid():
            raise ValidationError("Diga cómo se cumplió el acuerdo antes de cerrarlo.")
        services.acuerdo_cerrar(
            acuerdo=acuerdo, cierre=formulario.cleaned_data["cierre"], usuario=request.user
        )
    except ValidationError as error:
        messages.error(request, _errores(error))
    else:
        messages.success(request, "Acuerdo cerrado.")
    return redirect(reverse("asistencia:actividad_detalle", args=[acuerdo.actividad_id]) + "#acta")


# --- Contacts -------------------------------------------------------------------------------


@login_required
def contacto_nuevo(request: HttpRequest, servicio_pk: int, anio: int) -> HttpResponse:
    servicio = permisos.obtener(request.user, Servicio, servicio_pk)
    if entradas.anio(str(anio)) is None:
        raise permisos.FueraDeAlcance("Año no válido.", servicio_id=None, descripcion=str(anio))
    informe = None
    informe_pk = entradas.entero(request.GET.get("informe"))
    if informe_pk:
        informe = (
            permisos.visibles(request.user, InformeAvance)
            .filter(pk=informe_pk, formulacion__servicio=servicio)
            .first()
        )
    permisos.exigir(request.user, "contacto.registrar", Contacto(servicio=servicio, anio=anio))
    formulario = forms.ContactoForm(request.POST or None)
    if request.method == "POST" and formulario.is_valid():
        try:
            services.contacto_registrar(
                servicio=servicio,
                anio=anio,
                usuario=request.user,
                informe=informe,
                **formulario.cleaned_data,
            )
        except ValidationError as error:
            formulario.add_error(None, error)
        else:
            messages.success(request, f"Contacto con {servicio.nombre} registrado.")
            if informe is not None:
                return redirect("validacion:informe_revisar", informe.pk)
            return redirect("servicios:servicio_detalle", servicio.pk)
    return render(
        request,
        "asistencia/contacto_nuevo.html",
        {
            "formulario": formulario,
            "servicio": servicio,
            "anio": anio,
            "informe": informe,
            "contactos": selectors.contactos(usuario=request.user, servicio=servicio)[:10],
        },
    )


def ficha_asistencia(request: HttpRequest, servicio: Servicio) -> dict[str, Any] | None:
    """The servicio's ficha: its contacts with SUBDERE, consultas and activities attended."""
    if not permisos.puede(request.user, "consulta.consultar"):
        return None
    return {
        "contactos": list(selectors.contactos(usuario=request.user, servicio=servicio)[:20]),
        "consultas": list(selectors.consultas(usuario=request.user).filter(servicio=servicio)[:20]),
        "convocatorias": list(
            permisos.visibles(request.user, Convocado)
            .filter(servicio=servicio)
            .select_related("actividad")
            .order_by("-actividad__inicio")[:20]
        ),
        "puede_registrar": permisos.puede(request.user, "contacto.registrar"),
        "anio": _anio(request),
    }


# --- Documents ------------------------------------------------------------------------------


@login_required
def documentos(request: HttpRequest) -> HttpResponse:
    permisos.exigir(request.user, "documento.consultar")
    anio = _anio(request)
    puede_publicar = permisos.puede(request.user, "documento.publicar")
    formulario = forms.DocumentoForm(
        request.POST or None, request.FILES or None, initial={"anio": anio}
    )
    if request.method == "POST":
        permisos.exigir(request.user, "documento.publicar")
        if formulario.is_valid():
            datos = formulario.cleaned_data
            try:
                documento = services.documento_crear(
                    anio=datos["anio"],
                    tipo=datos["tipo"],
                    titulo=datos["titulo"],
                    descripcion=datos["descripcion"],
                    para_todos=datos["para_todos"],
                    servicios=datos["servicios"],
                    archivo=datos["archivo"],
                    usuario=request.user,
                )
            except ValidationError as error:
                formulario.add_error("archivo", error)
            else:
                messages.success(request, "Documento agregado; revise y publíquelo.")
                return redirect("asistencia:documento_detalle", documento.pk)
    return render(
        request,
        "asistencia/documentos.html",
        {
            "anio": anio,
            "documentos": selectors.documentos(usuario=request.user, anio=anio),
            "formulario": formulario if puede_publicar else None,
        },
    )


@login_required
def documento_detalle(request: HttpRequest, pk: int) -> HttpResponse:
    permisos.exigir(request.user, "documento.consultar")
    try:
        documento = selectors.documentos(usuario=request.user).get(pk=pk)
    except DocumentoTecnico.DoesNotExist:
        raise permisos.FueraDeAlcance(
            "Documento no encontrado.", servicio_id=None, descripcion=f"documento n.º {pk}"
        ) from None
    puede_publicar = permisos.puede(request.user, "documento.publicar")
    formulario = forms.VersionForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        permisos.exigir(request.user, "documento.publicar")
        if formulario.is_valid():
            try:
                version = services.documento_version_agregar(
                    documento=documento, usuario=request.user, **formulario.cleaned_data
                )
            except ValidationError as error:
                formulario.add_error("archivo", error)
            else:
                messages.success(request, f"Versión {version.numero} agregada.")
                return redirect("asistencia:documento_detalle", documento.pk)
    return render(
        request,
        "asistencia/documento_detalle.html",
        {
            "documento": documento,
            "versiones": documento.versiones.select_related("subida_por").order_by("-numero"),
            "lecturas": selectors.lecturas_de(documento=documento) if puede_publicar else None,
            "destinatarios": documento.servicios.order_by("nombre") if puede_publicar else None,
            "formulario": formulario if puede_publicar else None,
        },
    )


@require_POST
@login_required
def documento_publicar(request: HttpRequest, pk: int) -> HttpResponse:
    permisos.exigir(request.user, "documento.publicar")
    documento = selectors.documentos(usuario=request.user).filter(pk=pk).first()
    if documento is None:
        raise permisos.FueraDeAlcance(
            "Documento no encontrado.", servicio_id=None, descripcion=f"documento n.º {pk}"
        )
    try:
        total = services.documento_publicar(documento=documento, usuario=request.user)
    except ValidationError as error:
        messages.error(request, _errores(error))
    else:
        messages.success(request, f"Documento publicado; aviso a {total} persona(s).")
    return redirect("asistencia:documento_detalle", documento.pk)


@login_required
def version_descargar(request: HttpRequest, pk: int) -> HttpResponse:
    permisos.exigir(request.user, "documento.consultar")
    version = selectors.version_visible(usuario=request.user, pk=pk)
    services.documento_abrir(version=version, usuario=request.user)
    respuesta = FileResponse(
        version.archivo.open("rb"),
        as_attachment=True,
        filename=version.nombre_original,
        content_type="application/octet-stream",
    )
    respuesta["X-Content-Type-Options"] = "nosniff"
    respuesta["Cache-Control"] = "private, no-store"
    return respuesta


# --- Figures --------------------------------------------------------------------------------


@login_required
def cifras(request: HttpRequest) -> HttpResponse:
    permisos.exigir(request.user, "asistencia.cifras")
    anio = _anio(request)
    return render(
        request,
        "asistencia/cifras.html",
        {
            "anio": anio,
            "cifras": selectors.cifras(anio=anio),
            "servicios": selectors.asistencia_y_resultados(anio=anio),
        },
    )
