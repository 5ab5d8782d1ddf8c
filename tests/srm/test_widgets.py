"""srm/widgets.py: fields drawn in Python with the markup of Django's templates."""

import datetime
import re

import pytest
from django import forms

from srm.widgets import aligerar, estilo_bootstrap


class Formulario(forms.Form):
    porcentaje = forms.IntegerField(
        min_value=0, max_value=100, widget=forms.NumberInput(attrs={"step": 1, "form": "otro"})
    )
    texto = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    nombre = forms.CharField(max_length=5, help_text="Corto.")
    fecha = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    tipo = forms.ChoiceField(choices=[("1", "<uno>"), ("2", "dos & tres")])
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
