"""Writes of technical assistance: each asks the permission door and logs its event."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.urls import reverse
from django.utils import timezone

from asistencia import selectors
from asistencia.models import (
    Actividad,
    Acuerdo,
    Consulta,
    Contacto,
    Convocado,
    DocumentoTecnico,
    Inscripcion,
    LecturaDocumento,
    MensajeConsulta,
    VersionDocumento,
)
from bitacora.avisos import avisar
from bitacora.services import evento_registrar
from compromisos.models import Compromiso, InformeAvance
from compromisos.validators import revisar_archivo
from habiles.calendario import CalendarioHabil, plazo_habil
from servicios.models import Servicio
from servicios.selectors import analistas_de, encargados_de
from srm import formato, permisos

# How the actions this app logs read in a timeline (registered with bitacora.acciones).
DESCRIPCION_ACCIONES = {
    "consulta.crear": "hizo una consulta a SUBDERE",
    "consulta.mensaje": "escribió en una consulta",
    "consulta.responder": "respondió una consulta",
    "consulta.publicar": "publicó una consulta como pregunta frecuente",
    "actividad.planificar": "planificó una actividad de asistencia técnica",
    "actividad.convocar": "convocó a una actividad de asistencia técnica",
    "actividad.cancelar": "canceló una actividad de asistencia técnica",
    "actividad.editar": "modificó una actividad de asistencia técnica",
    "actividad.inscribir": "inscribió a una persona en una actividad",
    "actividad.asistencia": "registró la asistencia de una actividad",
    "actividad.acta": "envió el acta de una actividad",
    "acuerdo.crear": "registró un acuerdo",
    "acuerdo.cerrar": "cerró un acuerdo",
    "contacto.registrar": "registró un contacto con el servicio",
    "documento.crear": "agregó un documento técnico",
    "documento.version": "subió una versión nueva de un documento técnico",
    "documento.publicar": "publicó un documento técnico",
    "documento.abrir": "abrió un documento técnico",
}

DETALLE_ACCIONES = {
    "consulta.crear": lambda d: f"«{d['asunto']}», responder a más tardar el {d['plazo']}",
    "contacto.registrar": lambda d: f"{d['canal']}: «{d['tema']}»",
    "actividad.convocar": lambda d: f"«{d['tema']}» del {d['fecha']}",
    "actividad.cancelar": lambda d: f"«{d['tema']}» del {d['fecha']}: {d['motivo']}",
    "acuerdo.cerrar": lambda d: f"«{d['acuerdo']}»",
    "documento.abrir": lambda d: f"«{d['titulo']}», versión {d['version']}",
}


# --- Consultas ------------------------------------------------------------------------------


@transaction.atomic
def consulta_crear(
    *,
    servicio: Servicio,
    anio: int,
    asunto: str,
    texto: str,
    usuario: Any,
    compromiso: Compromiso | None = None,
    informe: InformeAvance | None = None,
    hoy: datetime.date | None = None,
) -> Consulta:
    """A servicio asks; the deadline counts the year's días hábiles from today."""
    consulta = Consulta(servicio=servicio, anio=anio, asunto=asunto.strip(), autor=usuario)
    permisos.exigir(usuario, "consulta.crear", consulta)
    for objeto in (compromiso, informe):
        if objeto is not None and objeto.formulacion.servicio_id != servicio.pk:
            raise ValidationError("La consulta solo puede referirse a documentos de su servicio.")
    hoy = hoy or timezone.localdate()
    configuracion = selectors.configuracion(anio)
    consulta.compromiso, consulta.informe = compromiso, informe
    consulta.dias_habiles = configuracion.dias_respuesta_consulta
    consulta.plazo = plazo_habil(hoy, consulta.dias_habiles)
    consulta.save()
    MensajeConsulta.objects.create(consulta=consulta, autor=usuario, texto=texto.strip())
    evento_registrar(
        usuario=usuario,
        accion="consulta.crear",
        objeto=consulta,
        servicio_id=servicio.pk,
        detalle={"asunto": consulta.asunto, "plazo": formato.fecha(consulta.plazo)},
    )
    avisar(
        clave=f"consulta:{consulta.pk}:nueva",
        destinatarios=analistas_de(servicio.pk, anio),
        asunto=f"[SRM] Consulta de {servicio.nombre}: {consulta.asunto}"[:200],
        plantilla="asistencia/correos/consulta.txt",
        contexto={"consulta": consulta, "motivo": "nueva", "url": _url_consulta(consulta)},
    )
    return consulta


