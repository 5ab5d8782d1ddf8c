"""The queue's rows drawn in Python (validacion/templatetags/bandeja_filas.py) from the columns
they show (validacion.selectors.FilaBandeja) give the markup the template drew before over the
model objects, escaping included."""

import re

import pytest
from django.template import Context, Template
from django.urls import reverse

from compromisos.models import FormulacionPMG
from tests.conftest import cliente
from validacion import selectors
from validacion.selectors import FilaBandeja
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
    assert all(isinstance(fila, FilaBandeja) for fila in [*pagina, *formulaciones])
    filas = {"pagina": pagina, "formulaciones": formulaciones, "puede_tomar": puede_tomar}
    # The same rows as model objects, with their catalogs and open observaciones.
    objetos = {
        "pagina": [
            o for o in selectors.bandeja(usuario=analista) if o.pk in {f.pk for f in pagina}
        ],
        "formulaciones": [
            o
            for o in selectors.bandeja_formulaciones(usuario=analista)
            if o.pk in {f.pk for f in formulaciones}
        ],
        "puede_tomar": puede_tomar,
    }
    assert [o.pk for o in objetos["pagina"]] == [f.pk for f in pagina]
    assert [len(o.abiertas) for o in objetos["pagina"]] == [1, 0]
    dibujadas = []
    for plantilla, etiqueta in (
        (INFORMES, "{% filas_informes pagina puede_tomar %}"),
        (FORMULACIONES, "{% filas_formulaciones formulaciones puede_tomar %}"),
    ):
        antes = Template(plantilla).render(Context(objetos))
        ahora = Template("{% load bandeja_filas %}" + etiqueta).render(Context(filas))
        assert _normal(ahora) == _normal(antes)
        dibujadas.append(ahora)
    assert "Servicio &lt;b&gt;&quot;A&quot; &amp; B&lt;/b&gt;" in dibujadas[0]
    assert 'value="' in dibujadas[1] if puede_tomar else "<input" not in dibujadas[1]


def test_un_entregable_propio_del_anio_lleva_el_nombre_de_su_tipo(
    proceso, formulacion_osorno, encargado, analista
):
    """Rows name a kind of deliverable from the catalog (compromisos.selectors
    .nombres_de_entregables, no join): a renamed kind shows on the next view."""
    from compromisos.services import informe_enviar
    from tests.validacion.test_entregables_genericos import crear_entregable, crear_tipo

    tipo = crear_tipo(proceso)
    informe = informe_enviar(informe=crear_entregable(formulacion_osorno, tipo), usuario=encargado)
    url = reverse("validacion:bandeja") + "?cartera=todas"
    (fila,) = [f for f in cliente(analista).get(url).context["pagina"] if f.pk == informe.pk]
    assert fila.periodo == informe.get_periodo_display() == "Informe de evaluación"
    tipo.nombre = "Informe de evaluación <final>"
    tipo.save()
    contenido = cliente(analista).get(url).content.decode()
    assert f"Informe de evaluación &lt;final&gt; {proceso.anio}</a>" in contenido
