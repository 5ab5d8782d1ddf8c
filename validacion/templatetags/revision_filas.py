"""The files of each compromiso on the review page, drawn in Python.

The informe with the most files shows some thirty, each with its verdict, its preview and the
analista's verdict form; through the template engine (a dozen nodes, an include and a form per
file) they took about a fifth of the page's server time. The markup is the one
templates/validacion/informe_revisar.html had (a test renders both).
"""

from django import template
from django.template.defaultfilters import filesizeformat
from django.template.defaulttags import CsrfTokenNode
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from compromisos.templatetags.srm_formato import url_id

register = template.Library()

CLASES_VEREDICTO = {"aceptado": "text-bg-success", "observado": "text-bg-warning"}

AVISO_FORMULAS = (
    '<p class="small mb-1 text-danger-emphasis"><strong>Atención:</strong> este CSV tiene '
    "celdas que empiezan con =, +, - o @, que una planilla ejecutaría como fórmulas. Ábralo "
    "como texto o impórtelo marcando las columnas como texto.</p>"
)


def _vista_previa(medio, nombre: str) -> str:
    if not medio.permite_vista_previa:
        return ""
    ver = escape(url_id("compromisos:medio_ver", medio.pk))
    if medio.extension == "pdf":
        vista = (
            f'<iframe src="{ver}" title="Vista previa de {nombre}" '
            'class="w-100 srm-vista-previa"></iframe>'
        )
    else:
        vista = f'<img src="{ver}" alt="Vista previa de {nombre}" class="img-fluid border">'
    return f'<details class="mt-1"><summary class="small">Vista previa</summary>{vista}</details>'


def _formulario(medio, nombre: str, resultados, csrf: str) -> str:
    veredicto = medio.veredicto
    elegido = veredicto.resultado if veredicto else None
    opciones = "".join(
        f'<option value="{escape(valor)}"{" selected" if elegido == valor else ""}>'
        f"{escape(etiqueta)}</option>"
        for valor, etiqueta in resultados
    )
    motivo = escape(veredicto.motivo) if veredicto else ""
    pk = medio.pk
    return (
        f'<form method="post" action="{escape(url_id("validacion:medio_calificar", pk))}" '
        'class="row g-1 mt-1 align-items-center">'
        f"{csrf}"
        '<div class="col-sm-3"><label class="visually-hidden" '
        f'for="resultado-{pk}">Veredicto</label><select name="resultado" id="resultado-{pk}" '
        f'class="form-select form-select-sm">{opciones}</select></div>'
        '<div class="col-sm-7"><label class="visually-hidden" for="motivo-'
        f'{pk}">Motivo</label><input name="motivo" id="motivo-{pk}" '
        'class="form-control form-control-sm" placeholder="Motivo (obligatorio si no se '
        f'acepta)" value="{motivo}"></div>'
        '<div class="col-sm-2"><button type="submit" class="btn btn-outline-primary btn-sm '
        f'w-100">Calificar<span class="visually-hidden"> {nombre}</span></button></div>'
        "</form>"
    )


@register.simple_tag(takes_context=True)
def archivos_en_revision(context, avance, puede_revisar: bool, resultados) -> SafeString:
    """Each current file of the avance with its verdict (and the form to give it)."""
    csrf = CsrfTokenNode().render(context) if puede_revisar else ""
    partes = []
    for medio in avance.medios_vigentes:
        nombre = escape(medio.nombre_original)
        veredicto = medio.veredicto
        insignia = (
            f'<span class="badge {CLASES_VEREDICTO.get(veredicto.resultado, "text-bg-danger")}">'
            f"{escape(veredicto.get_resultado_display())}</span>"
            if veredicto
            else ""
        )
        partes.append(
            f'<div class="border rounded p-2 mb-2" id="medio-{medio.pk}">'
            '<div class="d-flex flex-wrap justify-content-between gap-2 small">'
            f'<span><a href="{escape(url_id("compromisos:medio_descargar", medio.pk))}">'
            f"{nombre}</a> · {filesizeformat(medio.tamano)} · "
            f"{escape(medio.get_tipo_display())}"
            f"{' · versión nueva' if medio.reemplaza_id else ''}</span>{insignia}</div>"
            + (
                f'<p class="small mb-1">{escape(veredicto.motivo)}</p>'
                if veredicto and veredicto.motivo
                else ""
            )
            # The versions a file replaced: rare, and drawn by the template every page uses.
            + (
                render_to_string("compromisos/_versiones_medio.html", {"medio": medio})
                if getattr(medio, "versiones_anteriores", None)
                else ""
            )
            + (AVISO_FORMULAS if medio.tiene_formulas else "")
            + _vista_previa(medio, nombre)
            + (_formulario(medio, nombre, resultados, csrf) if puede_revisar else "")
            + "</div>\n"
        )
    if not partes:
        return mark_safe('<p class="small text-body-secondary">Sin archivos.</p>')
    return mark_safe("".join(partes))
