"""The formulación's compromisos drawn in Python (compromisos/templatetags/tarjetas_compromiso.py)
from the columns compromisos.selectors.con_lo_comprometido reads give the markup the template
drew before over each compromiso's relations, escaping included."""

import datetime

import pytest
from django.template import Context, Template
from django.urls import reverse

from compromisos.models import Compromiso, HitoCompromiso, MedioComprometido, Proceso
from servicios.models import Region
from tests.conftest import cliente, crear_formulacion

pytestmark = pytest.mark.django_db

# templates/compromisos/formulacion_detalle.html's cards before they were drawn in Python.
PLANTILLA = """{% load srm_formato %}{% if puede_preguntar %}{% url 'asistencia:consulta_nueva' as url_consulta %}{% endif %}{% for compromiso in compromisos %}
<div class="card mb-2"><div class="card-body">
  <div class="d-flex flex-wrap justify-content-between gap-2">
  <h3 class="h6 mb-1">{{ compromiso.codigo }} · {{ compromiso.nombre }}{% if compromiso.es_arrastrado %} <span class="badge text-bg-light border">Arrastrado de {{ compromiso.origen.formulacion.proceso.anio|default:"el año anterior" }}</span>{% endif %}</h3>
  {% if puede_editar %}<div class="srm-no-imprimir"><a class="btn btn-link btn-sm" href="{% url_id 'compromisos:compromiso_editar' compromiso.pk %}">Editar<span class="visually-hidden"> {{ compromiso.codigo }}</span></a><a class="btn btn-link btn-sm text-danger" href="{% url_id 'compromisos:compromiso_eliminar' compromiso.pk %}">Eliminar<span class="visually-hidden"> {{ compromiso.codigo }}</span></a></div>{% endif %}
  </div>
  {% if compromiso.es_arrastrado %}<p class="small mb-1">{% if compromiso.cambios %}Cambios respecto del año anterior: {{ compromiso.cambios|join:", " }}.{% else %}Sin cambios respecto del año anterior.{% endif %}</p>{% endif %}
  <p class="small text-body-secondary mb-2">{{ compromiso.get_tipo_medida_display }} · {{ compromiso.get_complejidad_display }} · {{ compromiso.get_ambito_display }}{% with regiones=compromiso.regiones.all %}{% if regiones %} · Regiones: {% for r in regiones %}{{ r.nombre }}{% if not forloop.last %}, {% endif %}{% endfor %}{% endif %}{% endwith %}</p>
  <p class="mb-2">{{ compromiso.descripcion }}</p>
  {% if puede_preguntar %}<p class="small mb-2 srm-no-imprimir"><a href="{{ url_consulta }}?compromiso={{ compromiso.pk }}">Hacer una consulta sobre este compromiso<span class="visually-hidden"> ({{ compromiso.codigo }})</span></a></p>{% endif %}
  {% if compromiso.meta %}<p class="mb-2"><strong>Meta:</strong> {{ compromiso.meta }}{% if compromiso.indicador %} · <strong>Indicador:</strong> {{ compromiso.indicador }}{% endif %}</p>{% endif %}
  <div class="row small">
    <div class="col-md-6"><strong>Hitos</strong><ul class="mb-0">{% for hito in compromiso.hitos.all %}<li>{{ hito.fecha_comprometida|date:"d-m-Y" }} · {{ hito.descripcion }}</li>{% empty %}<li>Sin hitos.</li>{% endfor %}</ul></div>
    <div class="col-md-6"><strong>Medios de verificación comprometidos</strong><ul class="mb-0">{% for medio in compromiso.medios_comprometidos.all %}<li>{{ medio.descripcion }} ({{ medio.get_tipo_display|lower }})</li>{% empty %}<li>Sin medios comprometidos.</li>{% endfor %}</ul></div>
  </div>
</div></div>
{% empty %}
<p>Esta formulación no tiene compromisos registrados.</p>
{% endfor %}"""

RARO = "<b>R&D</b> \"uno\" y 'dos'"


def test_las_tarjetas_son_las_de_la_plantilla(jefatura, osorno, proceso):
    anterior = crear_formulacion(osorno, Proceso.objects.create(anio=proceso.anio - 1), 2)
    formulacion = crear_formulacion(osorno, proceso, 4)
    origenes = list(anterior.compromisos.order_by("codigo"))
    primero, segundo, tercero, _cuarto = formulacion.compromisos.order_by("codigo")
    # Carried over: one changed since last year, one the same.
    Compromiso.objects.filter(pk=primero.pk).update(
        origen=origenes[0], nombre=RARO, meta=RARO, indicador=RARO, descripcion=RARO
    )
    Compromiso.objects.filter(pk=segundo.pk).update(origen=origenes[1])
    Compromiso.objects.filter(pk=tercero.pk).update(meta="Meta sin indicador")
    primero.regiones.set(Region.objects.order_by("orden")[:3])
    tercero.regiones.set([osorno.region])
    for orden, dia in enumerate((20, 3)):
        HitoCompromiso.objects.create(
            compromiso=primero,
            descripcion=f"{RARO} {orden}",
            fecha_comprometida=datetime.date(proceso.anio, 5, dia),
            orden=orden,
        )
    MedioComprometido.objects.create(compromiso=primero, descripcion=RARO, tipo="acta")
    MedioComprometido.objects.create(compromiso=primero, descripcion="Oficio", tipo="otro")
    respuesta = cliente(jefatura).get(
        reverse("compromisos:formulacion_detalle", args=[formulacion.pk])
    )
    compromisos = respuesta.context["compromisos"]
    assert [c.es_arrastrado for c in compromisos] == [True, True, False, False]
    assert compromisos[0].cambios and not compromisos[1].cambios
    for lista in (compromisos, []):
        for puede_editar in (True, False):
            for puede_preguntar in (True, False):
                contexto = {
                    "compromisos": lista,
                    "puede_editar": puede_editar,
                    "puede_preguntar": puede_preguntar,
                }
                antes = Template(PLANTILLA).render(Context(contexto))
                ahora = Template(
                    "{% load tarjetas_compromiso %}"
                    "{% tarjetas_compromiso compromisos puede_editar puede_preguntar %}"
                ).render(Context(contexto))
                assert ahora == antes
    assert "&lt;b&gt;R&amp;D&lt;/b&gt; &quot;uno&quot; y &#x27;dos&#x27;" in ahora or not lista
