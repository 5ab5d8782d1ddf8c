"""Writes of the GORE quality system; each asks the permission door and logs its event."""

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone

from bitacora.services import evento_registrar
from calidad import avisos
from calidad.models import (
    CODIGO_TIPO_GORE,
    PUNTAJE_TOTAL_MODELO,
    Acreditacion,
    Autoevaluacion,
    Elemento,
    EstadoAutoevaluacion,
    EstadoPlan,
    Incentivo,
    MedidaMejora,
    MedioCalidad,
    ModeloGestion,
    ObservacionCalidad,
    PlanMejoras,
    RespuestaElemento,
)
from calidad.puntajes import nivel_de, puntaje_elemento, puntos
from compromisos.validators import revisar_archivo
from servicios.models import Servicio
from srm import formato, permisos


class TransicionNoPermitida(Exception):
    """A transition that cannot happen now; the message is for the user."""


ETIQUETAS = {
    "enviar": "Enviar",
    "observar": "Devolver con observaciones",
    "evaluar": "Cerrar la evaluación",
    "devolver": "Devolver al evaluador",
    "validar": "Validar",
}

# How the actions this app logs read in a timeline (registered with bitacora.acciones).
DESCRIPCION_ACCIONES = {
    "modelo.activar": "activó el modelo de gestión de calidad",
    "autoevaluacion.iniciar": "inició la autoevaluación de calidad",
    "autoevaluacion.editar": "editó un elemento de la autoevaluación de calidad",
    "autoevaluacion.calificar": "calificó un elemento de la autoevaluación de calidad",
    "autoevaluacion.enviar": "envió la autoevaluación de calidad al evaluador",
    "autoevaluacion.observar": "devolvió la autoevaluación de calidad con observaciones",
    "autoevaluacion.evaluar": "cerró la evaluación de la autoevaluación de calidad",
    "autoevaluacion.devolver": "devolvió la evaluación de calidad al evaluador",
    "autoevaluacion.validar": "validó el puntaje de la autoevaluación de calidad",
    "calidad_medio.subir": "adjuntó un medio de verificación de calidad",
    "calidad_medio.reemplazar": "subió una versión nueva de un medio de verificación de calidad",
    "calidad_medio.eliminar": "retiró un medio de verificación de calidad",
    "plan.crear": "creó el Plan de Mejoras",
    "plan.editar": "modificó el Plan de Mejoras",
    "plan.enviar": "envió el Plan de Mejoras a SUBDERE",
    "plan.observar": "devolvió el Plan de Mejoras con observaciones",
    "plan.validar": "validó el Plan de Mejoras",
    "plan.avanzar": "registró el avance de una medida del Plan de Mejoras",
    "acreditacion.registrar": "registró la acreditación del gobierno regional",
    "incentivo.otorgar": "registró un incentivo del gobierno regional",
}
DETALLE_ACCIONES = {
    "autoevaluacion.editar": lambda d: f"elemento {d['elemento']}",
    "autoevaluacion.calificar": lambda d: f"elemento {d['elemento']}: nivel {d['nivel']}",
    "autoevaluacion.validar": lambda d: f"{d['puntaje']} puntos",
    "calidad_medio.subir": lambda d: f"«{d['nombre']}»",
    "calidad_medio.reemplazar": lambda d: f"«{d['nombre']}» en lugar de «{d['anterior']}»",
    "calidad_medio.eliminar": lambda d: f"«{d['nombre']}»",
    "plan.editar": lambda d: f"medida «{d['medida']}»",
    "plan.avanzar": lambda d: f"«{d['medida']}»: {d['avance']} %",
    "acreditacion.registrar": lambda d: f"{d['nivel']}, {d['resolucion']}",
    "incentivo.otorgar": lambda d: d["tipo"],
}


def _registrar(
    *, usuario: Any, accion: str, objeto: Any, servicio_id: int, anio: int, **extra: Any
) -> Any:
    return evento_registrar(
        usuario=usuario,
        accion=accion,
        objeto=objeto,
        servicio_id=servicio_id,
        anio=anio,
        **extra,
    )