def _url_consulta(consulta: Consulta) -> str:
    return reverse("asistencia:consulta_detalle", args=[consulta.pk])


@transaction.atomic
def consulta_escribir(*, consulta: Consulta, texto: str, usuario: Any) -> MensajeConsulta:
    """A message in the thread: SUBDERE's first one answers the consulta."""
    # The analista of the cartera answers; the servicio that asked writes back.
    de_subdere = permisos.puede(usuario, "consulta.responder", consulta)
    if not de_subdere:
        permisos.exigir(usuario, "consulta.crear", consulta)
    consulta = Consulta.objects.select_for_update().get(pk=consulta.pk)
    mensaje = MensajeConsulta.objects.create(
        consulta=consulta, autor=usuario, texto=texto.strip(), de_subdere=de_subdere
    )
    if de_subdere:
        primera = consulta.estado == Consulta.Estado.PENDIENTE
        if primera:
            consulta.estado = Consulta.Estado.RESPONDIDA
            consulta.respondida_en = mensaje.creado
            consulta.save(update_fields=["estado", "respondida_en"])
        evento_registrar(
            usuario=usuario,
            accion="consulta.responder" if primera else "consulta.mensaje",
            objeto=consulta,
            servicio_id=consulta.servicio_id,
        )
        avisar(
            clave=f"consulta:{consulta.pk}:mensaje:{mensaje.pk}",
            destinatarios=encargados_de(consulta.servicio_id),
            asunto=f"[SRM] SUBDERE respondió su consulta: {consulta.asunto}"[:200],
            plantilla="asistencia/correos/consulta.txt",
            contexto={"consulta": consulta, "motivo": "respuesta", "url": _url_consulta(consulta)},
        )
    else:
        evento_registrar(
            usuario=usuario,
            accion="consulta.mensaje",
            objeto=consulta,
            servicio_id=consulta.servicio_id,
        )
        avisar(
            clave=f"consulta:{consulta.pk}:mensaje:{mensaje.pk}",
            destinatarios=analistas_de(consulta.servicio_id, consulta.anio),
            asunto=f"[SRM] {consulta.servicio.nombre} escribió en su consulta"[:200],
            plantilla="asistencia/correos/consulta.txt",
            contexto={"consulta": consulta, "motivo": "mensaje", "url": _url_consulta(consulta)},
        )
    return mensaje


@transaction.atomic
def consulta_publicar(*, consulta: Consulta, pregunta: str, respuesta: str, usuario: Any) -> None:
    """Publish an answered consulta, in words without names, as a pregunta frecuente."""
    permisos.exigir(usuario, "consulta.publicar", consulta)
    consulta = Consulta.objects.select_for_update().get(pk=consulta.pk)
    if consulta.estado != Consulta.Estado.RESPONDIDA:
        raise ValidationError("Solo se publica una consulta ya respondida.")
    consulta.pregunta_publicada = pregunta.strip()
    consulta.respuesta_publicada = respuesta.strip()
    consulta.publicada_en = consulta.publicada_en or timezone.now()
    consulta.save(update_fields=["pregunta_publicada", "respuesta_publicada", "publicada_en"])
    evento_registrar(usuario=usuario, accion="consulta.publicar", objeto=consulta, servicio_id=None)


