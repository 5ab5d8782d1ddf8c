"""Writes of the División's metas: measurements, their evidence and approval, the computed
indicators and the traffic light with its alert."""

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from bitacora.avisos import avisar
from bitacora.services import evento_registrar
from compromisos.validators import revisar_archivo
from metas import computos, semaforo
from metas.models import (
    ETIQUETAS,
    TRANSICIONES,
    EstadoMedicion,
    EvidenciaMedicion,
    Indicador,
    Medicion,
    MetaAnual,
    Semaforo,
    Unidad,
    rango_periodo,
)
from srm import permisos


class TransicionNoPermitida(Exception):
    """The measurement's state does not allow the action, or it changed meanwhile."""


def _registrar(
    *,
    usuario: Any,
    accion: str,
    objeto: Any,
    desde: str = "",
    hacia: str = "",
    detalle=None,
    momento: datetime.datetime | None = None,
) -> None:
    evento_registrar(
        usuario=usuario,
        accion=accion,
        objeto=objeto,
        servicio_id=None,
        desde=desde,
        hacia=hacia,
        detalle=detalle,
        momento=momento,
    )


def _exigir_periodo(indicador: Indicador, periodo: int) -> None:
    if not 1 <= periodo <= indicador.periodos:
        raise ValidationError(
            f"El período debe estar entre 1 y {indicador.periodos} para un indicador "
            f"{indicador.get_periodicidad_display().lower()}."
        )


def _exigir_cifras(
    indicador: Indicador,
    numerador: Decimal | None,
    denominador: Decimal | None,
    valor: Decimal | None,
) -> None:
    if indicador.tipo_formula == Indicador.TipoFormula.VALOR:
        if valor is None:
            raise ValidationError({"valor": "Indique el valor del período."})
        return
    errores = {}
    if numerador is None:
        errores["numerador"] = "Indique el numerador."
    if denominador is None:
        errores["denominador"] = "Indique el denominador."
    elif denominador <= 0:
        errores["denominador"] = "El denominador debe ser mayor que cero."
    elif numerador is not None and numerador < 0:
        errores["numerador"] = "El numerador no puede ser negativo."
    if errores:
        raise ValidationError(errores)


@transaction.atomic
def medicion_reportar(
    *,
    indicador: Indicador,
    periodo: int,
    usuario: Any,
    numerador: Decimal | None = None,
    denominador: Decimal | None = None,
    valor: Decimal | None = None,
    comentario: str = "",
    archivo: Any = None,
    momento: datetime.datetime | None = None,
) -> Medicion:
    """Save a period's figures and evidence and report them to the jefe de departamento.

    A measurement is reported with at least one evidence file; a returned one is corrected
    and reported again (its earlier files stay). `momento` dates a historical record (the
    demo); it defaults to now.
    """
    permisos.exigir(usuario, "medicion.reportar", indicador)
    if indicador.es_calculado:
        raise ValidationError("Este indicador lo calcula el SRM: no se reporta a mano.")
    _exigir_periodo(indicador, periodo)
    _exigir_cifras(indicador, numerador, denominador, valor)
    medicion, creada = Medicion.objects.select_for_update().get_or_create(
        indicador=indicador, periodo=periodo, defaults={"reportada_por": usuario}
    )
    if not medicion.es_editable:
        raise TransicionNoPermitida(
            f"La medición de este período está {medicion.get_estado_display().lower()}: "
            "ya no se modifica."
        )
    medicion.numerador, medicion.denominador, medicion.valor = numerador, denominador, valor
    medicion.comentario = comentario.strip()
    medicion.save(update_fields=["numerador", "denominador", "valor", "comentario", "actualizado"])
    if archivo is not None:
        _guardar_evidencia(medicion=medicion, archivo=archivo, usuario=usuario, momento=momento)
    if not medicion.evidencias.exists():
        raise ValidationError({"archivo": "Adjunte al menos un archivo de evidencia."})
    return medicion_transicionar(
        medicion=medicion, accion="reportar", usuario=usuario, momento=momento
    )


def _guardar_evidencia(
    *, medicion: Medicion, archivo: Any, usuario: Any, momento: datetime.datetime | None = None
) -> EvidenciaMedicion:
    """Store a file under a generated name; the same content only once per measurement."""
    revisado = revisar_archivo(archivo)
    existente = medicion.evidencias.filter(sha256=revisado.sha256).first()
    if existente is not None:
        raise ValidationError(
            {
                "archivo": f"«{revisado.nombre}» ya está adjunto a esta medición como "
                f"«{existente.nombre_original}»; no se guardó otra copia."
            }
        )
    archivo.seek(0)
    evidencia = EvidenciaMedicion(
        medicion=medicion,
        nombre_original=revisado.nombre,
        tamano=revisado.tamano,
        sha256=revisado.sha256,
        subido_por=usuario,
    )
    evidencia.archivo.save(
        f"evidencia.{revisado.extension}",
        archivo if hasattr(archivo, "chunks") else File(archivo),
        save=False,
    )
    evidencia.save()
    _registrar(
        usuario=usuario,
        accion="medicion.evidencia",
        objeto=medicion,
        detalle={"nombre": evidencia.nombre_original, "sha256": evidencia.sha256},
        momento=momento,
    )
    return evidencia


