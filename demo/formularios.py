"""Seed 003's answers (Dirección General de Obras Públicas, Formulario Etapa N°4 - Evaluación,
2007) as the demo's filled form of one deliverable.

The answers are in demo/datos/formulario_dgop_2007.json, by question clave of the template
fixtures/formulario_gestion_territorial_etapa4.json (código «gestion-territorial-etapa-4»).
The 2007 cycle and its kinds of deliverable (clave «evaluacion_etapa_4») are built elsewhere;
this fills the informe it is given.
"""

import datetime
import json
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from compromisos.models import EstadoRevision, FormulacionPMG, InformeAvance, TipoEntregable
from formularios import services as formularios
from formularios.models import Pregunta
from servicios.models import Servicio

DATOS = Path(__file__).resolve().parent / "datos" / "formulario_dgop_2007.json"
CODIGO_PLANTILLA = "gestion-territorial-etapa-4"
CLAVE_ENTREGABLE = "evaluacion_etapa_4"
SERVICIO_DGOP = "Dirección General de Obras Públicas"


def respuestas_dgop() -> dict:
    with DATOS.open(encoding="utf-8") as archivo:
        return json.load(archivo)


@transaction.atomic
def formulario_dgop_cargar(informe: InformeAvance) -> int:
    """Fill `informe` (of a kind whose form is seed 003's) with the DGOP's answers of seed 003.

    Returns how many answers changed (0 when already loaded). The informe keeps its state: the
    caller moves it through the transitions as the demo needs.
    """
    plantilla = informe.llenado.plantilla if informe.llenado_id else informe.tipo.formulario
    datos = respuestas_dgop()
    if plantilla.codigo != datos["plantilla"]:
        raise ValueError(
            f"El informe usa la plantilla «{plantilla.codigo}», no «{datos['plantilla']}»."
        )
    preguntas = {
        p.clave: p.pk
        for p in Pregunta.objects.filter(seccion__plantilla=plantilla).exclude(clave="")
    }
    faltan = set(datos["respuestas"]) - set(preguntas)
    if faltan:
        raise ValueError(f"La plantilla no tiene las preguntas {sorted(faltan)}.")
    if informe.llenado_id is None:
        informe.llenado = formularios.llenado_crear(plantilla)
        informe.save(update_fields=["llenado", "actualizado"])
    cambiaron = formularios.respuestas_guardar(
        llenado=informe.llenado,
        respuestas={preguntas[clave]: valores for clave, valores in datos["respuestas"].items()},
    )
    return len(cambiaron)


@transaction.atomic
def formulario_dgop_demo() -> InformeAvance | None:
    """The DGOP's 2007 Formulario Etapa N°4, filled with seed 003's answers and sent to SUBDERE
    on the day of its deadline (1–8 September 2007), waiting in the analysts' queue.

    Needs the 2007 cycle (fixture entregables_2007) and the DGOP in the registry; without them,
    nothing. Run twice, the informe is not duplicated.
    """
    tipo = (
        TipoEntregable.objects.filter(proceso__anio=2007, clave=CLAVE_ENTREGABLE)
        .select_related("proceso", "formulario")
        .first()
    )
    servicio = Servicio.objects.filter(nombre=SERVICIO_DGOP).first()
    if tipo is None or servicio is None or tipo.formulario.codigo != CODIGO_PLANTILLA:
        return None
    # 2007's formulación is not the SRM's (the Gestión Territorial system had its own): the
    # record stands approved so the informe has the servicio's year it belongs to.
    formulacion, _ = FormulacionPMG.objects.get_or_create(
        servicio=servicio, proceso=tipo.proceso, defaults={"estado": EstadoRevision.APROBADO}
    )
    informe, creado = InformeAvance.objects.get_or_create(
        formulacion=formulacion, periodo=tipo.clave, defaults={"tipo": tipo}
    )
    formulario_dgop_cargar(informe)
    if creado:
        informe.estado = EstadoRevision.ENVIADO
        informe.enviado_en = timezone.make_aware(datetime.datetime(2007, 9, 7, 16, 30))
        informe.save(update_fields=["estado", "enviado_en", "actualizado"])
    return informe