def consultas_recordar(*, hoy: datetime.date) -> int:
    """Remind the analysts of pending consultas: `dias_aviso_antes` días hábiles before the
    deadline, and once the day after it passed. Each reminder is sent once (its key)."""
    pendientes = list(
        Consulta.objects.filter(estado=Consulta.Estado.PENDIENTE).select_related("servicio")
    )
    if not pendientes:
        return 0
    plazos = [consulta.plazo for consulta in pendientes]
    calendario = CalendarioHabil.desde_hasta(min([*plazos, hoy]), max([*plazos, hoy]))
    avisos_por_anio = {
        anio: selectors.configuracion(anio).dias_aviso_antes
        for anio in {consulta.anio for consulta in pendientes}
    }
    nuevas = 0
    for consulta in pendientes:
        if consulta.plazo < hoy:
            motivo = "vencida"
        elif calendario.habiles_entre(hoy, consulta.plazo) <= avisos_por_anio[consulta.anio]:
            motivo = "por_vencer"
        else:
            continue
        nuevas += avisar(
            clave=f"consulta:{consulta.pk}:recordatorio:{motivo}",
            destinatarios=analistas_de(consulta.servicio_id, consulta.anio),
            asunto=(
                f"[SRM] Consulta por responder: vence el {formato.fecha(consulta.plazo)}"
                if motivo == "por_vencer"
                else f"[SRM] Consulta sin responder: venció el {formato.fecha(consulta.plazo)}"
            ),
            plantilla="asistencia/correos/consulta.txt",
            contexto={"consulta": consulta, "motivo": motivo, "url": _url_consulta(consulta)},
        )
    return nuevas


# --- The plan's activities ------------------------------------------------------------------


@transaction.atomic
def actividad_planificar(
    *,
    usuario: Any,
    anio: int,
    tipo: str,
    tema: str,
    inicio: datetime.datetime,
    fin: datetime.datetime,
    responsable: Any,
    servicios: Iterable[Servicio] = (),
    criterio: str = "",
    lugar: str = "",
    enlace: str = "",
    materiales: str = "",
) -> Actividad:
    permisos.exigir(usuario, "actividad.planificar")
    if fin < inicio:
        raise ValidationError("El término no puede ser anterior al inicio.")
    actividad = Actividad.objects.create(
        anio=anio,
        tipo=tipo,
        tema=tema.strip(),
        inicio=inicio,
        fin=fin,
        lugar=lugar,
        enlace=enlace,
        materiales=materiales,
        responsable=responsable,
        criterio=criterio[:300],
        creada_por=usuario,
    )
    Convocado.objects.bulk_create(
        [Convocado(actividad=actividad, servicio=servicio) for servicio in servicios]
    )
    evento_registrar(
        usuario=usuario,
        accion="actividad.planificar",
        objeto=actividad,
        servicio_id=None,
        anio=anio,
    )
    return actividad


@transaction.atomic
def actividad_convocar(*, actividad: Actividad, usuario: Any) -> int:
    """Send (or send again, updated) the invitation with its .ics to every convened servicio,
    after the commit, through Celery. Returns how many servicios are convened."""
    from asistencia.tasks import enviar_convocatoria

    permisos.exigir(usuario, "actividad.convocar")
    actividad = Actividad.objects.select_for_update().get(pk=actividad.pk)
    if actividad.estado == Actividad.Estado.REALIZADA:
        raise ValidationError("La actividad ya se realizó: no se convoca de nuevo.")
    if actividad.estado == Actividad.Estado.CANCELADA:
        raise ValidationError("La actividad fue cancelada: no se convoca.")
    convocados = list(actividad.convocados.all())
    if not convocados:
        raise ValidationError("La actividad no tiene servicios convocados.")
    if actividad.convocada_en is not None:
        actividad.secuencia += 1
    actividad.estado = Actividad.Estado.CONVOCADA
    actividad.convocada_en = timezone.now()
    actividad.save(update_fields=["estado", "convocada_en", "secuencia"])
    fecha = formato.fecha(timezone.localtime(actividad.inicio).date())
    for convocado in convocados:
        evento_registrar(
            usuario=usuario,
            accion="actividad.convocar",
            objeto=convocado,
            servicio_id=convocado.servicio_id,
            detalle={"tema": actividad.tema, "fecha": fecha},
        )
        enviar_convocatoria.delay_on_commit(
            convocado_id=convocado.pk, secuencia=actividad.secuencia
        )
    return len(convocados)