# --------------------------------------------------------------------------- the model


def problemas_del_modelo(modelo: ModeloGestion) -> list[str]:
    """Why a model cannot be activated, in Spanish; empty when it can."""
    criterios = list(
        modelo.criterios.annotate(suma_elementos=Sum("elementos__puntaje_maximo")).order_by(
            "numero"
        )
    )
    problemas = []
    total = sum(criterio.puntaje_maximo for criterio in criterios)
    if total != PUNTAJE_TOTAL_MODELO:
        problemas.append(
            f"Los puntajes de los criterios suman {total}; deben sumar {PUNTAJE_TOTAL_MODELO} "
            "(Resolución Exenta SUBDERE Nº 1130/2009). Complete o corrija los criterios."
        )
    for criterio in criterios:
        suma = criterio.suma_elementos or Decimal(0)
        if suma != criterio.puntaje_maximo:
            problemas.append(
                f"Los elementos del criterio {criterio.numero} suman {puntos(suma)} "
                f"puntos; deben sumar {criterio.puntaje_maximo}."
            )
    return problemas


@transaction.atomic
def modelo_activar(
    *, modelo: ModeloGestion, usuario: Any, momento: datetime.datetime | None = None
) -> ModeloGestion:
    """Activate a model only when its criteria add up to 500 and each criterion's elements
    add up to the criterion's points."""
    permisos.exigir(usuario, "configuracion.administrar")
    problemas = problemas_del_modelo(modelo)
    if problemas:
        raise ValidationError(problemas)
    modelo.es_activo = True
    modelo.save(update_fields=["es_activo", "actualizado"])
    evento_registrar(
        momento=momento,
        usuario=usuario,
        accion="modelo.activar",
        objeto=modelo,
        servicio_id=None,
        anio=modelo.anio,
    )
    return modelo


# --------------------------------------------------------------------------- autoevaluación


@transaction.atomic
def autoevaluacion_iniciar(
    *, servicio: Servicio, anio: int, usuario: Any, momento: datetime.datetime | None = None
) -> Autoevaluacion:
    """Open a GORE's autoevaluación of a year against that year's active model, with one
    answer per element; a GORE has one per year."""
    permisos.exigir(usuario, "autoevaluacion.iniciar", servicio)
    if servicio.tipo.codigo != CODIGO_TIPO_GORE:
        raise ValidationError("Solo los gobiernos regionales tienen autoevaluación de calidad.")
    modelo = ModeloGestion.objects.filter(anio=anio, es_activo=True).first()
    if modelo is None:
        raise ValidationError(f"SUBDERE aún no activa el modelo de gestión de {anio}.")
    existente = Autoevaluacion.objects.filter(servicio=servicio, anio=anio).first()
    if existente is not None:
        return existente
    autoevaluacion = Autoevaluacion.objects.create(servicio=servicio, modelo=modelo, anio=anio)
    RespuestaElemento.objects.bulk_create(
        RespuestaElemento(autoevaluacion=autoevaluacion, elemento=elemento)
        for elemento in Elemento.objects.filter(criterio__modelo=modelo)
    )
    _registrar(
        momento=momento,
        usuario=usuario,
        accion="autoevaluacion.iniciar",
        objeto=autoevaluacion,
        servicio_id=servicio.pk,
        anio=anio,
    )
    return autoevaluacion


def _respuesta_bloqueada(respuesta: RespuestaElemento) -> RespuestaElemento:
    return (
        RespuestaElemento.objects.select_for_update(of=("self",))
        .select_related("autoevaluacion__modelo", "elemento__criterio")
        .get(pk=respuesta.pk)
    )


def _nivel_valido(nivel: Any, escala_maxima: int) -> int:
    try:
        nivel = int(nivel)
    except (TypeError, ValueError):
        raise ValidationError("Indique un nivel de la escala.") from None
    if not 0 <= nivel <= escala_maxima:
        raise ValidationError(f"El nivel debe estar entre 0 y {escala_maxima}.")
    return nivel


