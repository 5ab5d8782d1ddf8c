"""The one permission door of the SRM.

Every view asks here which servicios, formulaciones, informes and medios a user may see
(`visibles`, `obtener`) and what the user may do with one of them (`puede`, `exigir`,
`acciones_permitidas`). Views and templates never look at roles themselves.

- servicio: only the servicios the user is a member of.
- consultora: only the servicios assigned to it, for the year of the assignment.
- analista: reads everything; reviews the servicios of its own cartera.
- jefatura: reads everything; changes nothing.
- admin: reads everything and does the yearly set-up.
"""

import logging
from typing import Any, TypeVar

from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.http import Http404

from bitacora.models import Evento
from servicios.models import Cartera, Membresia

logger = logging.getLogger("srm.seguridad")

M = TypeVar("M", bound=Model)


class Rol:
    SERVICIO = "servicio"
    ANALISTA = "analista"
    CONSULTORA = "consultora"
    JEFATURA = "jefatura"
    ADMIN = "admin"
    # The División's own metas (metas app): see the block «Metas de la División» below.
    JEFE_DEPARTAMENTO = "jefe_departamento"
    ENCARGADO_UNIDAD = "encargado_unidad"
    # The GORE quality system's external evaluador (calidad app), assigned per GORE and year.
    EVALUADOR = "evaluador"


# When a person holds several groups, the broadest one decides what they see.
ROLES_POR_PRIORIDAD = [
    Rol.ADMIN,
    Rol.JEFATURA,
    Rol.ANALISTA,
    Rol.JEFE_DEPARTAMENTO,
    Rol.ENCARGADO_UNIDAD,
    Rol.CONSULTORA,
    Rol.EVALUADOR,
    Rol.SERVICIO,
]
NOMBRES_ROL = {
    Rol.SERVICIO: "Servicio público",
    Rol.ANALISTA: "Analista SUBDERE",
    Rol.CONSULTORA: "Consultora externa",
    Rol.JEFATURA: "Jefatura",
    Rol.ADMIN: "Administración",
    Rol.JEFE_DEPARTAMENTO: "Jefe de departamento",
    Rol.ENCARGADO_UNIDAD: "Encargado de unidad",
    Rol.EVALUADOR: "Evaluador de calidad GORE",
}
ROLES_QUE_LEEN_TODO = {Rol.ANALISTA, Rol.JEFATURA, Rol.ADMIN}


# Each protected model says how to reach the servicio and the year of its rows, as two class
# attributes: `ruta_servicio` (a lookup path to the servicio, "pk" on Servicio itself) and
# `ruta_anio` (a lookup path to the year, or None). This door reads them; the apps that own
# the models import it, never the other way round.


def modelos_protegidos() -> list[type[Model]]:
    """Every installed model the door knows how to scope to a servicio."""
    return [modelo for modelo in apps.get_models() if hasattr(modelo, "ruta_servicio")]


def _rutas(modelo: type[Model]) -> tuple[str, str | None]:
    try:
        return modelo.ruta_servicio, modelo.ruta_anio
    except AttributeError:
        raise TypeError(
            f"{modelo.__name__} no declara ruta_servicio y ruta_anio para srm.permisos."
        ) from None