CAMPOS_EDITABLES = ("tipo", "tema", "inicio", "fin", "lugar", "enlace", "materiales", "responsable")


@transaction.atomic
def actividad_editar(*, actividad: Actividad, usuario: Any, **cambios: Any) -> int:
    """Change an activity not yet held (date, time, place, topic…). When it was already
    convoked, the convened receive the updated invitation (same UID, new SEQUENCE) through
    Celery after the commit. Returns how many servicios are told (0 when none were)."""
    from asistencia.tasks import enviar_convocatoria

    permisos.exigir(usuario, "actividad.planificar")
    actividad = Actividad.objects.select_for_update().get(pk=actividad.pk)
    if actividad.estado in (Actividad.Estado.REALIZADA, Actividad.Estado.CANCELADA):
        raise ValidationError(
            f"La actividad ya está {actividad.get_estado_display().lower()}: no se modifica."
        )
    desconocidos = set(cambios) - set(CAMPOS_EDITABLES)
    if desconocidos:
        raise ValueError(f"Campos que no se editan: {sorted(desconocidos)}")
    cambios = {
        campo: valor.strip() if isinstance(valor, str) else valor
        for campo, valor in cambios.items()
    }
    if cambios.get("fin", actividad.fin) < cambios.get("inicio", actividad.inicio):
        raise ValidationError("El término no puede ser anterior al inicio.")
    cambiados = [c for c, v in cambios.items() if getattr(actividad, c) != v]
    if not cambiados:
        return 0
    for campo in cambiados:
        setattr(actividad, campo, cambios[campo])
    avisar_a = list(actividad.convocados.all()) if actividad.convocada_en is not None else []
    if avisar_a:
        actividad.secuencia += 1
        actividad.convocada_en = timezone.now()
    actividad.save()
    evento_registrar(
        usuario=usuario,
        accion="actividad.editar",
        objeto=actividad,
        servicio_id=None,
        anio=actividad.anio,
        detalle={"campos": cambiados},
    )
    for convocado in avisar_a:
        enviar_convocatoria.delay_on_commit(
            convocado_id=convocado.pk, secuencia=actividad.secuencia
        )
    return len(avisar_a)


@transaction.atomic
def actividad_cancelar(*, actividad: Actividad, motivo: str, usuario: Any) -> int:
    """Cancel an activity not yet held. Those already convened receive, through Celery after
    the commit, the cancellation of the same calendar entry (METHOD:CANCEL, a new SEQUENCE).
    Returns how many servicios are told."""
    from asistencia.tasks import enviar_convocatoria

    permisos.exigir(usuario, "actividad.planificar")
    actividad = Actividad.objects.select_for_update().get(pk=actividad.pk)
    if actividad.estado in (Actividad.Estado.REALIZADA, Actividad.Estado.CANCELADA):
        raise ValidationError(
            f"La actividad ya está {actividad.get_estado_display().lower()}: no se cancela."
        )
    motivo = motivo.strip()
    if not motivo:
        raise ValidationError("Diga el motivo de la cancelación: va en el aviso a los servicios.")
    # Everyone convened once it was convoked (an invitation still queued then sends this).
    avisar_a = list(actividad.convocados.all()) if actividad.convocada_en is not None else []
    if actividad.convocada_en is not None:
        actividad.secuencia += 1
    actividad.estado = Actividad.Estado.CANCELADA
    actividad.cancelada_en = timezone.now()
    actividad.motivo_cancelacion = motivo[:300]
    actividad.save(update_fields=["estado", "cancelada_en", "motivo_cancelacion", "secuencia"])
    evento_registrar(
        usuario=usuario,
        accion="actividad.cancelar",
        objeto=actividad,
        servicio_id=None,
        anio=actividad.anio,
        detalle={
            "tema": actividad.tema,
            "fecha": formato.fecha(timezone.localtime(actividad.inicio).date()),
            "motivo": actividad.motivo_cancelacion,
        },
    )
    for convocado in avisar_a:
        enviar_convocatoria.delay_on_commit(
            convocado_id=convocado.pk, secuencia=actividad.secuencia
        )
    return len(avisar_a)


