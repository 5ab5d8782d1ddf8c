"""srm/widgets.py: fields drawn in Python with the markup of Django's templates."""

import datetime
import re

import pytest
from django import forms
from django.utils.safestring import mark_safe

from srm.widgets import aligerar, estilo_bootstrap


class Formulario(forms.Form):
    porcentaje = forms.IntegerField(
        min_value=0, max_value=100, widget=forms.NumberInput(attrs={"step": 1, "form": "otro"})
    )
    texto = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    nombre = forms.CharField(max_length=5, help_text="Corto.")
    fecha = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    tipo = forms.ChoiceField(
        choices=[
            ("1", "<uno>"),
            ("2", "dos & tres"),
            # Quotes in a value; a label already safe is not escaped again (as Django's).
            ("3'\"", mark_safe("<i>tres</i>")),
        ]
    )
    oculto = forms.CharField(widget=forms.HiddenInput, required=False)
    acepta = forms.BooleanField(required=False)


DATOS = {
    "porcentaje": "5",
    "texto": '<b>hola</b> & "comillas"',
    "nombre": 'a"<b',
    "fecha": "2026-01-02",
    "tipo": "2",
    "oculto": "z",
    "acepta": "on",
}


def sin_espacios_entre_etiquetas(html: str) -> str:
    return re.sub(r">\s+<", "><", html)


@pytest.mark.parametrize("datos", [None, DATOS], ids=["vacio", "con_datos"])
def test_cada_campo_se_dibuja_como_con_las_plantillas_de_django(datos):
    django = Formulario(datos, initial={"fecha": datetime.date(2026, 1, 2)})
    ligero = Formulario(datos, initial={"fecha": datetime.date(2026, 1, 2)})
    aligerar(ligero.fields)
    if datos:
        assert django.is_valid() and ligero.is_valid()
    for nombre in django.fields:
        assert sin_espacios_entre_etiquetas(str(ligero[nombre])) == sin_espacios_entre_etiquetas(
            str(django[nombre])
        )


def test_lo_escrito_se_escapa():
    formulario = Formulario(DATOS)
    aligerar(formulario.fields)
    html = str(formulario["texto"]) + str(formulario["nombre"]) + str(formulario["tipo"])
    assert "<b>" not in html and "&lt;b&gt;hola&lt;/b&gt; &amp; &quot;comillas&quot;" in html
    assert 'value="a&quot;&lt;b"' in html and "&lt;uno&gt;" in html


def test_clases_de_bootstrap_segun_el_tipo_de_campo():
    formulario = Formulario()
    estilo_bootstrap(formulario.fields)
    assert 'class="form-control"' in str(formulario["porcentaje"])
    assert 'class="form-select"' in str(formulario["tipo"])
    assert 'class="form-check-input"' in str(formulario["acepta"])


@pytest.mark.django_db
def test_las_opciones_de_la_base_se_leen_en_una_consulta_sin_cursor():
    """OpcionesEnUnaConsulta: the same options as Django's (django-filter's null option too),
    one plain query (no server-side cursor on PostgreSQL), read once per form."""
    import django_filters
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from servicios.models import Region

    if Region.objects.count() < 2:  # the regions come with the migrations' data
        Region.objects.create(codigo="99", numero_romano="XCIX", nombre="Prueba", orden=99)

    class Filtro(django_filters.FilterSet):
        region = django_filters.ModelChoiceFilter(
            queryset=Region.objects.all(), empty_label="Todas", null_label="Sin región"
        )

    django = Filtro(queryset=Region.objects.none()).form
    ligero = Filtro(queryset=Region.objects.none()).form
    aligerar(ligero.fields)
    assert list(ligero.fields["region"].choices) == list(django.fields["region"].choices)
    assert sin_espacios_entre_etiquetas(str(ligero["region"])) == sin_espacios_entre_etiquetas(
        str(django["region"])
    )
    otro = Filtro(queryset=Region.objects.none()).form
    aligerar(otro.fields)
    with CaptureQueriesContext(connection) as consultas:
        str(otro["region"])
        str(otro["region"])
    assert len(consultas) == 1
    assert "CURSOR" not in consultas[0]["sql"].upper()


# templates/partials/campo.html and campos.html before the fields were drawn in Python.
CAMPO_PLANTILLA = """{% if campo.is_hidden %}{{ campo }}{% else %}<div id="div_{{ campo.auto_id }}" class="mb-3">{% if campo.label %}<label for="{{ campo.id_for_label }}" class="form-label{% if campo.field.required %} requiredField{% endif %}">{{ campo.label }}{% if campo.field.required %}<span class="asteriskField">*</span>{% endif %}</label>{% endif %}{{ campo }}{% for error in campo.errors %}<div id="error_{{ forloop.counter }}_{{ campo.auto_id }}" class="invalid-feedback d-block"><strong>{{ error }}</strong></div>{% endfor %}{% if campo.help_text %}<div id="{{ campo.auto_id }}_helptext" class="form-text">{{ campo.help_text|safe }}</div>{% endif %}</div>{% endif %}"""
CAMPOS_PLANTILLA = """{% if formulario.non_field_errors %}<div class="alert alert-block alert-danger"><ul class="m-0">{% for error in formulario.non_field_errors %}<li>{{ error }}</li>{% endfor %}</ul></div>{% endif %}{% for campo in formulario %}{% include campo_plantilla %}{% endfor %}"""


