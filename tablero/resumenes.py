"""Keeps the tablero's running totals (tablero.models) equal to the rows they count.

Every save and delete of a compromiso, a verdict on one, an avance or a remark, and every save
or transition of an informe, recomputes the totals of its formulación or informe from scratch,
in the same transaction: two queries, so a total can never drift by a missed increment. Writes that send no signal (`bulk_create`) send
`compromisos.signals.avances_creados` instead, or rebuild (`reconstruir`) as the demo does.
Every night `reconstruir` runs over every year anyway, as a net for writes made outside
the application (SQL by hand, a restored backup).

A new column: the migration that adds it runs `reconstruir`, and the one that ran it until then
(today 0002_dias_de_envio) must stop, since this code would write columns its schema lacks.
"""

from django.apps import apps as apps_globales
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Count, F, Min, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, TruncDate
from django.db.models.signals import post_delete, post_init, post_save
from django.utils import timezone

from compromisos.models import Compromiso
from tablero import cache
from validacion.models import Observacion, ValidacionServicio

CLASIFICACIONES = ["complejidad", "ambito", "tipo_medida"]

# Column of ResumenFormulacion -> the compromisos it counts.
CONTEOS_COMPROMISOS: dict[str, Q] = {
    **{
        f"{campo}_{valor}": Q(**{f"compromisos__{campo}": valor})
        for campo in CLASIFICACIONES
        for valor, _ in Compromiso._meta.get_field(campo).choices
    },
    **{
        f"validacion_{valor}": Q(compromisos__validacion__resultado=valor)
        for valor in ValidacionServicio.Resultado.values
    },
}
CAMPOS_FORMULACION = ["compromisos", *CONTEOS_COMPROMISOS, "dia_primer_envio"]

# Column of ResumenInforme -> remarks in that state.
ESTADOS_OBSERVACION = {
    "observaciones_abiertas": Observacion.Estado.ABIERTA,
    "observaciones_respondidas": Observacion.Estado.RESPONDIDA,
    "observaciones_resueltas": Observacion.Estado.RESUELTA,
}
# The informe's own fields the figures read, copied (see ResumenInforme).
COPIAS_INFORME = [
    "formulacion_id",
    "periodo",
    "estado",
    "enviado_en",
    "es_atrasado",
    "prorroga_hasta",
]
CAMPOS_INFORME = [
    *COPIAS_INFORME,
    "dia_envio",
    "avance_suma",
    "avances",
    *ESTADOS_OBSERVACION,
]


def _modelo_evento(apps):
    # The event log moved from validacion to bitacora; tablero's migration 0002 runs this on
    # a schema that may predate the move.
    try:
        return apps.get_model("bitacora", "Evento")
    except LookupError:
        return apps.get_model("validacion", "Evento")


def totales_de_formulaciones(formulaciones: QuerySet, apps=apps_globales) -> QuerySet:
    """One row per formulación with the value of every column (as `nuevo_<column>`, so that
    no annotation shadows a relation). One query."""
    primer_envio = (
        _modelo_evento(apps)
        .objects.filter(
            tipo_objeto__app_label="compromisos",
            tipo_objeto__model="formulacionpmg",
            objeto_id=OuterRef("pk"),
            accion="formulacion.enviar",
        )
        .order_by()
        .values("objeto_id")
        .annotate(primero=Min("momento"))
        .values("primero")
    )
    return (
        formulaciones.order_by()
        .values("pk", anio=F("proceso__anio"))
        .annotate(
            nuevo_compromisos=Count("compromisos"),
            **{
                f"nuevo_{campo}": Count("compromisos", filter=q)
                for campo, q in CONTEOS_COMPROMISOS.items()
            },
            # Sent before the event log existed (loaded data): its own date.
            nuevo_dia_primer_envio=TruncDate(
                Coalesce(Subquery(primer_envio), F("enviada_en")),
                tzinfo=timezone.get_default_timezone(),
            ),
        )
    )


def totales_de_informes(informes: QuerySet, apps=apps_globales) -> QuerySet:
    """One row per informe with the value of every column (as `nuevo_<column>`), from
    subqueries, so that avances and remarks do not multiply each other. One query."""
    avances = (
        apps.get_model("compromisos", "AvanceCompromiso")
        .objects.filter(informe=OuterRef("pk"))
        .order_by()
        .values("informe")
    )
    observaciones = (
        apps.get_model("validacion", "Observacion")
        .objects.filter(informe=OuterRef("pk"))
        .order_by()
        .values("informe")
    )

    def total(consulta: QuerySet, agregado) -> Coalesce:
        return Coalesce(Subquery(consulta.annotate(valor=agregado).values("valor")), 0)

    return (
        informes.order_by()
        .annotate(
            **{f"nuevo_{campo}": F(campo) for campo in COPIAS_INFORME},
            nuevo_dia_envio=TruncDate("enviado_en", tzinfo=timezone.get_default_timezone()),
            nuevo_avance_suma=total(avances, Sum("porcentaje")),
            nuevo_avances=total(avances, Count("pk")),
            **{
                f"nuevo_{campo}": total(observaciones.filter(estado=estado), Count("pk"))
                for campo, estado in ESTADOS_OBSERVACION.items()
            },
        )
        .values(
            "pk",
            *(f"nuevo_{campo}" for campo in CAMPOS_INFORME),
            anio=F("formulacion__proceso__anio"),
        )
    )


