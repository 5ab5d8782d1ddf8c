"""The review page's files drawn in Python (validacion/templatetags/revision_filas.py) give
the markup the template drew before, escaping included."""

import hashlib
import re

import pytest
from django.core.files.base import ContentFile
from django.template import RequestContext, Template
from django.urls import reverse

from compromisos.models import MedioVerificacion
from tests.conftest import cliente, crear_formulacion, crear_informe
from validacion.services import revision_transicionar

pytestmark = pytest.mark.django_db

ARCHIVOS = """{% load srm_formato %}{% for avance in avances %}
      {% for medio in avance.medios_vigentes %}
      <div class="border rounded p-2 mb-2" id="medio-{{ medio.pk }}">
        <div class="d-flex flex-wrap justify-content-between gap-2 small">
          <span><a href="{% url_id 'compromisos:medio_descargar' medio.pk %}">{{ medio.nombre_original }}</a> · {{ medio.tamano|filesizeformat }} · {{ medio.get_tipo_display }}{% if medio.reemplaza_id %} · versión nueva{% endif %}</span>
          {% if medio.veredicto %}<span class="badge {% if medio.veredicto.resultado == 'aceptado' %}text-bg-success{% elif medio.veredicto.resultado == 'observado' %}text-bg-warning{% else %}text-bg-danger{% endif %}">{{ medio.veredicto.get_resultado_display }}</span>{% endif %}
        </div>
        {% if medio.veredicto.motivo %}<p class="small mb-1">{{ medio.veredicto.motivo }}</p>{% endif %}
        {% include "compromisos/_versiones_medio.html" %}
        {% if medio.tiene_formulas %}<p class="small mb-1 text-danger-emphasis"><strong>Atención:</strong> este CSV tiene celdas que empiezan con =, +, - o @, que una planilla ejecutaría como fórmulas. Ábralo como texto o impórtelo marcando las columnas como texto.</p>{% endif %}
        {% if medio.permite_vista_previa %}
        <details class="mt-1"><summary class="small">Vista previa</summary>
          {% if medio.extension == 'pdf' %}<iframe src="{% url_id 'compromisos:medio_ver' medio.pk %}" title="Vista previa de {{ medio.nombre_original }}" class="w-100 srm-vista-previa"></iframe>{% else %}<img src="{% url_id 'compromisos:medio_ver' medio.pk %}" alt="Vista previa de {{ medio.nombre_original }}" class="img-fluid border">{% endif %}
        </details>
        {% endif %}
        {% if puede_revisar %}
        <form method="post" action="{% url_id 'validacion:medio_calificar' medio.pk %}" class="row g-1 mt-1 align-items-center">
          {% csrf_token %}
          <div class="col-sm-3"><label class="visually-hidden" for="resultado-{{ medio.pk }}">Veredicto</label><select name="resultado" id="resultado-{{ medio.pk }}" class="form-select form-select-sm">{% for valor, etiqueta in resultados %}<option value="{{ valor }}"{% if medio.veredicto.resultado == valor %} selected{% endif %}>{{ etiqueta }}</option>{% endfor %}</select></div>
          <div class="col-sm-7"><label class="visually-hidden" for="motivo-{{ medio.pk }}">Motivo</label><input name="motivo" id="motivo-{{ medio.pk }}" class="form-control form-control-sm" placeholder="Motivo (obligatorio si no se acepta)" value="{{ medio.veredicto.motivo }}"></div>
          <div class="col-sm-2"><button type="submit" class="btn btn-outline-primary btn-sm w-100">Calificar<span class="visually-hidden"> {{ medio.nombre_original }}</span></button></div>
        </form>
        {% endif %}
      </div>
      {% empty %}<p class="small text-body-secondary">Sin archivos.</p>{% endfor %}
{% endfor %}"""

ESTA = """{% load revision_filas %}{% for avance in avances %}
{% archivos_en_revision avance puede_revisar resultados %}{% endfor %}"""


def _normal(html: str) -> str:
    # The form's CSRF token is masked anew on every draw.
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "csrf", html)
    return re.sub(r">\s+<", "><", html).strip()


def _medio(avance, nombre: str, **campos) -> MedioVerificacion:
    contenido = nombre.encode()
    return MedioVerificacion.objects.create(
        avance=avance,
        archivo=ContentFile(contenido, name=nombre),
        nombre_original=nombre,
        tamano=len(contenido) * 1000,
        sha256=hashlib.sha256(contenido).hexdigest(),
        subido_por=avance.informe.formulacion.servicio.membresias.first().usuario,
        **campos,
    )


@pytest.mark.parametrize("toma", [True, False])
def test_los_archivos_son_los_de_la_plantilla(toma, osorno, proceso, encargado, analista):
    informe = crear_informe(crear_formulacion(osorno, proceso, compromisos=3), medios_por_avance=1)
    primero, segundo, tercero = informe.avances.order_by("pk")
    # A file replaced (its versions drawn), an image, a CSV with formulas, a name to escape.
    viejo = _medio(primero, "viejo.pdf")
    _medio(primero, "nuevo.pdf", reemplaza=viejo)
    _medio(primero, "foto.png", tipo="fotografia")
    _medio(segundo, 'datos <b>"x" & y</b>.csv', tiene_formulas=True)
    tercero.medios.all().delete()
    informe = revision_transicionar(objeto=informe, accion="enviar", usuario=encargado)
    c = cliente(analista)
    if toma:
        informe = revision_transicionar(objeto=informe, accion="tomar", usuario=analista)
        for medio, resultado, motivo in (
            (primero.medios.get(nombre_original="foto.png"), "aceptado", ""),
            (segundo.medios.get(tiene_formulas=True), "observado", 'Falta <i>"firma"</i> & sello'),
            (primero.medios.get(nombre_original="acta 0.pdf"), "rechazado", "Ilegible."),
        ):
            c.post(
                reverse("validacion:medio_calificar", args=[medio.pk]),
                {"resultado": resultado, "motivo": motivo},
            )
    respuesta = c.get(reverse("validacion:informe_revisar", args=[informe.pk]))
    contexto = respuesta.context
    assert contexto["puede_revisar"] is toma
    datos = {
        "avances": contexto["avances"],
        "puede_revisar": contexto["puede_revisar"],
        "resultados": contexto["resultados"],
    }
    antes = Template(ARCHIVOS).render(RequestContext(respuesta.wsgi_request, datos))
    ahora = Template(ESTA).render(RequestContext(respuesta.wsgi_request, datos))
    assert "versión nueva" in ahora and "Vista previa de foto.png" in ahora
    assert "&lt;b&gt;&quot;x&quot; &amp; y&lt;/b&gt;" in ahora and "Sin archivos." in ahora
    assert ("Falta &lt;i&gt;" in ahora) is toma
    assert _normal(ahora) == _normal(antes)