# action -> roles that may take it. Ownership (own servicio, own cartera) is checked on top.
REGLAS: dict[str, set[str]] = {
    "formulacion.editar": {Rol.SERVICIO},
    "formulacion.enviar": {Rol.SERVICIO},
    "formulacion.tomar": {Rol.ANALISTA},
    "formulacion.observar": {Rol.ANALISTA},
    "formulacion.aprobar": {Rol.ANALISTA},
    "formulacion.reabrir": {Rol.ADMIN},
    "informe.editar": {Rol.SERVICIO},
    "informe.enviar": {Rol.SERVICIO},
    "informe.tomar": {Rol.ANALISTA},
    "informe.observar": {Rol.ANALISTA},
    "informe.aprobar": {Rol.ANALISTA},
    "informe.reabrir": {Rol.ADMIN},
    # A certified kind of deliverable: the analyst's decision is the certification's result.
    "informe.certificar": {Rol.ANALISTA},
    "informe.no_certificar": {Rol.ANALISTA},
    # A kind SUBDERE does not review: the servicio's sending puts it on record (recibido).
    "informe.entregar": {Rol.SERVICIO},
    "informe.prorrogar": {Rol.ADMIN},
    "medio.subir": {Rol.SERVICIO},
    "medio.eliminar": {Rol.SERVICIO},
    "observacion.responder": {Rol.SERVICIO},
    # SUBDERE's review queue and pages: analysts work there; jefatura and admin read them.
    "revision.consultar": {Rol.ANALISTA, Rol.JEFATURA, Rol.ADMIN},
    "iniciativa.validar": {Rol.CONSULTORA},
    "validacion.ratificar": {Rol.ANALISTA},
    "validacion.registrar_dipres": {Rol.ANALISTA, Rol.ADMIN},
    "configuracion.administrar": {Rol.ADMIN},
    # The Decreto Exento that approves a year's programa marco: every role reads it.
    "decreto.descargar": {Rol.SERVICIO, Rol.CONSULTORA, Rol.ANALISTA, Rol.JEFATURA, Rol.ADMIN},
    # An informe's snapshots (what was sent and approved) and their integrity check: whoever
    # sees the informe reads them; checking only re-reads the files and logs it.
    "instantanea.consultar": {
        Rol.SERVICIO,
        Rol.CONSULTORA,
        Rol.ANALISTA,
        Rol.JEFATURA,
        Rol.ADMIN,
    },
    # The event log page: jefatura and admin read all of it, an analista its cartera's part.
    "registro.consultar": {Rol.ANALISTA, Rol.JEFATURA, Rol.ADMIN},
    # The tablero and hitos tracker: SUBDERE reads the whole year; servicios and consultora do not.
    "tablero.consultar": {Rol.ANALISTA, Rol.JEFATURA, Rol.ADMIN},
    # Reports (reportes app): the year's reports for SUBDERE; a servicio's own for those who see it.
    "reporte.consolidado": {Rol.ANALISTA, Rol.JEFATURA, Rol.ADMIN},
    "reporte.planilla": {Rol.ANALISTA, Rol.JEFATURA, Rol.ADMIN},
    "reporte.validacion_dipres": {Rol.ANALISTA, Rol.JEFATURA, Rol.ADMIN},
    "reporte.resumen_ejecutivo": {Rol.ANALISTA, Rol.JEFATURA, Rol.ADMIN},
    "reporte.ficha": {Rol.SERVICIO, Rol.CONSULTORA, Rol.ANALISTA, Rol.JEFATURA, Rol.ADMIN},
    "reporte.expediente": {Rol.SERVICIO, Rol.CONSULTORA, Rol.ANALISTA, Rol.JEFATURA, Rol.ADMIN},
    # Who asked for a report: SUBDERE sees it; outsiders only for their own servicio's requests.
    "reporte.ver_solicitante": {Rol.ANALISTA, Rol.JEFATURA, Rol.ADMIN},
    # Technical assistance (asistencia app). A servicio asks and registers its people; the
    # analista of its cartera answers and records contacts; the year's plan, its convocatorias,
    # actas and documents are the Unidad's (any analista, and admin). Jefatura reads.
    "consulta.consultar": {Rol.SERVICIO, Rol.ANALISTA, Rol.JEFATURA, Rol.ADMIN},
    "consulta.crear": {Rol.SERVICIO},
    "consulta.responder": {Rol.ANALISTA},
    "consulta.publicar": {Rol.ANALISTA, Rol.ADMIN},
    "actividad.consultar": {Rol.SERVICIO, Rol.ANALISTA, Rol.JEFATURA, Rol.ADMIN},
    "actividad.planificar": {Rol.ANALISTA, Rol.ADMIN},
    "actividad.convocar": {Rol.ANALISTA, Rol.ADMIN},
    "actividad.inscribir": {Rol.SERVICIO},
    "actividad.asistencia": {Rol.ANALISTA, Rol.ADMIN},
    "acuerdo.cerrar": {Rol.ANALISTA, Rol.ADMIN},
    "contacto.registrar": {Rol.ANALISTA},
    "documento.consultar": {Rol.SERVICIO, Rol.ANALISTA, Rol.JEFATURA, Rol.ADMIN},
    "documento.publicar": {Rol.ANALISTA, Rol.ADMIN},
    "asistencia.cifras": {Rol.ANALISTA, Rol.JEFATURA, Rol.ADMIN},
    "reporte.asistencia_xlsx": {Rol.ANALISTA, Rol.JEFATURA, Rol.ADMIN},
    # The GORE quality system (calidad app): the GORE team fills and sends its autoevaluación
    # and its Plan de Mejoras; the evaluador assigned to the GORE and year scores and observes;
    # the analista of the GORE's cartera validates; the accreditation is SUBDERE's record.
    "calidad.entrar": {Rol.SERVICIO, Rol.EVALUADOR, Rol.ANALISTA, Rol.JEFATURA, Rol.ADMIN},
    "calidad.consultar": {Rol.ANALISTA, Rol.JEFATURA, Rol.ADMIN},
    "autoevaluacion.iniciar": {Rol.SERVICIO},
    "autoevaluacion.editar": {Rol.SERVICIO},
    "autoevaluacion.enviar": {Rol.SERVICIO},
    "autoevaluacion.calificar": {Rol.EVALUADOR},
    "autoevaluacion.observar": {Rol.EVALUADOR},
    "autoevaluacion.evaluar": {Rol.EVALUADOR},
    "autoevaluacion.devolver": {Rol.ANALISTA},
    "autoevaluacion.validar": {Rol.ANALISTA},
    "plan.editar": {Rol.SERVICIO},
    "plan.enviar": {Rol.SERVICIO},
    "plan.observar": {Rol.ANALISTA},
    "plan.validar": {Rol.ANALISTA},
    "plan.avanzar": {Rol.SERVICIO},
    "acreditacion.registrar": {Rol.ANALISTA, Rol.ADMIN},
    "reporte.calidad_xlsx": {Rol.ANALISTA, Rol.JEFATURA, Rol.ADMIN},
    # A GORE's informe de resultados (PDF): its own team, and SUBDERE; the door scopes the GORE.
    "reporte.calidad_pdf": {Rol.SERVICIO, Rol.ANALISTA, Rol.JEFATURA, Rol.ADMIN},
}

