"""The validation page's iniciativas drawn in Python (validacion/templatetags/
iniciativas_validar.py) give the markup the template drew before, forms and escaping included."""

import pytest
from django.template import Context, Template
from django.urls import reverse

from compromisos.models import Compromiso, InformeAvance, MedioVerificacion
from tests.conftest import cliente, crear_informe
from validacion.models import ValidacionIniciativa, ValidacionServicio
from validacion.services import revision_transicionar

pytestmark = pytest.mark.django_db

# templates/validacion/servicio_validar.html's iniciativas before they were drawn in Python.
PLANTILLA = """{% load srm_formato %}{% for compromiso in iniciativas %}
<section class="card mb-3" id="iniciativa-{{ compromiso.pk }}" aria-labelledby="titulo-{{ compromiso.pk }}"><div class="card-body">
  <div class="d-flex justify-content-between gap-2">
    <h2 class="h5" id="titulo-{{ compromiso.pk }}">{{ compromiso.codigo }} · {{ compromiso.nombre }}</h2>
    {% if compromiso.validacion_registrada %}<span class="badge {% if compromiso.validacion_registrada.resultado == 'cumple' %}text-bg-success{% elif compromiso.validacion_registrada.resultado == 'parcial' %}text-bg-warning{% else %}text-bg-danger{% endif %}">{{ compromiso.validacion_registrada.nombre_resultado }}</span>{% endif %}
  </div>
  <p class="small text-body-secondary">{{ compromiso.meta }}</p>
  {% if puede_validar and final_aprobado %}
  <form method="post" action="{% url_id 'validacion:iniciativa_validar' compromiso.pk %}">
    {% csrf_token %}
    <fieldset class="mb-2"><legend class="h6">Medios de verificación examinados</legend>
      {% for medio in compromiso.medios_del_anio %}
      <div class="form-check small"><input class="form-check-input" type="checkbox" name="medios" value="{{ medio.pk }}" id="medio-{{ medio.pk }}"{% if medio.examinado %} checked{% endif %}><label class="form-check-label" for="medio-{{ medio.pk }}">{{ medio.periodo }}: {{ medio.nombre_original }}</label> · <a href="{% url_id 'compromisos:medio_descargar' medio.pk %}">descargar<span class="visually-hidden"> {{ medio.nombre_original }}</span></a></div>
      {% empty %}<p class="small">Sin medios de verificación.</p>{% endfor %}
    </fieldset>
    <fieldset class="mb-2"><legend class="h6">Resultado</legend>
      {% for valor, etiqueta in resultados %}<div class="form-check form-check-inline"><input class="form-check-input" type="radio" name="resultado" value="{{ valor }}" id="resultado-{{ compromiso.pk }}-{{ valor }}"{% if compromiso.validacion_registrada.resultado == valor %} checked{% endif %} required><label class="form-check-label" for="resultado-{{ compromiso.pk }}-{{ valor }}">{{ etiqueta }}</label></div>{% endfor %}
    </fieldset>
    <label class="form-label h6" for="fundamento-{{ compromiso.pk }}">Fundamento</label>
    <textarea name="fundamento" id="fundamento-{{ compromiso.pk }}" rows="3" class="form-control" required>{{ compromiso.validacion_registrada.fundamento }}</textarea>
    <button type="submit" class="btn btn-outline-primary btn-sm mt-2">Guardar validación de {{ compromiso.codigo }}</button>
  </form>
  {% else %}
  {% if compromiso.validacion_registrada %}<p class="mb-1"><strong>Fundamento:</strong> {{ compromiso.validacion_registrada.fundamento }}</p>{% endif %}
  <ul class="small mb-0">{% for medio in compromiso.medios_del_anio %}<li>{{ medio.periodo }}: <a href="{% url_id 'compromisos:medio_descargar' medio.pk %}">{{ medio.nombre_original }}</a>{% if medio.examinado %} · examinado{% endif %}</li>{% empty %}<li>Sin medios de verificación.</li>{% endfor %}</ul>
  {% endif %}
</div></section>
{% endfor %}"""

RARO = "<b>R&D</b> \"uno\" y 'dos'"


def test_las_iniciativas_son_las_de_la_plantilla(
    formulacion_osorno, encargado, analista, consultora
):
    for numero in (3, 4):
        Compromiso.objects.create(
            formulacion=formulacion_osorno,
            linea=formulacion_osorno.lineas.get(),
            codigo=f"C0{numero}",
            nombre=RARO if numero == 3 else f"Compromiso {numero}",
            descripcion="Descripción",
            meta=RARO,
            tipo_medida="descentralizacion",
            complejidad="inmediata",
            ambito="infraestructura",
        )
    informe = crear_informe(formulacion_osorno, InformeAvance.Periodo.FINAL, medios_por_avance=2)
    MedioVerificacion.objects.filter(avance__compromiso__codigo="C03").update(
        nombre_original=f"{RARO}.pdf"
    )
    # C04 without files.
    MedioVerificacion.objects.filter(avance__compromiso__codigo="C04").delete()
    for accion, usuario in (("enviar", encargado), ("tomar", analista), ("aprobar", analista)):
        informe = revision_transicionar(objeto=informe, accion=accion, usuario=usuario)
    validacion = ValidacionServicio.objects.create(formulacion=formulacion_osorno)
    for codigo, resultado in (("C01", "cumple"), ("C02", "parcial"), ("C03", "no_cumple")):
        compromiso = formulacion_osorno.compromisos.get(codigo=codigo)
        ValidacionIniciativa.objects.create(
            validacion=validacion,
            compromiso=compromiso,
            resultado=resultado,
            fundamento=RARO,
            consultora=consultora,
        ).medios_examinados.set(
            MedioVerificacion.objects.filter(avance__compromiso=compromiso).order_by("pk")[:1]
        )
    contexto = (
        cliente(consultora)
        .get(reverse("validacion:servicio_validar", args=[formulacion_osorno.pk]))
        .context
    )
    iniciativas, resultados = contexto["iniciativas"], contexto["resultados"]
    assert [len(i.medios_del_anio) for i in iniciativas] == [2, 2, 2, 0]
    for lista in (iniciativas, []):
        for puede_validar in (True, False):
            for final_aprobado in (True, False):
                datos = {
                    "iniciativas": lista,
                    "puede_validar": puede_validar,
                    "final_aprobado": final_aprobado,
                    "resultados": resultados,
                    "csrf_token": "ficha<csrf>",
                }
                antes = Template(PLANTILLA).render(Context(datos))
                ahora = Template(
                    "{% load iniciativas_validar %}"
                    "{% iniciativas_validar iniciativas puede_validar final_aprobado resultados %}"
                ).render(Context(datos))
                assert ahora == antes
    assert " checked" in antes or not lista
