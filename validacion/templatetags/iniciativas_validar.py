"""The iniciativas of the consultora's validation page, drawn in Python.

Each card of templates/validacion/servicio_validar.html went through the template engine (a
lookup per variable, the files' loop, the results' radios, a link per file): about half of the
page's own template time with three iniciativas, more with the ten of a busy year. The markup
is the one the template had (tests/validacion/test_iniciativas_validar.py renders both).
"""

from collections.abc import Iterable

from django import template
from django.template.defaulttags import CsrfTokenNode
from django.utils.safestring import SafeString

from compromisos.templatetags.srm_formato import url_id
from srm.marcado import escapar

register = template.Library()

_INSIGNIA = {"cumple": "text-bg-success", "parcial": "text-bg-warning"}


def _medio_a_marcar(medio) -> str:
    nombre = escapar(medio.nombre_original)
    marcado = " checked" if medio.examinado else ""
    return (
        '\n      <div class="form-check small"><input class="form-check-input" type="checkbox" '
        f'name="medios" value="{medio.pk}" id="medio-{medio.pk}"{marcado}>'
        f'<label class="form-check-label" for="medio-{medio.pk}">{escapar(medio.periodo)}: '
        f"{nombre}</label> · "
        f'<a href="{escapar(url_id("compromisos:medio_descargar", medio.pk))}">descargar'
        f'<span class="visually-hidden"> {nombre}</span></a></div>\n      '
    )


def _formulario(iniciativa, resultados, csrf: str) -> str:
    registrada = iniciativa.validacion_registrada
    medios = (
        "".join(_medio_a_marcar(medio) for medio in iniciativa.medios_del_anio)
        or '<p class="small">Sin medios de verificación.</p>'
    )
    radios = "".join(
        '<div class="form-check form-check-inline"><input class="form-check-input" type="radio" '
        f'name="resultado" value="{escapar(valor)}" '
        f'id="resultado-{iniciativa.pk}-{escapar(valor)}"'
        f"{' checked' if registrada and registrada.resultado == valor else ''} required>"
        f'<label class="form-check-label" for="resultado-{iniciativa.pk}-{escapar(valor)}">'
        f"{escapar(etiqueta)}</label></div>"
        for valor, etiqueta in resultados
    )
    return (
        '  <form method="post" action="'
        f'{escapar(url_id("validacion:iniciativa_validar", iniciativa.pk))}">\n'
        f"    {csrf}\n"
        '    <fieldset class="mb-2"><legend class="h6">Medios de verificación examinados</legend>\n'
        f"      {medios}\n"
        "    </fieldset>\n"
        '    <fieldset class="mb-2"><legend class="h6">Resultado</legend>\n'
        f"      {radios}\n"
        "    </fieldset>\n"
        f'    <label class="form-label h6" for="fundamento-{iniciativa.pk}">Fundamento</label>\n'
        f'    <textarea name="fundamento" id="fundamento-{iniciativa.pk}" rows="3" '
        'class="form-control" required>'
        f"{escapar(registrada.fundamento) if registrada else ''}</textarea>\n"
        '    <button type="submit" class="btn btn-outline-primary btn-sm mt-2">'
        f"Guardar validación de {escapar(iniciativa.codigo)}</button>\n"
        "  </form>\n"
    )


def _lectura(iniciativa) -> str:
    registrada = iniciativa.validacion_registrada
    fundamento = (
        f'<p class="mb-1"><strong>Fundamento:</strong> {escapar(registrada.fundamento)}</p>'
        if registrada
        else ""
    )
    medios = "".join(
        f"<li>{escapar(medio.periodo)}: "
        f'<a href="{escapar(url_id("compromisos:medio_descargar", medio.pk))}">'
        f"{escapar(medio.nombre_original)}</a>"
        f"{' · examinado' if medio.examinado else ''}</li>"
        for medio in iniciativa.medios_del_anio
    )
    return (
        f"  {fundamento}\n"
        f'  <ul class="small mb-0">{medios or "<li>Sin medios de verificación.</li>"}</ul>\n'
    )


def _tarjeta(iniciativa, formulario: str | None) -> str:
    registrada = iniciativa.validacion_registrada
    insignia = (
        f'<span class="badge {_INSIGNIA.get(registrada.resultado, "text-bg-danger")}">'
        f"{escapar(registrada.nombre_resultado)}</span>"
        if registrada
        else ""
    )
    return (
        f'\n<section class="card mb-3" id="iniciativa-{iniciativa.pk}" '
        f'aria-labelledby="titulo-{iniciativa.pk}"><div class="card-body">\n'
        '  <div class="d-flex justify-content-between gap-2">\n'
        f'    <h2 class="h5" id="titulo-{iniciativa.pk}">{escapar(iniciativa.codigo)} · '
        f"{escapar(iniciativa.nombre)}</h2>\n"
        f"    {insignia}\n"
        "  </div>\n"
        f'  <p class="small text-body-secondary">{escapar(iniciativa.meta)}</p>\n'
        f"  \n{formulario if formulario is not None else _lectura(iniciativa)}  \n"
        "</div></section>\n"
    )


@register.simple_tag(takes_context=True)
def iniciativas_validar(
    context, iniciativas: Iterable, puede_validar: bool, final_aprobado: bool, resultados
) -> SafeString:
    """The page's iniciativas (validacion.selectors.IniciativaAValidar): each with its form
    when the consultora may validate and the informe final is approved, else what was
    recorded."""
    con_formulario = puede_validar and final_aprobado
    csrf = CsrfTokenNode().render(context) if con_formulario else ""
    return SafeString(
        "".join(
            _tarjeta(
                iniciativa,
                _formulario(iniciativa, resultados, csrf) if con_formulario else None,
            )
            for iniciativa in iniciativas
        )
    )