# Actions that only read; every other action in REGLAS changes something.
ACCIONES_DE_LECTURA = {
    "revision.consultar",
    "tablero.consultar",
    "instantanea.consultar",
    "registro.consultar",
    "consulta.consultar",
    "actividad.consultar",
    "documento.consultar",
    "asistencia.cifras",
    "calidad.entrar",
    "calidad.consultar",
    "decreto.descargar",
} | {accion for accion in REGLAS if accion.startswith("reporte.")}


def rol(usuario: Any) -> str | None:
    """The user's role, from its groups; cached on the user object for the request."""
    if usuario is None or isinstance(usuario, AnonymousUser) or not usuario.is_authenticated:
        return None
    if not hasattr(usuario, "_srm_rol"):
        if usuario.is_superuser:
            usuario._srm_rol = Rol.ADMIN
        else:
            grupos = set(usuario.groups.values_list("name", flat=True))
            usuario._srm_rol = next((r for r in ROLES_POR_PRIORIDAD if r in grupos), None)
    return usuario._srm_rol


def nombre_rol(usuario: Any) -> str:
    return NOMBRES_ROL.get(rol(usuario) or "", "Sin rol asignado")


def servicios_propios(usuario: Any) -> set[int]:
    """Ids of the servicios the user belongs to (servicio role)."""
    if not hasattr(usuario, "_srm_servicios"):
        usuario._srm_servicios = set(
            Membresia.objects.filter(usuario=usuario).values_list("servicio_id", flat=True)
        )
    return usuario._srm_servicios


# The kind of assignment that counts for each role: an analista row never empowers a consultora.
ROL_DE_CARTERA = {
    Rol.ANALISTA: Cartera.Rol.ANALISTA,
    Rol.CONSULTORA: Cartera.Rol.CONSULTORA,
    Rol.EVALUADOR: Cartera.Rol.EVALUADOR,
}
# The evaluador sees only the quality system's rows of its GORE, not the GORE's PMG.
APPS_DEL_EVALUADOR = {"calidad"}


