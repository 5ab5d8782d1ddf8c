from django import forms
from django.contrib.auth import get_user_model

from metas.models import Indicador, Medicion, MetaAnual, Unidad
from srm.widgets import FormularioBootstrap


class MedicionForm(forms.Form):
    """A period's figures, a comment and an evidence file; the fields follow the formula."""

    numerador = forms.DecimalField(max_digits=14, decimal_places=2, required=False, min_value=0)
    denominador = forms.DecimalField(max_digits=14, decimal_places=2, required=False, min_value=0)
    valor = forms.DecimalField(max_digits=14, decimal_places=2, required=False)
    comentario = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
        help_text="Qué explica la cifra del período, dificultades, fuente consultada.",
    )
    archivo = forms.FileField(
        label="Evidencia",
        required=False,
        help_text="PDF, planilla, documento o imagen. Obligatoria la primera vez; una "
        "corrección agrega un archivo, los anteriores se conservan.",
    )

    def __init__(self, *args, indicador: Indicador, medicion: Medicion | None = None, **kwargs):
        if medicion is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "numerador": medicion.numerador,
                "denominador": medicion.denominador,
                "valor": medicion.valor,
                "comentario": medicion.comentario,
            }
        super().__init__(*args, **kwargs)
        if indicador.tipo_formula == Indicador.TipoFormula.VALOR:
            del self.fields["numerador"], self.fields["denominador"]
            self.fields["valor"].required = True
            self.fields["valor"].label = f"Valor ({indicador.unidad_medida})"
        else:
            del self.fields["valor"]
            for nombre, texto in (
                ("numerador", indicador.numerador),
                ("denominador", indicador.denominador),
            ):
                self.fields[nombre].required = True
                self.fields[nombre].help_text = texto
        if medicion is None or not medicion.evidencias.exists():
            self.fields["archivo"].required = True
        for campo in self.fields.values():
            campo.widget.attrs.setdefault("class", "form-control")


class DevolverForm(forms.Form):
    comentario = forms.CharField(
        label="Qué debe corregir la unidad",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
    )


class MetaForm(FormularioBootstrap, forms.ModelForm):
    """A unit's meta for a year (its indicators are added next)."""

    class Meta:
        model = MetaAnual
        fields = ["anio", "nombre", "origen"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["anio"].min_value, self.fields["anio"].max_value = 2000, 2100
        self.fields["anio"].widget.attrs.update({"min": 2000, "max": 2100})


class IndicadorForm(FormularioBootstrap, forms.ModelForm):
    """An indicator the unit reports: formula, meta and tolerance, periodicity, who reports."""

    class Meta:
        model = Indicador
        fields = [
            "nombre",
            "tipo_formula",
            "numerador",
            "denominador",
            "factor",
            "acumulacion",
            "unidad_medida",
            "valor_meta",
            "tolerancia",
            "sentido",
            "periodicidad",
            "fuente_detalle",
            "responsable",
        ]

    def __init__(self, *args, unidad: Unidad, **kwargs):
        super().__init__(*args, **kwargs)
        personas = get_user_model().objects.filter(
            pk__in=[*unidad.integrantes.values_list("pk", flat=True), unidad.jefe_id]
        )
        self.fields["responsable"].queryset = personas.order_by("first_name", "last_name", "pk")
        self.fields["responsable"].label_from_instance = lambda u: u.get_full_name() or u.username

    def clean(self):
        datos = super().clean()
        if datos.get("tipo_formula") == Indicador.TipoFormula.COCIENTE:
            for campo in ("numerador", "denominador"):
                if not datos.get(campo):
                    self.add_error(
                        campo, "Un cociente dice qué cuenta su numerador y su denominador."
                    )
        return datos