@transaction.atomic
def inscripcion_crear(
    *, convocado: Convocado, nombre: str, usuario: Any, cargo: str = "", correo: str = ""
) -> Inscripcion:
    permisos.exigir(usuario, "actividad.inscribir", convocado)
    if convocado.actividad.estado == Actividad.Estado.REALIZADA:
        raise ValidationError("La actividad ya se realizó: no admite inscripciones.")
    if convocado.actividad.estado == Actividad.Estado.CANCELADA:
        raise ValidationError("La actividad fue cancelada: no admite inscripciones.")
    inscripcion = Inscripcion.objects.create(
        convocado=convocado,
        nombre=nombre.strip(),
        cargo=cargo.strip(),
        correo=correo.strip(),
        inscrita_por=usuario,
    )
    evento_registrar(
        usuario=usuario,
        accion="actividad.inscribir",
        objeto=inscripcion,
        servicio_id=convocado.servicio_id,
        descripcion=f"{inscripcion.nombre} · {convocado.actividad}",
    )
    return inscripcion


@transaction.atomic
def asistencia_registrar(*, actividad: Actividad, presentes: Iterable[int], usuario: Any) -> int:
    """Attendance taken on the day: every registered person is marked present or absent."""
    permisos.exigir(usuario, "actividad.asistencia")
    if actividad.estado == Actividad.Estado.CANCELADA:
        raise ValidationError("La actividad fue cancelada: no se toma asistencia.")
    dia = timezone.localtime(actividad.inicio).date()
    if timezone.localdate() < dia:
        raise ValidationError(
            f"La asistencia se toma el día de la actividad ({formato.fecha(dia)}), no antes."
        )
    presentes = set(presentes)
    inscritas = Inscripcion.objects.filter(convocado__actividad=actividad)
    inscritas.filter(pk__in=presentes).update(asistio=True)
    inscritas.exclude(pk__in=presentes).update(asistio=False)
    Actividad.objects.filter(pk=actividad.pk).update(estado=Actividad.Estado.REALIZADA)
    actividad.estado = Actividad.Estado.REALIZADA
    evento_registrar(
        usuario=usuario,
        accion="actividad.asistencia",
        objeto=actividad,
        servicio_id=None,
        anio=actividad.anio,
        detalle={"presentes": len(presentes)},
    )
    return inscritas.filter(asistio=True).count()


@transaction.atomic
def acuerdo_crear(
    *,
    actividad: Actividad,
    descripcion: str,
    responsable: str,
    plazo: datetime.date,
    usuario: Any,
    servicio: Servicio | None = None,
) -> Acuerdo:
    permisos.exigir(usuario, "actividad.asistencia")
    if servicio is not None and not actividad.convocados.filter(servicio=servicio).exists():
        raise ValidationError("El acuerdo solo puede asignarse a un servicio convocado.")
    acuerdo = Acuerdo.objects.create(
        actividad=actividad,
        servicio=servicio,
        descripcion=descripcion.strip(),
        responsable=responsable.strip(),
        plazo=plazo,
    )
    evento_registrar(
        usuario=usuario,
        accion="acuerdo.crear",
        objeto=acuerdo,
        servicio_id=servicio.pk if servicio else None,
        anio=actividad.anio,
    )
    return acuerdo


