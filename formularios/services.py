"""Reading a template as a tree, saving the answers of a filled form, copying a template.

formularios knows nothing of who fills a form: the deliverable that holds a Llenado checks who
may write it (compromisos.services) and logs the save; here the answers are read and written.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from bitacora.services import evento_registrar
from formularios.models import Llenado, Plantilla, Pregunta, Respuesta, Seccion
from srm import permisos

# Rows a table question keeps: far above any paper form, far below what a page can show.
FILAS_MAXIMAS = 100


def arbol(plantilla: Plantilla) -> list[Seccion]:
    """The template's top sections, each with `hijas` (its subsections), `lista_preguntas`
    and `nivel` (0 for the top ones), in order. Two queries whatever the template's size."""
    secciones = list(Seccion.objects.filter(plantilla=plantilla).order_by("orden", "pk"))
    por_pk = {s.pk: s for s in secciones}
    for seccion in secciones:
        seccion.hijas = []
        seccion.lista_preguntas = []
    raices = []
    for seccion in secciones:
        padre = por_pk.get(seccion.padre_id)
        (padre.hijas if padre is not None else raices).append(seccion)
    for pregunta in Pregunta.objects.filter(seccion__plantilla=plantilla).order_by("orden", "pk"):
        pregunta.seccion = por_pk[pregunta.seccion_id]
        por_pk[pregunta.seccion_id].lista_preguntas.append(pregunta)

    def nivelar(lista: list[Seccion], nivel: int) -> None:
        for seccion in lista:
            seccion.nivel = nivel
            nivelar(seccion.hijas, nivel + 1)

    nivelar(raices, 0)
    return raices


def preguntas_en_orden(secciones: list[Seccion]) -> list[Pregunta]:
    """The questions of a tree (arbol) in reading order: a section's own, then its subsections'."""
    lista: list[Pregunta] = []
    for seccion in secciones:
        lista.extend(seccion.lista_preguntas)
        lista.extend(preguntas_en_orden(seccion.hijas))
    return lista


def tiene_preguntas(plantilla: Plantilla) -> bool:
    return Pregunta.objects.filter(seccion__plantilla=plantilla).exists()


def respuestas_de(llenado: Llenado | None) -> dict[int, Respuesta]:
    """The answers of a filled form by question id (none for a form not filled yet)."""
    if llenado is None:
        return {}
    return {r.pregunta_id: r for r in Respuesta.objects.filter(llenado=llenado)}


def _vacio(valor: Any) -> bool:
    if isinstance(valor, str):
        return not valor.strip()
    return valor is None or valor == []


def esta_respondida(pregunta: Pregunta, respuesta: Respuesta | None) -> bool:
    """A question is answered when its value (unless it asks only for the parts) and each part
    it asks for (desarrollo alcanzado, recomendaciones) are written."""
    if respuesta is None:
        return False
    if pregunta.tipo != Pregunta.Tipo.SOLO_PARTES and _vacio(respuesta.valor):
        return False
    if pregunta.con_desarrollo and _vacio(respuesta.desarrollo):
        return False
    return not (pregunta.con_recomendaciones and _vacio(respuesta.recomendaciones))


def preguntas_sin_responder(plantilla: Plantilla, llenado: Llenado | None) -> list[Pregunta]:
    """The template's required questions still unanswered in `llenado` (all of them when the
    form was never filled), in reading order.

    Checked when the deliverable is sent, never when a draft is saved."""
    respuestas = respuestas_de(llenado)
    return [
        pregunta
        for pregunta in preguntas_en_orden(arbol(plantilla))
        if pregunta.obligatoria and not esta_respondida(pregunta, respuestas.get(pregunta.pk))
    ]


def preguntas_sin_medios(plantilla: Plantilla, medios: dict[int, int]) -> list[Pregunta]:
    """The template's questions that ask for medios de verificación and have fewer than they
    ask (`medios`: current files by question id, counted by whoever keeps the files), in
    reading order; each with `medios_adjuntos`.

    Checked when the deliverable is sent, beside preguntas_sin_responder."""
    faltan = []
    for pregunta in preguntas_en_orden(arbol(plantilla)):
        pregunta.medios_adjuntos = medios.get(pregunta.pk, 0)
        if pregunta.medios_adjuntos < pregunta.medios_requeridos:
            faltan.append(pregunta)
    return faltan


