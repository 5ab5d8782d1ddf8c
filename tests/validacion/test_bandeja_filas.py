"""The queue's rows drawn in Python (validacion/templatetags/bandeja_filas.py) give the markup
the template drew before, escaping included."""

import re

import pytest
from django.template import Context, Template
from django.urls import reverse

from compromisos.models import FormulacionPMG
from tests.conftest import cliente
from validacion.services import observacion_crear, revision_transicionar

pytestmark = pytest.mark.django_db

INFORMES = """{% load srm_formato %}{% for informe in pagina %}
    <tr>
      {% if puede_tomar %}<td>{% if informe.estado == 'enviado' %}<input class="form-check-input" type="checkbox" name="informes" value="{{ informe.pk }}" id="marcar-{{ informe.pk }}" aria-label="Marcar {{ informe.get_periodo_display|lower }} de {{ informe.formulacion.servicio.nombre }}">{% endif %}</td>{% endif %}
      <td>{{ informe.formulacion.servicio.nombre }}<div class="small text-body-secondary">{{ informe.formulacion.servicio.tipo }} · {{ informe.formulacion.servicio.ministerio.sigla }}{% if informe.formulacion.servicio.region %} · {{ informe.formulacion.servicio.region.nombre }}{% endif %}</div></td>
      <td><a href="{% url_id 'validacion:informe_revisar' informe.pk %}">{{ informe.get_periodo_display }} {{ informe.formulacion.proceso.anio }}</a>{% if informe.es_atrasado %} <span class="badge text-bg-danger">Fuera de plazo</span>{% endif %}</td>
      <td>{{ informe.enviado_en|date:"d-m-Y H:i"|default:"—" }}</td>
      <td>{% if informe.estado == 'enviado' or informe.estado == 'en_revision' %}{{ informe.enviado_en|timesince }}{% else %}—{% endif %}</td>
      <td class="text-end">{{ informe.abiertas|length }}</td>
      <td>{% estado informe %}</td>
    </tr>
    {% endfor %}"""

FORMULACIONES = """{% load srm_formato %}{% for formulacion in formulaciones %}
    <tr>
      {% if puede_tomar %}<td>{% if formulacion.estado == 'enviado' %}<input class="form-check-input" type="checkbox" name="formulaciones" value="{{ formulacion.pk }}" id="marcar-formulacion-{{ formulacion.pk }}" aria-label="Marcar formulación {{ formulacion.proceso.anio }} de {{ formulacion.servicio.nombre }}">{% endif %}</td>{% endif %}
      <td>{{ formulacion.servicio.nombre }}<div class="small text-body-secondary">{{ formulacion.servicio.tipo }} · {{ formulacion.servicio.ministerio.sigla }}{% if formulacion.servicio.region %} · {{ formulacion.servicio.region.nombre }}{% endif %}</div></td>
      <td><a href="{% url_id 'validacion:formulacion_revisar' formulacion.pk %}">Formulación {{ formulacion.proceso.anio }}</a></td>
      <td>{{ formulacion.enviada_en|date:"d-m-Y H:i"|default:"—" }}</td>
      <td>{% if formulacion.estado == 'enviado' or formulacion.estado == 'en_revision' %}{{ formulacion.enviada_en|timesince }}{% else %}—{% endif %}</td>
      <td class="text-end">{{ formulacion.abiertas|length }}</td>
      <td>{% estado formulacion %}</td>
    </tr>
    {% endfor %}"""


def _normal(html: str) -> str:
    return re.sub(r">\s+<", "><", html).strip()


@pytest.mark.parametrize("puede_tomar", [True, False])
def test_las_filas_son_las_de_la_plantilla(
    puede_tomar, informe_osorno, informe_llanquihue, encargado, encargado_otro, analista
):
    informe_osorno.formulacion.servicio.nombre = 'Servicio <b>"A" & B</b>'
    informe_osorno.formulacion.servicio.save()
    osorno = revision_transicionar(objeto=informe_osorno, accion="enviar", usuario=encargado)
    revision_transicionar(objeto=informe_llanquihue, accion="enviar", usuario=encargado_otro)
    osorno = revision_transicionar(objeto=osorno, accion="tomar", usuario=analista)
    observacion_crear(informe=osorno, texto="Falta el acta.", usuario=analista)
    formulacion = FormulacionPMG.objects.get(pk=informe_llanquihue.formulacion_id)
    revision_transicionar(objeto=formulacion, accion="enviar", usuario=encargado_otro)

    contexto = cliente(analista).get(reverse("validacion:bandeja") + "?cartera=todas").context
    pagina, formulaciones = contexto["pagina"], contexto["formulaciones"]
    assert len(pagina) == 2 and len(formulaciones) == 1
    datos = {"pagina": pagina, "formulaciones": formulaciones, "puede_tomar": puede_tomar}
    dibujadas = []
    for plantilla, etiqueta in (
        (INFORMES, "{% filas_informes pagina puede_tomar %}"),
        (FORMULACIONES, "{% filas_formulaciones formulaciones puede_tomar %}"),
    ):
        antes = Template(plantilla).render(Context(datos))
        ahora = Template("{% load bandeja_filas %}" + etiqueta).render(Context(datos))
        assert _normal(ahora) == _normal(antes)
        dibujadas.append(ahora)
    assert "Servicio &lt;b&gt;&quot;A&quot; &amp; B&lt;/b&gt;" in dibujadas[0]
    assert 'value="' in dibujadas[1] if puede_tomar else "<input" not in dibujadas[1]