@transaction.atomic
def acta_enviar(*, actividad: Actividad, acta: str, usuario: Any) -> int:
    """Save the acta and mail it, with its acuerdos, to the convened servicios' encargados."""
    permisos.exigir(usuario, "actividad.asistencia")
    if not acta.strip():
        raise ValidationError("Escriba el acta antes de enviarla.")
    actividad.acta = acta.strip()
    actividad.acta_enviada_en = timezone.now()
    actividad.save(update_fields=["acta", "acta_enviada_en"])
    servicios = list(actividad.convocados.values_list("servicio_id", flat=True))
    destinatarios = list(
        get_user_model().objects.filter(membresias__servicio__in=servicios, is_active=True)
    )
    evento_registrar(
        usuario=usuario,
        accion="actividad.acta",
        objeto=actividad,
        servicio_id=None,
        anio=actividad.anio,
    )
    return avisar(
        clave=f"actividad:{actividad.pk}:acta:{actividad.acta_enviada_en.isoformat()}",
        destinatarios=destinatarios,
        asunto=f"[SRM] Acta: {actividad.tema}"[:200],
        plantilla="asistencia/correos/acta.txt",
        contexto={
            "actividad": actividad,
            "acuerdos": list(actividad.acuerdos.select_related("servicio")),
            "url": reverse("asistencia:actividad_detalle", args=[actividad.pk]),
        },
    )


@transaction.atomic
def acuerdo_cerrar(*, acuerdo: Acuerdo, cierre: str, usuario: Any) -> None:
    permisos.exigir(usuario, "acuerdo.cerrar")
    acuerdo = Acuerdo.objects.select_for_update().select_related("actividad").get(pk=acuerdo.pk)
    if acuerdo.cerrado_en is not None:
        raise ValidationError("El acuerdo ya estaba cerrado.")
    if not cierre.strip():
        raise ValidationError("Diga cómo se cumplió el acuerdo antes de cerrarlo.")
    acuerdo.cerrado_en = timezone.now()
    acuerdo.cerrado_por = usuario
    acuerdo.cierre = cierre.strip()
    acuerdo.save(update_fields=["cerrado_en", "cerrado_por", "cierre"])
    evento_registrar(
        usuario=usuario,
        accion="acuerdo.cerrar",
        objeto=acuerdo,
        servicio_id=acuerdo.servicio_id,
        anio=acuerdo.actividad.anio,
        detalle={"acuerdo": acuerdo.descripcion[:120]},
    )


# --- Contacts -------------------------------------------------------------------------------


@transaction.atomic
def contacto_registrar(
    *,
    servicio: Servicio,
    anio: int,
    canal: str,
    fecha: datetime.date,
    tema: str,
    usuario: Any,
    acuerdos: str = "",
    informe: InformeAvance | None = None,
) -> Contacto:
    contacto = Contacto(
        servicio=servicio,
        anio=anio,
        analista=usuario,
        canal=canal,
        fecha=fecha,
        tema=tema.strip(),
        acuerdos=acuerdos.strip(),
        informe=informe,
    )
    permisos.exigir(usuario, "contacto.registrar", contacto)
    if informe is not None and informe.formulacion.servicio_id != servicio.pk:
        raise ValidationError("El informe no es de este servicio.")
    if fecha > timezone.localdate():
        raise ValidationError("La fecha del contacto no puede ser futura.")
    contacto.save()
    evento_registrar(
        usuario=usuario,
        accion="contacto.registrar",
        objeto=contacto,
        servicio_id=servicio.pk,
        detalle={"canal": contacto.get_canal_display(), "tema": contacto.tema[:120]},
    )
    return contacto


# --- The library of technical documents ------------------------------------------------------


def _guardar_version(
    *, documento: DocumentoTecnico, archivo: Any, nota: str, usuario: Any
) -> VersionDocumento:
    """A new stored file with a generated name; the previous versions stay as they are."""
    revisado = revisar_archivo(archivo)
    ultima = documento.versiones.aggregate(n=Max("numero"))["n"] or 0
    version = VersionDocumento(
        documento=documento,
        numero=ultima + 1,
        nombre_original=revisado.nombre,
        tipo_contenido=revisado.tipo_contenido,
        tamano=revisado.tamano,
        sha256=revisado.sha256,
        nota=nota.strip()[:300],
        subida_por=usuario,
    )
    version.archivo.save(f"documento.{revisado.extension}", archivo, save=False)
    version.save()
    return version


