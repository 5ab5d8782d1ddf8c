"""Writes of the programa marco: copying a year's catalogue to the next, logged."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from bitacora.services import evento_registrar
from programa.models import (
    AreaMejoramiento,
    EtapaSistema,
    Marco,
    MedioRequerido,
    Participacion,
    ProgramaMarco,
    ReglaCumplimiento,
    ReglaPrioridad,
    RequisitoTecnico,
    SistemaPMG,
    TramoIncentivo,
)
from srm import catalogo, permisos

DESCRIPCION_ACCIONES = {
    "programa.copiar": "copió el programa marco de otro año",
    "programa.modificar": "modificó el programa marco",
    "participacion.guardar": "registró la participación de un servicio en el universo",
    "participacion.quitar": "quitó un servicio del universo",
}
DETALLE_ACCIONES = {
    "programa.copiar": lambda d: f"de {d['desde']} a {d['hacia']} ({d['sistemas']} sistemas)",
    "programa.modificar": lambda d: ", ".join(d["cambios"]),
    "participacion.guardar": lambda d: f"{d['servicio']}: {d['estado']}",
    "participacion.quitar": lambda d: d["servicio"],
}


class ProgramaNoCopiable(ValidationError):
    """The destination year already has a catalogue."""


@transaction.atomic
def programa_copiar(*, origen: ProgramaMarco, anio: int, usuario: Any) -> ProgramaMarco:
    """Start a year's catalogue as a copy of another's; never over a year that has one."""
    permisos.exigir(usuario, "configuracion.administrar")
    destino, _ = ProgramaMarco.objects.get_or_create(anio=anio)
    destino = ProgramaMarco.objects.select_for_update().get(pk=destino.pk)
    if destino.marcos.exists():
        raise ProgramaNoCopiable(
            f"El programa marco {anio} ya tiene su catálogo; no se copia encima. "
            "Edítelo o vacíelo primero."
        )
    destino.fuente = (
        f"Copia del programa marco {origen.anio}; revise cada sistema contra el decreto {anio}."
    )
    destino.save(update_fields=["fuente", "actualizado"])
    sistemas = 0
    for marco in origen.marcos.prefetch_related("areas__sistemas__etapas__requisitos__medios"):
        nuevo_marco = Marco.objects.create(
            programa=destino, nombre=marco.nombre, orden=marco.orden, fuente=marco.fuente
        )
        for area in marco.areas.all():
            nueva_area = AreaMejoramiento.objects.create(
                marco=nuevo_marco, nombre=area.nombre, orden=area.orden, fuente=area.fuente
            )
            for sistema in area.sistemas.all():
                sistemas += 1
                nuevo_sistema = SistemaPMG.objects.create(
                    area=nueva_area,
                    nombre=sistema.nombre,
                    orden=sistema.orden,
                    es_contraparte_subdere=sistema.es_contraparte_subdere,
                    fuente=sistema.fuente,
                )
                for etapa in sistema.etapas.all():
                    nueva_etapa = EtapaSistema.objects.create(
                        sistema=nuevo_sistema,
                        numero=etapa.numero,
                        nombre=etapa.nombre,
                        fuente=etapa.fuente,
                    )
                    for requisito in etapa.requisitos.all():
                        nuevo_requisito = RequisitoTecnico.objects.create(
                            etapa=nueva_etapa,
                            texto=requisito.texto,
                            orden=requisito.orden,
                            fuente=requisito.fuente,
                        )
                        MedioRequerido.objects.bulk_create(
                            MedioRequerido(
                                requisito=nuevo_requisito,
                                descripcion=medio.descripcion,
                                orden=medio.orden,
                            )
                            for medio in requisito.medios.all()
                        )
    if not destino.reglas.exists():
        ReglaPrioridad.objects.bulk_create(
            ReglaPrioridad(
                programa=destino,
                prioridad=regla.prioridad,
                ponderador_minimo=regla.ponderador_minimo,
                ponderador_maximo=regla.ponderador_maximo,
                fuente=regla.fuente,
            )
            for regla in origen.reglas.all()
        )
    # The cumplimiento rule and the incentive tramos start as the previous year's too: the
    # Unidad checks them against the year's decreto and the law's text.
    regla = ReglaCumplimiento.objects.filter(programa=origen).first()
    if regla is not None and not ReglaCumplimiento.objects.filter(programa=destino).exists():
        ReglaCumplimiento.objects.create(
            programa=destino,
            regimen=regla.regimen,
            meta=regla.meta,
            fuente=f"Copia de {origen.anio}; revise contra el decreto {anio}. {regla.fuente}",
        )
    if not destino.tramos.exists():
        TramoIncentivo.objects.bulk_create(
            TramoIncentivo(
                programa=destino,
                cumplimiento_minimo=tramo.cumplimiento_minimo,
                porcentaje_incentivo=tramo.porcentaje_incentivo,
                fuente=tramo.fuente,
            )
            for tramo in origen.tramos.all()
        )
        catalogo.invalidar()  # bulk_create sends no post_save: the year's rule is a catalog
    evento_registrar(
        usuario=usuario,
        accion="programa.copiar",
        objeto=destino,
        servicio_id=None,
        anio=anio,
        detalle={"desde": origen.anio, "hacia": anio, "sistemas": sistemas},
    )
    return destino


def programa_modificado_registrar(
    *, programa: ProgramaMarco, usuario: Any, cambios: list[str]
) -> None:
    """Log an edit of a year's catalogue made in the admin (what changed, in words)."""
    if cambios:
        evento_registrar(
            usuario=usuario,
            accion="programa.modificar",
            objeto=programa,
            servicio_id=None,
            anio=programa.anio,
            detalle={"cambios": cambios},
        )


@transaction.atomic
def participacion_guardar(*, participacion: Participacion, usuario: Any) -> Participacion:
    """Save a servicio's participation in a year's universe, logged on its servicio."""
    participacion.full_clean()
    participacion.save()
    evento_registrar(
        usuario=usuario,
        accion="participacion.guardar",
        objeto=participacion,
        servicio_id=participacion.servicio_id,
        anio=participacion.programa.anio,
        detalle={
            "servicio": str(participacion.servicio),
            "estado": participacion.get_estado_display().lower(),
        },
    )
    return participacion


@transaction.atomic
def participacion_quitar(*, participacion: Participacion, usuario: Any) -> None:
    evento_registrar(
        usuario=usuario,
        accion="participacion.quitar",
        objeto=None,
        servicio_id=participacion.servicio_id,
        anio=participacion.programa.anio,
        detalle={"servicio": str(participacion.servicio)},
        descripcion=f"Universo {participacion.programa.anio}",
    )
    participacion.delete()