def cartera(usuario: Any) -> set[tuple[int, int]]:
    """(año, servicio id) pairs assigned to an analista or a consultora, in its own role."""
    if not hasattr(usuario, "_srm_cartera"):
        rol_cartera = ROL_DE_CARTERA.get(rol(usuario))
        usuario._srm_cartera = (
            set(
                Cartera.objects.filter(usuario=usuario, rol=rol_cartera).values_list(
                    "anio", "servicio_id"
                )
            )
            if rol_cartera
            else set()
        )
    return usuario._srm_cartera


def visibles(usuario: Any, modelo: type[M], queryset: QuerySet[M] | None = None) -> QuerySet[M]:
    """The rows of `modelo` (or of `queryset`, with its joins) this user may see."""
    ruta_servicio, ruta_anio = _rutas(modelo)
    queryset = modelo._default_manager.all() if queryset is None else queryset
    rol_usuario = rol(usuario)
    if rol_usuario in ROLES_QUE_LEEN_TODO:
        return queryset
    if rol_usuario == Rol.SERVICIO:
        propios = Membresia.objects.filter(usuario=usuario).values("servicio_id")
        return queryset.filter(**{f"{ruta_servicio}__in": propios})
    if rol_usuario == Rol.EVALUADOR and modelo._meta.app_label not in APPS_DEL_EVALUADOR:
        return queryset.none()
    if rol_usuario in ROLES_DE_LA_DIVISION:
        # No servicio is theirs; a model about departments (a metas report) may say how to
        # reach its department with `ruta_departamento`: a jefe sees his departments' rows.
        ruta_departamento = getattr(modelo, "ruta_departamento", None)
        propios = departamentos_propios(usuario) if ruta_departamento else None
        if not propios:
            return queryset.none()
        return queryset.filter(**{f"{ruta_departamento}__in": sorted(propios)})
    if rol_usuario in (Rol.CONSULTORA, Rol.EVALUADOR):
        asignaciones = Cartera.objects.filter(
            usuario=usuario, rol=ROL_DE_CARTERA[rol_usuario], servicio=OuterRef(ruta_servicio)
        )
        if ruta_anio:
            asignaciones = asignaciones.filter(anio=OuterRef(ruta_anio))
        return queryset.filter(Exists(asignaciones))
    return queryset.none()


class FueraDeAlcance(Http404):
    """A 404 answered by the door: the row is another servicio's, or does not exist. It says
    (to the security log, never to the user) which servicio the row belongs to, if any."""

    def __init__(self, mensaje: str, *, servicio_id: int | None, descripcion: str) -> None:
        super().__init__(mensaje)
        self.servicio_id = servicio_id
        self.descripcion = descripcion


class AccesoDenegado(PermissionDenied):
    """A 403 answered by the door, with the reason in Spanish and what it was about."""

    def __init__(self, motivo: str, *, accion: str, obj: Model | None) -> None:
        super().__init__(motivo)
        self.motivo = motivo
        self.accion = accion
        self.obj = obj

    def servicio_y_anio(self) -> tuple[int | None, int | None]:
        try:
            return _servicio_y_anio(self.obj) if self.obj is not None else (None, None)
        except TypeError:  # an object the door does not scope (a Proceso)
            return None, None


def _servicio_de_fila(modelo: type[Model], pk: Any) -> int | None:
    """The servicio of a row the user could not see, for the security log; None if none."""
    ruta_servicio, _ = _rutas(modelo)
    try:
        return (
            modelo._default_manager.filter(pk=pk)
            .values_list("pk" if ruta_servicio == "pk" else ruta_servicio, flat=True)
            .first()
        )
    except (ValueError, TypeError):
        return None


def obtener(usuario: Any, modelo: type[M], pk: Any, queryset: QuerySet[M] | None = None) -> M:
    """One visible row, or 404: an outsider cannot tell another servicio's data from nothing."""
    try:
        return visibles(usuario, modelo, queryset).get(pk=pk)
    except (modelo.DoesNotExist, ValueError, TypeError):
        logger.warning(
            "Acceso denegado (404): usuario=%s rol=%s pidió %s pk=%s fuera de su alcance o inexistente",
            getattr(usuario, "username", None),
            rol(usuario),
            modelo.__name__,
            pk,
        )
        raise FueraDeAlcance(
            f"{modelo._meta.verbose_name.capitalize()} no encontrado.",
            servicio_id=_servicio_de_fila(modelo, pk),
            descripcion=f"{modelo._meta.verbose_name} n.º {pk}"[:300],
        ) from None


