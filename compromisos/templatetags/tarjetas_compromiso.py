"""A formulación's compromisos, drawn in Python.

Each card of templates/compromisos/formulacion_detalle.html went through the template engine
(a lookup per variable, four display methods, three inner loops, the date filter, escaping):
about a third of the page's template time with three compromisos, more with the ten of a
busy year. The markup is the one the template had (tests/compromisos/test_tarjetas_compromiso.py
renders both).
"""

from collections.abc import Iterable

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString

from compromisos.templatetags.srm_formato import url_id
from srm.marcado import escapar

register = template.Library()


def _cabecera(compromiso, puede_editar: bool) -> str:
    codigo = escapar(compromiso.codigo)
    arrastrado = (
        ' <span class="badge text-bg-light border">Arrastrado de '
        f"{escapar(compromiso.origen.formulacion.proceso.anio or 'el año anterior')}</span>"
        if compromiso.es_arrastrado
        else ""
    )
    acciones = (
        '<div class="srm-no-imprimir"><a class="btn btn-link btn-sm" '
        f'href="{escapar(url_id("compromisos:compromiso_editar", compromiso.pk))}">Editar'
        f'<span class="visually-hidden"> {codigo}</span></a>'
        '<a class="btn btn-link btn-sm text-danger" '
        f'href="{escapar(url_id("compromisos:compromiso_eliminar", compromiso.pk))}">Eliminar'
        f'<span class="visually-hidden"> {codigo}</span></a></div>'
        if puede_editar
        else ""
    )
    return (
        '  <div class="d-flex flex-wrap justify-content-between gap-2">\n'
        f'  <h3 class="h6 mb-1">{codigo} · {escapar(compromiso.nombre)}{arrastrado}</h3>\n'
        f"  {acciones}\n"
        "  </div>\n"
    )


def _cambios(compromiso) -> str:
    if not compromiso.es_arrastrado:
        return ""
    if compromiso.cambios:
        cambios = ", ".join(escapar(cambio) for cambio in compromiso.cambios)
        texto = f"Cambios respecto del año anterior: {cambios}."
    else:
        texto = "Sin cambios respecto del año anterior."
    return f'<p class="small mb-1">{texto}</p>'


def _clasificacion(compromiso) -> str:
    texto = (
        f"{escapar(compromiso.get_tipo_medida_display())} · "
        f"{escapar(compromiso.get_complejidad_display())} · "
        f"{escapar(compromiso.get_ambito_display())}"
    )
    if compromiso.nombres_regiones:
        texto += " · Regiones: " + ", ".join(
            escapar(nombre) for nombre in compromiso.nombres_regiones
        )
    return texto


def _meta(compromiso) -> str:
    if not compromiso.meta:
        return ""
    indicador = (
        f" · <strong>Indicador:</strong> {escapar(compromiso.indicador)}"
        if compromiso.indicador
        else ""
    )
    return f'<p class="mb-2"><strong>Meta:</strong> {escapar(compromiso.meta)}{indicador}</p>'


def _lista(items: list[str], vacia: str) -> str:
    return "".join(f"<li>{item}</li>" for item in items) or f"<li>{vacia}</li>"


def _tarjeta(compromiso, puede_editar: bool, url_consulta: str | None) -> str:
    # The template's date filter «d-m-Y» on a date, without its per-character parser.
    hitos = [
        f"{fecha.strftime('%d-%m-%Y')} · {escapar(descripcion)}"
        for fecha, descripcion in compromiso.hitos_comprometidos
    ]
    medios = [
        f"{escapar(descripcion)} ({escapar(tipo.lower())})"
        for descripcion, tipo in compromiso.medios_prometidos
    ]
    consulta = (
        '<p class="small mb-2 srm-no-imprimir">'
        f'<a href="{escapar(url_consulta)}?compromiso={compromiso.pk}">'
        "Hacer una consulta sobre este compromiso"
        f'<span class="visually-hidden"> ({escapar(compromiso.codigo)})</span></a></p>'
        if url_consulta is not None
        else ""
    )
    return (
        '\n<div class="card mb-2"><div class="card-body">\n'
        f"{_cabecera(compromiso, puede_editar)}"
        f"  {_cambios(compromiso)}\n"
        f'  <p class="small text-body-secondary mb-2">{_clasificacion(compromiso)}</p>\n'
        f'  <p class="mb-2">{escapar(compromiso.descripcion)}</p>\n'
        f"  {consulta}\n"
        f"  {_meta(compromiso)}\n"
        '  <div class="row small">\n'
        '    <div class="col-md-6"><strong>Hitos</strong><ul class="mb-0">'
        f"{_lista(hitos, 'Sin hitos.')}</ul></div>\n"
        '    <div class="col-md-6"><strong>Medios de verificación comprometidos</strong>'
        f'<ul class="mb-0">{_lista(medios, "Sin medios comprometidos.")}</ul></div>\n'
        "  </div>\n"
        "</div></div>\n"
    )


@register.simple_tag
def tarjetas_compromiso(
    compromisos: Iterable, puede_editar: bool, puede_preguntar: bool
) -> SafeString:
    """The formulación's compromisos (with `cambios`, and what
    compromisos.selectors.con_lo_comprometido hangs on them), each a card; a line when there
    are none."""
    url_consulta = reverse("asistencia:consulta_nueva") if puede_preguntar else None
    tarjetas = "".join(
        _tarjeta(compromiso, puede_editar, url_consulta) for compromiso in compromisos
    )
    return SafeString(tarjetas or "\n<p>Esta formulación no tiene compromisos registrados.</p>\n")