def arbol_con_respuestas(plantilla: Plantilla, llenado: Llenado | None) -> list[Seccion]:
    """The template's tree (arbol) with each question's `respuesta` (None when unanswered), for
    pages and documents that show a filled form. Three queries (two without a filled form)."""
    secciones = arbol(plantilla)
    respuestas = respuestas_de(llenado)
    for pregunta in preguntas_en_orden(secciones):
        pregunta.respuesta = respuestas.get(pregunta.pk)
    return secciones


def llenado_crear(plantilla: Plantilla) -> Llenado:
    return Llenado.objects.create(plantilla=plantilla)


@transaction.atomic
def respuestas_guardar(
    *, llenado: Llenado, respuestas: dict[int, dict[str, Any]]
) -> list[Pregunta]:
    """Save the answers of a filled form (by question id: valor, desarrollo, recomendaciones),
    all or none. Returns the questions whose answer changed, for the caller's log."""
    preguntas = {
        p.pk: p
        for p in Pregunta.objects.filter(
            seccion__plantilla_id=llenado.plantilla_id, pk__in=respuestas
        )
    }
    if set(respuestas) - set(preguntas):
        raise ValidationError("Hay respuestas a preguntas que no son de este formulario.")
    existentes = {
        r.pregunta_id: r
        for r in Respuesta.objects.select_for_update().filter(
            llenado=llenado, pregunta__in=preguntas
        )
    }
    nuevas, cambiadas, cambiaron = [], [], []
    for pregunta_id, datos in respuestas.items():
        valores = {
            "valor": datos.get("valor"),
            "desarrollo": datos.get("desarrollo") or "",
            "recomendaciones": datos.get("recomendaciones") or "",
        }
        respuesta = existentes.get(pregunta_id)
        if respuesta is None:
            if (
                _vacio(valores["valor"])
                and not valores["desarrollo"]
                and not valores["recomendaciones"]
            ):
                continue
            nuevas.append(Respuesta(llenado=llenado, pregunta_id=pregunta_id, **valores))
        elif any(getattr(respuesta, campo) != valor for campo, valor in valores.items()):
            for campo, valor in valores.items():
                setattr(respuesta, campo, valor)
            cambiadas.append(respuesta)
        else:
            continue
        cambiaron.append(preguntas[pregunta_id])
    Respuesta.objects.bulk_create(nuevas)
    for respuesta in cambiadas:
        respuesta.save(update_fields=["valor", "desarrollo", "recomendaciones", "actualizado"])
    if cambiaron:
        llenado.save(update_fields=["actualizado"])
    return cambiaron


class CodigoOcupado(ValidationError):
    pass


@transaction.atomic
def plantilla_copiar(
    *, plantilla: Plantilla, codigo: str, nombre: str = "", usuario: Any
) -> Plantilla:
    """A deep copy of a template (sections, subsections, questions) under a new código."""
    permisos.exigir(usuario, "configuracion.administrar")
    if Plantilla.objects.filter(codigo=codigo).exists():
        raise CodigoOcupado(f"Ya existe una plantilla con el código «{codigo}».")
    copia = Plantilla.objects.get(pk=plantilla.pk)
    copia.pk = None
    copia.codigo = codigo
    copia.nombre = nombre or f"{plantilla.nombre} (copia)"
    copia.save()
    nuevas: dict[int, Seccion] = {}

    def copiar(secciones: list[Seccion], padre: Seccion | None) -> None:
        for seccion in secciones:
            hijas, preguntas = seccion.hijas, seccion.lista_preguntas
            original = seccion.pk
            seccion.pk = None
            seccion.plantilla = copia
            seccion.padre = padre
            seccion.save()
            nuevas[original] = seccion
            for pregunta in preguntas:
                pregunta.pk = None
                pregunta.seccion = seccion
            Pregunta.objects.bulk_create(preguntas)
            copiar(hijas, seccion)

    copiar(arbol(plantilla), None)
    evento_registrar(
        usuario=usuario,
        accion="plantilla.copiar",
        objeto=copia,
        servicio_id=None,
        anio=None,
        detalle={"origen": plantilla.codigo, "secciones": len(nuevas)},
    )
    return copia