def obtener_para(
    usuario: Any, accion: str, modelo: type[M], pk: Any, queryset: QuerySet[M] | None = None
) -> M:
    """A row the user may act on: invisible → 404, visible but not allowed → 403."""
    obj = obtener(usuario, modelo, pk, queryset)
    exigir(usuario, accion, obj)
    return obj


def _servicio_y_anio(obj: Model) -> tuple[int, int | None]:
    ruta_servicio, ruta_anio = _rutas(type(obj))
    if ruta_servicio == "pk":
        return obj.pk, None
    servicio_id = _seguir(obj, ruta_servicio + "_id")
    anio = _seguir(obj, ruta_anio) if ruta_anio else None
    return servicio_id, anio


def _seguir(obj: Any, ruta: str) -> Any:
    for parte in ruta.split("__"):
        obj = getattr(obj, parte)
    return obj


def _motivo_rechazo(usuario: Any, accion: str, obj: Model | None) -> str | None:
    """None when allowed; otherwise the reason, in words the user understands."""
    rol_usuario = rol(usuario)
    if rol_usuario is None:
        return "Su cuenta no tiene un rol asignado en el SRM."
    roles = REGLAS.get(accion)
    if roles is None:
        raise ValueError(f"Acción desconocida: {accion}")
    if rol_usuario not in roles:
        return f"Su rol ({NOMBRES_ROL[rol_usuario]}) no permite esta acción."
    # The roles that read everything may read any row; others read only what they own.
    if obj is None or rol_usuario == Rol.ADMIN:
        return None
    if hasattr(type(obj), "ruta_unidad"):
        return _motivo_division(usuario, accion, obj)
    if accion in ACCIONES_DE_LECTURA and rol_usuario in ROLES_QUE_LEEN_TODO:
        return None
    servicio_id, anio = _servicio_y_anio(obj)
    if rol_usuario == Rol.SERVICIO and servicio_id not in servicios_propios(usuario):
        return "Solo puede actuar sobre los datos de su propio servicio."
    if rol_usuario in (Rol.ANALISTA, Rol.CONSULTORA, Rol.EVALUADOR):
        asignado = (
            (anio, servicio_id) in cartera(usuario)
            if anio is not None
            else any(s == servicio_id for _, s in cartera(usuario))
        )
        if not asignado:
            return "Este servicio no está asignado a su cartera."
    return None


def puede(usuario: Any, accion: str, obj: Model | None = None) -> bool:
    return _motivo_rechazo(usuario, accion, obj) is None


def exigir(usuario: Any, accion: str, obj: Model | None = None) -> None:
    """Raise PermissionDenied, with the reason in Spanish, unless the user may take the action."""
    motivo = _motivo_rechazo(usuario, accion, obj)
    if motivo is not None:
        logger.warning(
            "Acceso denegado (403): usuario=%s rol=%s acción=%s objeto=%r: %s",
            getattr(usuario, "username", None),
            rol(usuario),
            accion,
            obj,
            motivo,
        )
        raise AccesoDenegado(motivo, accion=accion, obj=obj)


def acciones_permitidas(usuario: Any, obj: Any) -> list[str]:
    """The state transitions this user may take on a formulación or informe now: the buttons
    a page shows. The document's transition table says what is possible from its state."""
    return [
        accion
        for accion in obj.acciones_posibles()
        if puede(usuario, f"{obj.prefijo_accion}.{accion}", obj)
    ]


def puede_editar(usuario: Any, obj: Any) -> bool:
    """The servicio may edit this formulación or informe now: its own, and open in this state."""
    return obj.es_editable and puede(usuario, f"{obj.prefijo_accion}.editar", obj)