class FormularioConAyuda(forms.Form):
    nombre = forms.CharField(
        label='Nombre <del "servicio">', max_length=5, help_text="<b>Corto</b>."
    )
    tipo = forms.ChoiceField(choices=[("1", "<uno>"), ("2", "dos & tres")], required=False)
    texto = forms.CharField(widget=forms.Textarea, label="")
    oculto = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        raise forms.ValidationError('Revise <todo> & "esto".')


@pytest.mark.parametrize("datos", [None, {"nombre": "demasiado <largo>", "tipo": "9"}])
def test_los_campos_se_dibujan_como_con_la_plantilla(datos):
    from django.template import Context, Template

    from srm.widgets import campo_bootstrap, campos_bootstrap

    formulario = FormularioConAyuda(datos, prefix="p")
    estilo_bootstrap(formulario.fields)
    if datos:
        assert not formulario.is_valid()
    plantilla = Template(CAMPO_PLANTILLA)
    for campo in formulario:
        antes = plantilla.render(Context({"campo": campo}))
        assert campo_bootstrap(campo) == antes
    todos = Template(CAMPOS_PLANTILLA).render(
        Context({"formulario": formulario, "campo_plantilla": plantilla})
    )
    assert _normal(campos_bootstrap(formulario)) == _normal(todos)
    if datos:
        assert "Revise &lt;todo&gt; &amp; &quot;esto&quot;." in todos
        assert "error_1_id_p-nombre" in todos


def _normal(html: str) -> str:
    return re.sub(r">\s+<", "><", html).strip()


def test_las_casillas_se_dibujan_como_con_las_plantillas_de_django():
    from srm.widgets import CasillasLigeras

    opciones = [(1, '<b>acta</b> & "firma".pdf'), (2, "foto.png"), (3, "otro")]

    class Casillas(forms.Form):
        de_django = forms.TypedMultipleChoiceField(
            choices=opciones,
            coerce=int,
            widget=forms.CheckboxSelectMultiple(
                attrs={"form": "otro", "class": "form-check-input"}
            ),
        )
        ligeras = forms.TypedMultipleChoiceField(
            choices=opciones,
            coerce=int,
            widget=CasillasLigeras(attrs={"form": "otro", "class": "form-check-input"}),
        )

    formulario = Casillas(initial={"de_django": [2, 3], "ligeras": [2, 3]}, prefix="r")
    django_, ligeras = formulario["de_django"], formulario["ligeras"]
    for de_django, ligera in zip(django_, ligeras, strict=True):
        for envuelta in (False, True):
            esperado = de_django.tag(wrap_label=envuelta).replace("de_django", "ligeras")
            assert ligera.tag(wrap_label=envuelta) == esperado
    assert " checked" in ligeras[1].tag() and "&lt;b&gt;acta" in str(ligeras[0])
    # The whole widget too (its options through Django's own templates).
    assert str(ligeras) == str(django_).replace("de_django", "ligeras")


def test_los_botones_de_radio_se_dibujan_como_con_las_plantillas_de_django():
    from srm.widgets import RadiosLigeros

    opciones = [("1", "Cumple"), ("0", "No <cumple>")]
    django_ = forms.ChoiceField(choices=opciones, widget=forms.RadioSelect)
    ligero = forms.ChoiceField(choices=opciones, widget=RadiosLigeros)
    formulario = type("Radios", (forms.Form,), {"a": django_, "b": ligero})(
        initial={"a": "0", "b": "0"}
    )
    for de_django, ligera in zip(formulario["a"], formulario["b"], strict=True):
        assert ligera.tag() == de_django.tag().replace("_a_", "_b_").replace('"a"', '"b"')


class Archivos(forms.Form):
    archivo = forms.FileField(help_text="PDF.")
    opcional = forms.FileField(required=False, widget=forms.FileInput)


class VariosArchivos(forms.ClearableFileInput):
    allow_multiple_selected = True


@pytest.mark.parametrize("datos", [None, {}], ids=["vacio", "enviado"])
def test_las_entradas_de_archivo_se_dibujan_como_con_las_plantillas_de_django(datos):
    from compromisos.forms import VariosArchivosInput

    django = Archivos(datos, files={} if datos is not None else None)
    ligero = Archivos(datos, files={} if datos is not None else None)
    django.fields["varios"] = forms.FileField(widget=VariosArchivos(attrs={"class": "a&b"}))
    ligero.fields["varios"] = forms.FileField(widget=VariosArchivosInput(attrs={"class": "a&b"}))
    estilo_bootstrap(ligero.fields)
    for campo in django.fields.values():
        campo.widget.attrs.setdefault("class", "form-control")
    assert type(ligero.fields["archivo"].widget).__name__ == "ClearableFileInputLigero"
    if datos is not None:
        assert not django.is_valid() and not ligero.is_valid()
    for nombre in django.fields:
        assert str(ligero[nombre]) == str(django[nombre])
    assert 'class="a&amp;b" multiple' in str(ligero["varios"])


def test_una_entrada_con_archivo_actual_se_dibuja_con_la_plantilla():
    """A current file (its link and the clear checkbox): Django's template, unchanged."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    actual = SimpleUploadedFile("acta.pdf", b"%PDF")
    actual.url = "/media/acta.pdf"
    django = forms.ClearableFileInput().render("archivo", actual)
    campo = forms.FileField(required=False)
    aligerar({"archivo": campo})
    ligero = campo.widget
    assert type(ligero).__name__ == "ClearableFileInputLigero"
    assert ligero.render("archivo", actual) == django
    assert 'href="/media/acta.pdf"' in django