@transaction.atomic
def respuesta_guardar(
    *, respuesta: RespuestaElemento, texto: str, nivel_propuesto: int | None, usuario: Any
) -> RespuestaElemento:
    """The GORE team writes an element's answer and proposes its level, while it is theirs."""
    permisos.exigir(usuario, "autoevaluacion.editar", respuesta)
    respuesta = _respuesta_bloqueada(respuesta)
    autoevaluacion = respuesta.autoevaluacion
    if not autoevaluacion.es_editable:
        raise ValidationError(
            f"La autoevaluación está «{autoevaluacion.get_estado_display().lower()}»: "
            "no se edita ahora."
        )
    respuesta.texto = texto.strip()
    if nivel_propuesto is None:
        respuesta.nivel_propuesto = respuesta.puntaje_propuesto = None
    else:
        escala = autoevaluacion.modelo.escala_maxima
        respuesta.nivel_propuesto = _nivel_valido(nivel_propuesto, escala)
        respuesta.puntaje_propuesto = puntaje_elemento(
            nivel=respuesta.nivel_propuesto,
            escala_maxima=escala,
            puntaje_maximo=respuesta.elemento.puntaje_maximo,
        )
    respuesta.save(update_fields=["texto", "nivel_propuesto", "puntaje_propuesto", "actualizado"])
    _registrar(
        usuario=usuario,
        accion="autoevaluacion.editar",
        objeto=autoevaluacion,
        servicio_id=autoevaluacion.servicio_id,
        anio=autoevaluacion.anio,
        detalle={"elemento": respuesta.elemento.codigo},
    )
    return respuesta


@transaction.atomic
def respuesta_calificar(
    *, respuesta: RespuestaElemento, nivel_evaluado: int, observacion: str, usuario: Any
) -> RespuestaElemento:
    """The evaluador assigned to the GORE scores an element of a sent autoevaluación."""
    permisos.exigir(usuario, "autoevaluacion.calificar", respuesta)
    respuesta = _respuesta_bloqueada(respuesta)
    autoevaluacion = respuesta.autoevaluacion
    if not autoevaluacion.es_evaluable:
        raise ValidationError(
            "Solo se califica una autoevaluación enviada al evaluador; esta está "
            f"«{autoevaluacion.get_estado_display().lower()}»."
        )
    escala = autoevaluacion.modelo.escala_maxima
    respuesta.nivel_evaluado = _nivel_valido(nivel_evaluado, escala)
    respuesta.puntaje_evaluado = puntaje_elemento(
        nivel=respuesta.nivel_evaluado,
        escala_maxima=escala,
        puntaje_maximo=respuesta.elemento.puntaje_maximo,
    )
    respuesta.observacion = observacion.strip()
    respuesta.save(
        update_fields=["nivel_evaluado", "puntaje_evaluado", "observacion", "actualizado"]
    )
    _registrar(
        usuario=usuario,
        accion="autoevaluacion.calificar",
        objeto=autoevaluacion,
        servicio_id=autoevaluacion.servicio_id,
        anio=autoevaluacion.anio,
        detalle={"elemento": respuesta.elemento.codigo, "nivel": respuesta.nivel_evaluado},
    )
    return respuesta


def _autoevaluacion_del_medio(
    usuario: Any, *, respuesta: RespuestaElemento | None, medida: MedidaMejora | None
) -> tuple[Autoevaluacion, RespuestaElemento | None, MedidaMejora | None]:
    """The door and the state that allow changing the files of an element's answer (the
    autoevaluación open) or of a measure's progress (the plan validated); the rows locked."""
    if (respuesta is None) == (medida is None):
        raise ValueError("Un medio es de una respuesta o de una medida.")
    if respuesta is not None:
        permisos.exigir(usuario, "autoevaluacion.editar", respuesta)
        respuesta = _respuesta_bloqueada(respuesta)
        autoevaluacion = respuesta.autoevaluacion
        if not autoevaluacion.es_editable:
            raise ValidationError(
                "La autoevaluación no está abierta: sus archivos no se agregan ni se cambian."
            )
        return autoevaluacion, respuesta, None
    medida = _medida_de_plan_validado(
        usuario, medida, "La evidencia de ejecución se adjunta cuando el plan está validado."
    )
    return medida.plan.autoevaluacion, None, medida