def registro_visible(usuario: Any, queryset: QuerySet[Evento] | None = None) -> QuerySet[Evento]:
    """The events of the log page this user may read.

    Jefatura and admin read every event. An analista reads the events of its cartera: those of
    a servicio and year assigned to it, and those of such a servicio that carry no year. Events
    of no servicio (the year's calendar, a denied access to nothing in particular) are for
    jefatura and admin only. Nobody else reads the log.
    """
    queryset = Evento.objects.all() if queryset is None else queryset
    rol_usuario = rol(usuario)
    if rol_usuario in (Rol.JEFATURA, Rol.ADMIN):
        return queryset
    if rol_usuario != Rol.ANALISTA:
        return queryset.none()
    asignaciones = Cartera.objects.filter(
        usuario=usuario, rol=Cartera.Rol.ANALISTA, servicio=OuterRef("servicio")
    )
    return queryset.filter(
        Exists(asignaciones.filter(anio=OuterRef("anio")))
        | (Q(anio__isnull=True) & Exists(asignaciones))
    )


# --- Metas de la División (metas app) -----------------------------------------------------
# The División de Desarrollo Regional's own metas are scoped by unit, not by servicio: each
# of its models declares `ruta_unidad` (a lookup path to its Unidad, "pk" on Unidad itself)
# instead of `ruta_servicio`. A jefe de departamento reads and approves the units of the
# departments he heads; an encargado de unidad reports for the units he heads or belongs to;
# jefatura reads the whole División; admin everything. Nobody else sees these rows.

REGLAS_DIVISION: dict[str, set[str]] = {
    # Each unit's page, its indicators, measurements and evidence.
    "meta.consultar": {Rol.ENCARGADO_UNIDAD, Rol.JEFE_DEPARTAMENTO, Rol.JEFATURA, Rol.ADMIN},
    # A department's page and its queue of measurements to approve.
    "departamento.consultar": {Rol.JEFE_DEPARTAMENTO, Rol.JEFATURA, Rol.ADMIN},
    # The whole División at a glance.
    "division.consultar": {Rol.JEFATURA, Rol.ADMIN},
    "medicion.reportar": {Rol.ENCARGADO_UNIDAD},
    "medicion.aprobar": {Rol.JEFE_DEPARTAMENTO},
    "medicion.devolver": {Rol.JEFE_DEPARTAMENTO},
    # A jefe de departamento sets the metas and indicators of his units (admin: any unit); a
    # computed indicator is set in Administración, where its calculation is chosen.
    "meta.crear": {Rol.JEFE_DEPARTAMENTO, Rol.ADMIN},
    "indicador.crear": {Rol.JEFE_DEPARTAMENTO, Rol.ADMIN},
    # Recompute now the indicators the SRM computes from its own records (also done nightly);
    # it stores measurements, and jefatura changes nothing.
    "indicador.recalcular": {Rol.ADMIN},
    # The reportes app's Excel of every measurement and monthly PDF per department.
    # A jefe de departamento asks them of his departments only (reportes.acceso).
    "reporte.metas_xlsx": {Rol.JEFE_DEPARTAMENTO, Rol.JEFATURA, Rol.ADMIN},
    "reporte.metas_pdf": {Rol.JEFE_DEPARTAMENTO, Rol.JEFATURA, Rol.ADMIN},
}
REGLAS.update(REGLAS_DIVISION)
ACCIONES_DE_LECTURA |= {
    "meta.consultar",
    "departamento.consultar",
    "division.consultar",
    "reporte.metas_xlsx",
    "reporte.metas_pdf",
}
ROLES_DE_LA_DIVISION = {Rol.JEFE_DEPARTAMENTO, Rol.ENCARGADO_UNIDAD}
ROLES_QUE_LEEN_LA_DIVISION = {Rol.JEFATURA, Rol.ADMIN}
# The registry of servicios (the «Servicios» entry of the bar): the División's roles have no
# servicio in their scope (`visibles` answers none), nor has the evaluador de calidad (it sees
# only the quality system's rows, APPS_DEL_EVALUADOR), so it would only lead to an empty list.
REGLAS["servicio.listar"] = {
    r for r in ROLES_POR_PRIORIDAD if r not in ROLES_DE_LA_DIVISION and r != Rol.EVALUADOR
}
ACCIONES_DE_LECTURA.add("servicio.listar")