def _guardar(modelo, filas: QuerySet, campos: list[str], clave: str, *, crear: bool) -> None:
    """Write the rows: insert-or-update, or only update (while a parent is being deleted a new
    row would outlive it). The tablero's rows of those years are stale from now on."""
    filas = list(filas)
    valores = [(fila["pk"], {c: fila[f"nuevo_{c}"] for c in campos}) for fila in filas]
    cache.invalidar_anios(
        (fila["anio"] for fila in filas),
        compromisos=modelo._meta.model_name == "resumenformulacion",
    )
    if crear:
        modelo.objects.bulk_create(
            [modelo(**{f"{clave}_id": pk}, **totales) for pk, totales in valores],
            update_conflicts=True,
            unique_fields=[clave],
            update_fields=[modelo._meta.get_field(campo).name for campo in campos],
            batch_size=1000,
        )
    else:
        for pk, totales in valores:
            modelo.objects.filter(pk=pk).update(**totales)


def _recalcular(modelo, padres: QuerySet, totales: QuerySet, campos, clave, *, crear) -> None:
    """Lock the rows, then count and write them.

    Without the lock, two transactions changing the same informe (one remark answered while
    another is resolved) would each count without the other's uncommitted change, and the
    second write would undo the first. Locked, the second waits and then counts both.
    """
    with transaction.atomic():
        list(modelo.objects.select_for_update().filter(pk__in=padres.values("pk")).values("pk"))
        _guardar(modelo, totales, campos, clave, crear=crear)


def recalcular_formulaciones(formulaciones: QuerySet, *, crear: bool = True, apps=apps_globales):
    _recalcular(
        apps.get_model("tablero", "ResumenFormulacion"),
        formulaciones,
        totales_de_formulaciones(formulaciones, apps),
        CAMPOS_FORMULACION,
        "formulacion",
        crear=crear,
    )


def recalcular_informes(informes: QuerySet, *, crear: bool = True, apps=apps_globales):
    _recalcular(
        apps.get_model("tablero", "ResumenInforme"),
        informes,
        totales_de_informes(informes, apps),
        CAMPOS_INFORME,
        "informe",
        crear=crear,
    )


def reconstruir(*, anios: list[int] | None = None, apps=apps_globales) -> tuple[int, int]:
    """Recompute every total (of some years): after bulk loads, and nightly as a safety net.

    Returns how many formulaciones and informes were written. Takes `apps` so that a data
    migration can run it on the historical models.
    """
    formulaciones = apps.get_model("compromisos", "FormulacionPMG").objects.all()
    informes = apps.get_model("compromisos", "InformeAvance").objects.all()
    if anios is not None:
        formulaciones = formulaciones.filter(proceso__anio__in=anios)
        informes = informes.filter(formulacion__proceso__anio__in=anios)
    recalcular_formulaciones(formulaciones, apps=apps)
    recalcular_informes(informes, apps=apps)
    return formulaciones.count(), informes.count()


# --------------------------------------------------------------------------- signals


def _formulaciones(**filtro) -> QuerySet:
    return apps_globales.get_model("compromisos", "FormulacionPMG").objects.filter(**filtro)


def _informes(**filtro) -> QuerySet:
    return apps_globales.get_model("compromisos", "InformeAvance").objects.filter(**filtro)


# Receivers. A save upserts the totals; a delete only updates them, since it may be part of
# deleting the parent. A formulación's own save matters when it creates it (its totals start
# at zero) or moves it to another year or servicio. Fixtures (raw saves) go through them too,
# in any order: a child saved before its parent finds no parent, and the parent's creation
# counts it.


# The parent each row had when loaded: the administration can move a compromiso, an avance
# or a remark to another parent, or a formulación to another year, and the old parent's
# totals (or the old year's trend) must follow too.
PADRES = {
    "compromisos.FormulacionPMG": ("proceso_id", "servicio_id"),
    "compromisos.Compromiso": ("formulacion_id",),
    "compromisos.InformeAvance": ("formulacion_id",),
    "compromisos.AvanceCompromiso": ("informe_id",),
    "validacion.Observacion": ("informe_id",),
    "validacion.ValidacionIniciativa": ("compromiso_id",),
}


def _al_cargar(sender, instance, **kwargs) -> None:
    instance._padres_al_cargar = {campo: instance.__dict__.get(campo) for campo in _campos(sender)}


def _campos(modelo) -> tuple[str, ...]:
    return PADRES[modelo._meta.label]