def _medida_de_plan_validado(usuario: Any, medida: MedidaMejora, mensaje: str) -> MedidaMejora:
    """The door for a measure's execution, the measure locked, and its plan validated."""
    permisos.exigir(usuario, "plan.avanzar", medida)
    medida = (
        MedidaMejora.objects.select_for_update(of=("self",))
        .select_related("plan__autoevaluacion")
        .get(pk=medida.pk)
    )
    if medida.plan.estado != EstadoPlan.VALIDADO:
        raise ValidationError(mensaje)
    return medida


def _guardar_medio(
    *,
    archivo: Any,
    usuario: Any,
    autoevaluacion: Autoevaluacion,
    respuesta: RespuestaElemento | None,
    medida: MedidaMejora | None,
    reemplaza: MedioCalidad | None = None,
) -> MedioCalidad:
    """Store a checked file under a generated name; the same content only once among the
    files in force (a withdrawn file does not count)."""
    revisado = revisar_archivo(archivo)
    existentes = MedioCalidad.objects.filter(
        respuesta=respuesta, medida=medida, eliminado_en__isnull=True
    )
    duplicado = existentes.filter(sha256=revisado.sha256).first()
    if duplicado is not None:
        raise ValidationError(
            f"«{revisado.nombre}» ya está adjunto como «{duplicado.nombre_original}»; "
            "no se guardó otra copia."
        )
    archivo.seek(0)
    medio = MedioCalidad(
        servicio_id=autoevaluacion.servicio_id,
        anio=autoevaluacion.anio,
        respuesta=respuesta,
        medida=medida,
        nombre_original=revisado.nombre,
        tamano=revisado.tamano,
        sha256=revisado.sha256,
        subido_por=usuario,
        reemplaza=reemplaza,
    )
    # The stored name is generated (ruta_medio_calidad); only the extension comes from the content.
    medio.archivo.save(
        f"medio.{revisado.extension}",
        archivo if hasattr(archivo, "chunks") else File(archivo),
        save=False,
    )
    medio.save()
    return medio


@transaction.atomic
def medio_subir(
    *,
    archivo: Any,
    usuario: Any,
    respuesta: RespuestaElemento | None = None,
    medida: MedidaMejora | None = None,
) -> MedioCalidad:
    """Attach evidence to an element's answer (autoevaluación open) or to a measure's progress
    (plan validated), with the SRM's upload rules; the same content only once, never overwritten."""
    autoevaluacion, respuesta, medida = _autoevaluacion_del_medio(
        usuario, respuesta=respuesta, medida=medida
    )
    medio = _guardar_medio(
        archivo=archivo,
        usuario=usuario,
        autoevaluacion=autoevaluacion,
        respuesta=respuesta,
        medida=medida,
    )
    _registrar(
        usuario=usuario,
        accion="calidad_medio.subir",
        objeto=medio,
        servicio_id=medio.servicio_id,
        anio=medio.anio,
        detalle={"nombre": medio.nombre_original},
    )
    return medio


def _medio_vigente(medio: MedioCalidad) -> MedioCalidad:
    medio = MedioCalidad.objects.select_for_update(of=("self",)).get(pk=medio.pk)
    if medio.eliminado_en is not None or MedioCalidad.objects.filter(reemplaza=medio).exists():
        raise ValidationError(
            f"«{medio.nombre_original}» ya no es la versión vigente: se retiró o se reemplazó."
        )
    return medio