@transaction.atomic
def documento_crear(
    *,
    anio: int,
    tipo: str,
    titulo: str,
    archivo: Any,
    usuario: Any,
    descripcion: str = "",
    para_todos: bool = True,
    servicios: Iterable[Servicio] = (),
) -> DocumentoTecnico:
    permisos.exigir(usuario, "documento.publicar")
    servicios = list(servicios)
    if not para_todos and not servicios:
        raise ValidationError("Elija los servicios a los que va dirigido, o «para todos».")
    documento = DocumentoTecnico.objects.create(
        anio=anio,
        tipo=tipo,
        titulo=titulo.strip(),
        descripcion=descripcion.strip(),
        para_todos=para_todos,
        creado_por=usuario,
    )
    if not para_todos:
        documento.servicios.set(servicios)
    _guardar_version(documento=documento, archivo=archivo, nota="", usuario=usuario)
    evento_registrar(
        usuario=usuario, accion="documento.crear", objeto=documento, servicio_id=None, anio=anio
    )
    return documento


@transaction.atomic
def documento_version_agregar(
    *, documento: DocumentoTecnico, archivo: Any, nota: str, usuario: Any
) -> VersionDocumento:
    permisos.exigir(usuario, "documento.publicar")
    documento = DocumentoTecnico.objects.select_for_update().get(pk=documento.pk)
    version = _guardar_version(documento=documento, archivo=archivo, nota=nota, usuario=usuario)
    evento_registrar(
        usuario=usuario,
        accion="documento.version",
        objeto=documento,
        servicio_id=None,
        anio=documento.anio,
        detalle={"version": version.numero},
    )
    if documento.publicado_en is not None:
        _avisar_documento(documento, version)
    return version


@transaction.atomic
def documento_publicar(*, documento: DocumentoTecnico, usuario: Any) -> int:
    """Publish to its servicios and tell their encargados; returns the notices recorded."""
    permisos.exigir(usuario, "documento.publicar")
    documento = DocumentoTecnico.objects.select_for_update().get(pk=documento.pk)
    if documento.publicado_en is not None:
        raise ValidationError("El documento ya está publicado.")
    documento.publicado_en = timezone.now()
    documento.save(update_fields=["publicado_en"])
    evento_registrar(
        usuario=usuario,
        accion="documento.publicar",
        objeto=documento,
        servicio_id=None,
        anio=documento.anio,
    )
    return _avisar_documento(documento, documento.versiones.order_by("-numero").first())


def _avisar_documento(documento: DocumentoTecnico, version: VersionDocumento) -> int:
    destinatarios = get_user_model().objects.filter(is_active=True, membresias__isnull=False)
    if not documento.para_todos:
        destinatarios = destinatarios.filter(membresias__servicio__in=documento.servicios.all())
    return avisar(
        clave=f"documento:{documento.pk}:version:{version.pk}",
        destinatarios=list(destinatarios.distinct()),
        asunto=f"[SRM] Documento técnico {documento.anio}: {documento.titulo}"[:200],
        plantilla="asistencia/correos/documento.txt",
        contexto={
            "documento": documento,
            "version": version,
            "url": reverse("asistencia:documento_detalle", args=[documento.pk]),
        },
    )


def documento_abrir(*, version: VersionDocumento, usuario: Any) -> None:
    """Record that the user's servicio opened this version (SUBDERE's reads are not counted)."""
    for servicio_id in permisos.servicios_propios(usuario):
        with transaction.atomic():
            lectura, creada = LecturaDocumento.objects.get_or_create(
                version=version,
                servicio_id=servicio_id,
                defaults={"primera_persona": usuario},
            )
            if not creada:
                LecturaDocumento.objects.filter(pk=lectura.pk).update(veces=F("veces") + 1)
                continue
            evento_registrar(
                usuario=usuario,
                accion="documento.abrir",
                objeto=lectura,
                servicio_id=servicio_id,
                detalle={"titulo": version.documento.titulo[:120], "version": version.numero},
            )