def _padres_movidos(instance) -> dict[str, int]:
    """The parents this save moved the row away from ({field: old id}); the new ones are
    remembered for the next save of the same instance."""
    cargados = getattr(instance, "_padres_al_cargar", {})
    actuales = {campo: getattr(instance, campo) for campo in _campos(type(instance))}
    instance._padres_al_cargar = actuales
    return {
        campo: viejo
        for campo, viejo in cargados.items()
        if viejo is not None and viejo != actuales[campo]
    }


def _al_guardar_formulacion(sender, instance, created, **kwargs) -> None:
    # Every save: its totals start at zero, or its sending date may have changed.
    if not created and _padres_movidos(instance):
        # Another year or servicio: every year's trend row is stale (rare, by the admin).
        cache.invalidar(cache.CLAVE_SERVICIOS)
    recalcular_formulaciones(_formulaciones(pk=instance.pk))


def _al_borrar_formulacion(sender, instance, **kwargs) -> None:
    cache.invalidar(cache.CLAVE_SERVICIOS)


def _al_cambiar_compromiso(sender, instance, **kwargs) -> None:
    anterior = _padres_movidos(instance).get("formulacion_id")
    if anterior:
        recalcular_formulaciones(_formulaciones(pk=anterior), crear=False)
    recalcular_formulaciones(_formulaciones(pk=instance.formulacion_id), crear="created" in kwargs)


def _al_cambiar_validacion(sender, instance, **kwargs) -> None:
    anterior = _padres_movidos(instance).get("compromiso_id")
    if anterior:
        recalcular_formulaciones(
            _formulaciones(pk__in=Compromiso.objects.filter(pk=anterior).values("formulacion")),
            crear=False,
        )
    # A subquery, not `compromisos=`: filtering on the relation would make the counts see
    # only that one compromiso.
    de_la_iniciativa = Compromiso.objects.filter(pk=instance.compromiso_id).values("formulacion")
    recalcular_formulaciones(_formulaciones(pk__in=de_la_iniciativa), crear="created" in kwargs)


def _al_guardar_informe(sender, instance, **kwargs) -> None:
    # Every save: the copy of its state, dates and extension follows the informe.
    if _padres_movidos(instance):
        cache.invalidar(cache.CLAVE_SERVICIOS)  # the old year's trend row counted it
    recalcular_informes(_informes(pk=instance.pk))


def _al_registrar_evento(sender, instance, created, **kwargs) -> None:
    # Transitions write the informe or formulación with update() (no post_save) and log an
    # Evento.
    if not created:
        return
    if instance.tipo_objeto_id == _tipo("InformeAvance"):
        recalcular_informes(_informes(pk=instance.objeto_id))
    elif instance.tipo_objeto_id == _tipo("FormulacionPMG"):
        recalcular_formulaciones(_formulaciones(pk=instance.objeto_id), crear=False)


def _tipo(modelo: str) -> int:
    # Cached by ContentType's manager after the first call.
    return ContentType.objects.get_for_model(apps_globales.get_model("compromisos", modelo)).pk


def _al_cambiar_en_informe(sender, instance, **kwargs) -> None:
    anterior = _padres_movidos(instance).get("informe_id")
    if anterior:
        recalcular_informes(_informes(pk=anterior), crear=False)
    recalcular_informes(_informes(pk=instance.informe_id), crear="created" in kwargs)


def _al_crear_avances(sender, informe, **kwargs) -> None:
    recalcular_informes(_informes(pk=informe.pk))


RECEPTORES = {
    # model: (on save, on delete)
    "compromisos.FormulacionPMG": (_al_guardar_formulacion, _al_borrar_formulacion),
    "compromisos.Compromiso": (_al_cambiar_compromiso, _al_cambiar_compromiso),
    "validacion.ValidacionIniciativa": (_al_cambiar_validacion, _al_cambiar_validacion),
    "compromisos.InformeAvance": (_al_guardar_informe, None),
    "bitacora.Evento": (_al_registrar_evento, None),
    "compromisos.AvanceCompromiso": (_al_cambiar_en_informe, _al_cambiar_en_informe),
    "validacion.Observacion": (_al_cambiar_en_informe, _al_cambiar_en_informe),
}


def conectar() -> None:
    """Connect the receivers that keep the totals current (TableroConfig.ready)."""
    from compromisos.signals import avances_creados

    for etiqueta in PADRES:
        modelo = apps_globales.get_model(etiqueta)
        post_init.connect(_al_cargar, sender=modelo, dispatch_uid=f"resumen:{etiqueta}:init")
    for etiqueta, (al_guardar, al_borrar) in RECEPTORES.items():
        modelo = apps_globales.get_model(etiqueta)
        post_save.connect(al_guardar, sender=modelo, dispatch_uid=f"resumen:{etiqueta}:save")
        if al_borrar:
            post_delete.connect(al_borrar, sender=modelo, dispatch_uid=f"resumen:{etiqueta}:del")
    avances_creados.connect(_al_crear_avances, dispatch_uid="resumen:avances_creados")