@transaction.atomic
def medio_reemplazar(*, medio: MedioCalidad, archivo: Any, usuario: Any) -> MedioCalidad:
    """Upload a new version of a file; the old version stays stored, linked and downloadable."""
    autoevaluacion, respuesta, medida = _autoevaluacion_del_medio(
        usuario, respuesta=medio.respuesta, medida=medio.medida
    )
    medio = _medio_vigente(medio)
    nuevo = _guardar_medio(
        archivo=archivo,
        usuario=usuario,
        autoevaluacion=autoevaluacion,
        respuesta=respuesta,
        medida=medida,
        reemplaza=medio,
    )
    _registrar(
        usuario=usuario,
        accion="calidad_medio.reemplazar",
        objeto=nuevo,
        servicio_id=nuevo.servicio_id,
        anio=nuevo.anio,
        detalle={"nombre": nuevo.nombre_original, "anterior": medio.nombre_original},
    )
    return nuevo


@transaction.atomic
def medio_eliminar(
    *, medio: MedioCalidad, usuario: Any, momento: datetime.datetime | None = None
) -> MedioCalidad:
    """Withdraw a file: who and when are recorded, the row and the file are kept. An element's
    file only while its autoevaluación was never sent (afterwards the evaluador has seen it:
    it is replaced by a new version instead)."""
    autoevaluacion, respuesta, _ = _autoevaluacion_del_medio(
        usuario, respuesta=medio.respuesta, medida=medio.medida
    )
    if respuesta is not None and autoevaluacion.ronda > 0:
        raise ValidationError(
            "La autoevaluación ya se envió al evaluador: sus archivos no se retiran, se "
            "reemplazan por una versión nueva."
        )
    medio = _medio_vigente(medio)
    medio.eliminado_en = momento or timezone.now()
    medio.eliminado_por = usuario
    medio.save(update_fields=["eliminado_en", "eliminado_por"])
    _registrar(
        momento=momento,
        usuario=usuario,
        accion="calidad_medio.eliminar",
        objeto=medio,
        servicio_id=medio.servicio_id,
        anio=medio.anio,
        detalle={"nombre": medio.nombre_original},
    )
    return medio


# --------------------------------------------------------------------------- transitions


def _condicion_autoevaluacion(
    actual: Autoevaluacion, accion: str, ahora: datetime.datetime
) -> dict[str, Any]:
    """The workflow's rules on the locked row; returns the extra fields to save."""
    respuestas = actual.respuestas.all()
    if accion == "enviar":
        faltan = (
            respuestas.filter(nivel_propuesto__isnull=True).count()
            + respuestas.filter(nivel_propuesto__isnull=False, texto="").count()
        )
        if faltan:
            raise TransicionNoPermitida(
                f"Faltan {formato.plural(faltan, 'elemento', 'elementos')} por responder "
                "(texto y nivel propuesto) antes de enviar."
            )
        return {"ronda": F("ronda") + 1, "enviada_en": ahora}
    if accion == "evaluar":
        faltan = respuestas.filter(nivel_evaluado__isnull=True).count()
        if faltan:
            raise TransicionNoPermitida(
                f"Faltan {formato.plural(faltan, 'elemento', 'elementos')} por calificar "
                "antes de cerrar la evaluación."
            )
    if accion == "validar":
        total = respuestas.aggregate(total=Sum("puntaje_evaluado"))["total"] or Decimal(0)
        return {"puntaje_validado": total, "validada_en": ahora}
    return {}


def _condicion_plan(actual: PlanMejoras, accion: str, ahora: datetime.datetime) -> dict[str, Any]:
    if accion == "enviar":
        if not actual.medidas.exists():
            raise TransicionNoPermitida("Agregue al menos una medida antes de enviar el plan.")
        if not actual.metodologia_general.strip():
            raise TransicionNoPermitida("Describa la metodología general antes de enviar el plan.")
        return {"ronda": F("ronda") + 1}
    if accion == "validar":
        return {"validado_en": ahora}
    return {}