def unidades_propias(usuario: Any) -> set[int] | None:
    """Ids of the units whose rows the user may see; None means every unit."""
    rol_usuario = rol(usuario)
    if rol_usuario in ROLES_QUE_LEEN_LA_DIVISION:
        return None
    if not hasattr(usuario, "_srm_unidades"):
        unidad = apps.get_model("metas", "Unidad")
        if rol_usuario == Rol.JEFE_DEPARTAMENTO:
            filas = unidad.objects.filter(departamento__jefe=usuario)
        elif rol_usuario == Rol.ENCARGADO_UNIDAD:
            filas = unidad.objects.filter(Q(jefe=usuario) | Q(integrantes=usuario))
        else:
            filas = unidad.objects.none()
        usuario._srm_unidades = set(filas.values_list("pk", flat=True))
    return usuario._srm_unidades


def departamentos_propios(usuario: Any) -> set[int] | None:
    """Ids of the departments a user answers for (a jefe: those he heads); None means every
    one. Others: none. One query, cached on the user for the request."""
    rol_usuario = rol(usuario)
    if rol_usuario in ROLES_QUE_LEEN_LA_DIVISION:
        return None
    if rol_usuario != Rol.JEFE_DEPARTAMENTO:
        return set()
    if not hasattr(usuario, "_srm_departamentos"):
        departamento = apps.get_model("metas", "Departamento")
        usuario._srm_departamentos = set(
            departamento.objects.filter(jefe=usuario).values_list("pk", flat=True)
        )
    return usuario._srm_departamentos


def visibles_division(
    usuario: Any, modelo: type[M], queryset: QuerySet[M] | None = None
) -> QuerySet[M]:
    """The rows of a metas model (or of `queryset`) this user may see, by their unit."""
    ruta = modelo.ruta_unidad
    queryset = modelo._default_manager.all() if queryset is None else queryset
    propias = unidades_propias(usuario)
    if propias is None:
        return queryset
    if not propias:
        return queryset.none()
    if ruta == "pk":
        return queryset.filter(pk__in=propias)
    # A subquery, so a path through a to-many relation (a department's units) repeats no row.
    return queryset.filter(
        pk__in=modelo._default_manager.filter(**{f"{ruta}__in": propias}).values("pk")
    )


def obtener_division(
    usuario: Any, modelo: type[M], pk: Any, queryset: QuerySet[M] | None = None
) -> M:
    """One visible row of a metas model, or 404: another unit's data cannot be told from nothing."""
    try:
        return visibles_division(usuario, modelo, queryset).get(pk=pk)
    except (modelo.DoesNotExist, ValueError, TypeError):
        logger.warning(
            "Acceso denegado (404): usuario=%s rol=%s pidió %s pk=%s fuera de su alcance o inexistente",
            getattr(usuario, "username", None),
            rol(usuario),
            modelo.__name__,
            pk,
        )
        raise FueraDeAlcance(
            f"{modelo._meta.verbose_name.capitalize()} no encontrado.",
            servicio_id=None,
            descripcion=f"{modelo._meta.verbose_name} n.º {pk}"[:300],
        ) from None


def obtener_division_para(
    usuario: Any, accion: str, modelo: type[M], pk: Any, queryset: QuerySet[M] | None = None
) -> M:
    """A metas row the user may act on: invisible → 404, visible but not allowed → 403."""
    obj = obtener_division(usuario, modelo, pk, queryset)
    exigir(usuario, accion, obj)
    return obj


def _motivo_division(usuario: Any, accion: str, obj: Model) -> str | None:
    """Ownership of a metas row, once the role may take the action (see _motivo_rechazo)."""
    propias = unidades_propias(usuario)
    if propias is None:
        return None
    modelo = type(obj)
    if modelo.ruta_unidad == "pk":
        alcanzado = obj.pk in propias
    else:
        try:
            # A path of foreign keys: followed on the object (select_related spares queries).
            alcanzado = _seguir(obj, modelo.ruta_unidad + "_id") in propias
        except AttributeError:
            # A path through a to-many relation (a department's units): ask the database.
            alcanzado = visibles_division(usuario, modelo).filter(pk=obj.pk).exists()
    if not alcanzado:
        return "Solo puede actuar sobre las metas de su propia unidad o departamento."
    return None