@transaction.atomic
def medicion_transicionar(
    *,
    medicion: Medicion,
    accion: str,
    usuario: Any,
    comentario: str = "",
    momento: datetime.datetime | None = None,
) -> Medicion:
    """Move a measurement along the transition table, once, and log it; an approval
    re-evaluates the indicator's traffic light. `momento` dates a historical record."""
    momento = momento or timezone.now()
    actual = (
        Medicion.objects.select_for_update(of=("self",))
        .select_related("indicador__meta__unidad__departamento")
        .get(pk=medicion.pk)
    )
    permisos.exigir(usuario, f"medicion.{accion}", actual)
    if actual.version != medicion.version:
        raise TransicionNoPermitida(
            "Otra persona modificó esta medición mientras usted la tenía abierta. "
            "Recargue la página para ver su estado actual."
        )
    nuevo = TRANSICIONES.get((actual.estado, accion))
    if nuevo is None:
        raise TransicionNoPermitida(
            f"No se puede «{ETIQUETAS.get(accion, accion).lower()}» una medición "
            f"{actual.get_estado_display().lower()}."
        )
    if accion == "devolver" and not comentario.strip():
        raise TransicionNoPermitida("Indique qué debe corregir la unidad.")
    cambios: dict[str, Any] = {"estado": nuevo, "version": F("version") + 1}
    if accion == "reportar":
        cambios.update(reportada_por=usuario, reportada_en=momento)
    filas = Medicion.objects.filter(pk=actual.pk, version=actual.version).update(**cambios)
    if filas != 1:
        raise TransicionNoPermitida("Otra persona modificó esta medición al mismo tiempo.")
    _registrar(
        usuario=usuario,
        accion=f"medicion.{accion}",
        objeto=actual,
        desde=actual.estado,
        hacia=nuevo,
        detalle={"comentario": comentario.strip()} if comentario.strip() else None,
        momento=momento,
    )
    actual.refresh_from_db()
    if nuevo == EstadoMedicion.APROBADA:
        indicador_evaluar(indicador=actual.indicador, momento=momento)
    return actual


@transaction.atomic
def indicador_evaluar(
    *, indicador: Indicador, momento: datetime.datetime | None = None
) -> Indicador:
    """Recompute the indicator's value, projection and light from its approved measurements;
    when it turns red, log it and tell the unit and its jefe de departamento, once."""
    indicador = Indicador.objects.select_for_update(of=("self",)).get(pk=indicador.pk)
    mediciones = list(indicador.mediciones.filter(estado=EstadoMedicion.APROBADA))
    for medicion in mediciones:
        medicion.indicador = indicador
    valor = semaforo.acumulado(indicador, mediciones)
    proyectado = semaforo.proyeccion(indicador, mediciones)
    luz = semaforo.semaforo(indicador, proyectado)
    anterior = indicador.semaforo
    indicador.valor_actual, indicador.proyeccion = valor, proyectado
    campos = ["valor_actual", "proyeccion"]
    if luz != anterior:
        indicador.semaforo, indicador.semaforo_desde = luz, momento or timezone.now()
        campos += ["semaforo", "semaforo_desde"]
    indicador.save(update_fields=campos)
    if luz == Semaforo.NO_CUMPLIDA and anterior != Semaforo.NO_CUMPLIDA:
        _avisar_rojo(indicador, anterior, momento)
    return indicador


def _avisar_rojo(indicador: Indicador, anterior: str, momento: datetime.datetime | None) -> None:
    evento = evento_registrar(
        momento=momento,
        usuario=None,
        accion="indicador.en_rojo",
        objeto=indicador,
        servicio_id=None,
        desde=anterior,
        hacia=Semaforo.NO_CUMPLIDA,
        detalle={
            "proyeccion": str(indicador.proyeccion),
            "meta": str(indicador.valor_meta),
        },
    )
    unidad = indicador.meta.unidad
    destinatarios = {persona.pk: persona for persona in unidad.integrantes.all()}
    for persona in (unidad.jefe, unidad.departamento.jefe):
        if persona is not None:
            destinatarios[persona.pk] = persona
    # Keyed by the event: each turn to red is told once, however often it is re-evaluated.
    avisar(
        clave=f"metas.indicador_en_rojo:{evento.pk}",
        destinatarios=list(destinatarios.values()),
        asunto=f"Indicador en rojo: {indicador.nombre}"[:200],
        plantilla="metas/correos/indicador_en_rojo.txt",
        contexto={"indicador": indicador, "unidad": unidad},
    )