@transaction.atomic
def documento_transicionar(
    *,
    objeto: Autoevaluacion | PlanMejoras,
    accion: str,
    usuario: Any,
    comentario: str = "",
    momento: datetime.datetime | None = None,
) -> Autoevaluacion | PlanMejoras:
    """Move an autoevaluación or a Plan de Mejoras along its transition table, once: the door,
    the table and the workflow's rules on the locked row; logged, and the next person told."""
    modelo = type(objeto)
    actual = (
        modelo.objects.select_for_update(of=("self",))
        .select_related("servicio" if modelo is Autoevaluacion else "autoevaluacion__servicio")
        .get(pk=objeto.pk)
    )
    permisos.exigir(usuario, f"{modelo.prefijo_accion}.{accion}", actual)
    if actual.version != objeto.version:
        raise TransicionNoPermitida(
            "Otra persona modificó este documento mientras usted lo tenía abierto. "
            "Recargue la página para ver su estado actual."
        )
    nuevo = modelo.transiciones.get((actual.estado, accion))
    if nuevo is None:
        raise TransicionNoPermitida(
            f"No se puede «{ETIQUETAS.get(accion, accion).lower()}» un documento en estado "
            f"«{actual.get_estado_display().lower()}»."
        )
    comentario = comentario.strip()
    if accion in ("observar", "devolver") and not comentario:
        raise TransicionNoPermitida("Escriba las observaciones que motivan la devolución.")
    autoevaluacion = actual if modelo is Autoevaluacion else actual.autoevaluacion
    desde = actual.estado
    ahora = momento or timezone.now()
    extra = (
        _condicion_autoevaluacion(actual, accion, ahora)
        if modelo is Autoevaluacion
        else _condicion_plan(actual, accion, ahora)
    )
    filas = modelo.objects.filter(pk=actual.pk, version=actual.version).update(
        estado=nuevo, version=F("version") + 1, actualizado=ahora, **extra
    )
    if filas != 1:
        raise TransicionNoPermitida("Otra persona modificó este documento al mismo tiempo.")
    if comentario and accion in ("observar", "devolver"):
        ObservacionCalidad.objects.create(
            autoevaluacion=autoevaluacion,
            es_del_plan=modelo is PlanMejoras,
            ronda=actual.ronda,
            texto=comentario,
            autor=usuario,
        )
    actual.refresh_from_db()
    detalle: dict[str, Any] = {"comentario": comentario} if comentario else {}
    if modelo is Autoevaluacion and accion == "validar":
        detalle["puntaje"] = puntos(actual.puntaje_validado)
    evento = evento_registrar(
        usuario=usuario,
        accion=f"{modelo.prefijo_accion}.{accion}",
        objeto=actual,
        servicio_id=autoevaluacion.servicio_id,
        anio=autoevaluacion.anio,
        desde=desde,
        hacia=nuevo,
        detalle=detalle,
        momento=ahora,
    )
    avisos.avisar_transicion(evento=evento, documento=actual)
    return actual


# --------------------------------------------------------------------------- plan de mejoras


@transaction.atomic
def plan_crear(
    *, autoevaluacion: Autoevaluacion, usuario: Any, momento: datetime.datetime | None = None
) -> PlanMejoras:
    """Open the Plan de Mejoras of a validated autoevaluación (its gaps are then known)."""
    permisos.exigir(usuario, "plan.editar", autoevaluacion)
    if autoevaluacion.estado != EstadoAutoevaluacion.VALIDADA:
        raise ValidationError(
            "El Plan de Mejoras se construye sobre la autoevaluación validada por SUBDERE."
        )
    plan, creado = PlanMejoras.objects.get_or_create(autoevaluacion=autoevaluacion)
    if creado:
        _registrar(
            momento=momento,
            usuario=usuario,
            accion="plan.crear",
            objeto=plan,
            servicio_id=autoevaluacion.servicio_id,
            anio=autoevaluacion.anio,
        )
    return plan


def _exigir_plan_editable(plan: PlanMejoras) -> PlanMejoras:
    plan = (
        PlanMejoras.objects.select_for_update(of=("self",))
        .select_related("autoevaluacion")
        .get(pk=plan.pk)
    )
    if not plan.es_editable:
        raise ValidationError(
            f"El plan está «{plan.get_estado_display().lower()}»: no se modifica ahora."
        )
    return plan


@transaction.atomic
def plan_metodologia_guardar(
    *, plan: PlanMejoras, metodologia: str, usuario: Any, momento: datetime.datetime | None = None
) -> PlanMejoras:
    """The GORE team writes the plan's general methodology while the plan is theirs."""
    permisos.exigir(usuario, "plan.editar", plan)
    plan = _exigir_plan_editable(plan)
    plan.metodologia_general = metodologia.strip()
    plan.save(update_fields=["metodologia_general", "actualizado"])
    _registrar(
        momento=momento,
        usuario=usuario,
        accion="plan.editar",
        objeto=plan,
        servicio_id=plan.autoevaluacion.servicio_id,
        anio=plan.autoevaluacion.anio,
        detalle={"medida": "metodología general"},
    )
    return plan


@transaction.atomic
def medida_crear(
    *,
    plan: PlanMejoras,
    elemento: Elemento,
    descripcion: str,
    tipo: str,
    responsable: str,
    plazo: datetime.date,
    costo: int,
    metodologia: str,
    puntaje_esperado: Decimal,
    usuario: Any,
    momento: datetime.datetime | None = None,
) -> MedidaMejora:
    """Add a measure aimed at a gap; the points it promises never exceed what the element lacks."""
    permisos.exigir(usuario, "plan.editar", plan)
    plan = _exigir_plan_editable(plan)
    respuesta = RespuestaElemento.objects.filter(
        autoevaluacion=plan.autoevaluacion, elemento=elemento
    ).first()
    if respuesta is None:
        raise ValidationError("El elemento no pertenece al modelo de esta autoevaluación.")
    brecha = elemento.puntaje_maximo - (respuesta.puntaje_evaluado or Decimal(0))
    ya_prometido = plan.medidas.filter(elemento=elemento).aggregate(suma=Sum("puntaje_esperado"))[
        "suma"
    ] or Decimal(0)
    if puntaje_esperado + ya_prometido > brecha:
        raise ValidationError(
            f"El elemento {elemento.codigo} tiene una brecha de {puntos(brecha)} puntos "
            f"y otras medidas ya prometen {puntos(ya_prometido)}: esta medida puede "
            f"sumar a lo más {puntos(max(brecha - ya_prometido, Decimal(0)))}."
        )
    medida = MedidaMejora.objects.create(
        plan=plan,
        elemento=elemento,
        descripcion=descripcion.strip(),
        tipo=tipo,
        responsable=responsable.strip(),
        plazo=plazo,
        costo=costo,
        metodologia=metodologia.strip(),
        puntaje_esperado=puntaje_esperado,
    )
    _registrar(
        momento=momento,
        usuario=usuario,
        accion="plan.editar",
        objeto=plan,
        servicio_id=plan.autoevaluacion.servicio_id,
        anio=plan.autoevaluacion.anio,
        detalle={"medida": medida.descripcion[:80]},
    )
    return medida


@transaction.atomic
def medida_avanzar(
    *,
    medida: MedidaMejora,
    avance: int,
    comentario: str,
    usuario: Any,
    momento: datetime.datetime | None = None,
) -> MedidaMejora:
    """Record the execution of a measure of a validated plan; progress never goes back."""
    medida = _medida_de_plan_validado(
        usuario, medida, "La ejecución se registra cuando SUBDERE valida el plan."
    )
    if not 0 <= avance <= 100:
        raise ValidationError("El avance es un porcentaje entre 0 y 100.")
    if avance < medida.avance:
        raise ValidationError(
            f"El avance registrado es {medida.avance} %; no se registra uno menor."
        )
    medida.avance = avance
    medida.avance_comentario = comentario.strip()
    medida.save(update_fields=["avance", "avance_comentario", "actualizado"])
    autoevaluacion = medida.plan.autoevaluacion
    _registrar(
        momento=momento,
        usuario=usuario,
        accion="plan.avanzar",
        objeto=medida.plan,
        servicio_id=autoevaluacion.servicio_id,
        anio=autoevaluacion.anio,
        detalle={"medida": medida.descripcion[:80], "avance": avance},
    )
    return medida