@transaction.atomic
def indicadores_calcular(
    *, anio: int, usuario: Any = None, hoy: datetime.date | None = None
) -> int:
    """Compute the year's computed indicators for every period begun by `hoy` and keep them
    as approved measurements (the SRM's own figures); returns how many periods were stored."""
    if usuario is not None:
        permisos.exigir(usuario, "indicador.recalcular")
    hoy = hoy or timezone.localdate()
    guardadas = 0
    for indicador in Indicador.objects.filter(
        meta__anio=anio, fuente=Indicador.Fuente.CALCULADA
    ).select_related("meta"):
        computo = computos.obtener(indicador.computo)
        if computo is None:
            continue
        for periodo in range(1, indicador.periodos + 1):
            desde, hasta = rango_periodo(anio, indicador.periodicidad, periodo)
            if desde > hoy:
                break
            resultado = computo.calcular(
                desde=desde,
                hasta=min(hasta, hoy),
                anio=anio,
                parametros=indicador.parametros,
                hoy=hoy,
            )
            if not resultado.denominador:
                Medicion.objects.filter(
                    indicador=indicador, periodo=periodo, es_calculada=True
                ).delete()
                continue
            Medicion.objects.update_or_create(
                indicador=indicador,
                periodo=periodo,
                defaults={
                    "numerador": resultado.numerador,
                    "denominador": resultado.denominador,
                    "estado": EstadoMedicion.APROBADA,
                    "es_calculada": True,
                    "comentario": "Calculada por el SRM a partir de sus registros.",
                },
            )
            guardadas += 1
        indicador_evaluar(indicador=indicador)
    if usuario is not None:
        evento_registrar(
            usuario=usuario,
            accion="indicador.recalcular",
            objeto=None,
            servicio_id=None,
            anio=anio,
            descripcion=f"Indicadores calculados {anio}",
            detalle={"periodos": guardadas},
        )
    return guardadas


@transaction.atomic
def meta_crear(
    *, unidad: Unidad, anio: int, nombre: str, origen: str = "", usuario: Any
) -> MetaAnual:
    """A unit's meta for a year, set by the jefe of its department."""
    permisos.exigir(usuario, "meta.crear", unidad)
    meta = MetaAnual(unidad=unidad, anio=anio, nombre=nombre.strip(), origen=origen.strip())
    meta.full_clean()
    meta.save()
    _registrar(
        usuario=usuario,
        accion="meta.crear",
        objeto=meta,
        detalle={"meta": meta.nombre, "unidad": unidad.nombre, "anio": anio},
    )
    return meta


@transaction.atomic
def indicador_crear(*, meta: MetaAnual, usuario: Any, **campos: Any) -> Indicador:
    """An indicator the unit reports, added to a meta by the jefe of its department. Who
    reports it is one of the unit's people."""
    permisos.exigir(usuario, "indicador.crear", meta)
    indicador = Indicador(meta=meta, fuente=Indicador.Fuente.REPORTADA, **campos)
    responsable = campos.get("responsable")
    if responsable is not None and responsable.pk not in personas_de_la_unidad(meta.unidad):
        raise ValidationError(
            {"responsable": "Quien reporta debe ser el jefe o un integrante de la unidad."}
        )
    indicador.full_clean()
    indicador.save()
    _registrar(
        usuario=usuario,
        accion="indicador.crear",
        objeto=indicador,
        detalle={"indicador": indicador.nombre, "meta": meta.nombre},
    )
    return indicador


def personas_de_la_unidad(unidad: Unidad) -> set[int]:
    """Ids of the unit's jefe and integrantes: who may report its indicators."""
    ids = set(unidad.integrantes.values_list("pk", flat=True))
    if unidad.jefe_id:
        ids.add(unidad.jefe_id)
    return ids


DESCRIPCION_ACCIONES = {
    "meta.crear": "creó una meta de una unidad de la División",
    "indicador.crear": "creó un indicador de una meta de la División",
    "medicion.reportar": "reportó una medición de un indicador",
    "medicion.aprobar": "aprobó una medición de un indicador",
    "medicion.devolver": "devolvió una medición de un indicador para corregirla",
    "medicion.evidencia": "adjuntó evidencia a una medición",
    "indicador.en_rojo": "— el indicador quedó en rojo (no cumplida)",
    "indicador.recalcular": "recalculó los indicadores que calcula el SRM",
}