# --------------------------------------------------------------------------- accreditation


@transaction.atomic
def acreditacion_registrar(
    *,
    autoevaluacion: Autoevaluacion,
    fecha: datetime.date,
    resolucion: str,
    usuario: Any,
    momento: datetime.datetime | None = None,
) -> Acreditacion:
    """Record the accreditation a validated score reaches (with the plan the Nivel Calidad needs)."""
    permisos.exigir(usuario, "acreditacion.registrar", autoevaluacion)
    autoevaluacion = Autoevaluacion.objects.select_for_update(of=("self",)).get(
        pk=autoevaluacion.pk
    )
    if autoevaluacion.estado != EstadoAutoevaluacion.VALIDADA:
        raise ValidationError("Solo se acredita sobre una autoevaluación validada por SUBDERE.")
    if Acreditacion.objects.filter(autoevaluacion=autoevaluacion).exists():
        raise ValidationError("Esta autoevaluación ya tiene su acreditación registrada.")
    plan_validado = PlanMejoras.objects.filter(
        autoevaluacion=autoevaluacion, estado=EstadoPlan.VALIDADO
    ).exists()
    nivel = nivel_de(autoevaluacion.puntaje_validado, plan_validado=plan_validado)
    if nivel is None:
        raise ValidationError(
            f"Con {puntos(autoevaluacion.puntaje_validado)} puntos validados"
            + ("" if plan_validado else " y sin Plan de Mejoras validado")
            + " el gobierno regional no alcanza un nivel de acreditación."
        )
    if not resolucion.strip():
        raise ValidationError("Indique la resolución que otorga la acreditación.")
    acreditacion = Acreditacion.objects.create(
        servicio_id=autoevaluacion.servicio_id,
        anio=autoevaluacion.anio,
        autoevaluacion=autoevaluacion,
        nivel=nivel,
        puntaje=autoevaluacion.puntaje_validado,
        fecha=fecha,
        resolucion=resolucion.strip(),
        registrada_por=usuario,
    )
    _registrar(
        momento=momento,
        usuario=usuario,
        accion="acreditacion.registrar",
        objeto=acreditacion,
        servicio_id=acreditacion.servicio_id,
        anio=acreditacion.anio,
        detalle={"nivel": acreditacion.get_nivel_display(), "resolucion": acreditacion.resolucion},
    )
    return acreditacion


@transaction.atomic
def incentivo_otorgar(
    *,
    acreditacion: Acreditacion,
    tipo: str,
    descripcion: str,
    monto: int | None,
    fecha: datetime.date,
    usuario: Any,
    momento: datetime.datetime | None = None,
) -> Incentivo:
    """Record an incentive granted for an accreditation."""
    permisos.exigir(usuario, "acreditacion.registrar", acreditacion)
    if tipo not in Incentivo.Tipo.values:
        raise ValidationError("Elija un tipo de incentivo de la lista.")
    incentivo = Incentivo.objects.create(
        acreditacion=acreditacion,
        tipo=tipo,
        descripcion=descripcion.strip(),
        monto=monto,
        fecha=fecha,
    )
    _registrar(
        momento=momento,
        usuario=usuario,
        accion="incentivo.otorgar",
        objeto=incentivo,
        servicio_id=acreditacion.servicio_id,
        anio=acreditacion.anio,
        detalle={"tipo": incentivo.get_tipo_display()},
    )
    return incentivo
