"""Forms of the GORE quality system. They validate and render; services do the writing."""

from django import forms

from calidad.models import Incentivo, MedidaMejora
from srm.widgets import FormularioBootstrap


def _niveles(escala_maxima: int) -> list[tuple[str, str]]:
    return [(str(nivel), str(nivel)) for nivel in range(escala_maxima + 1)]


class RespuestaForm(FormularioBootstrap, forms.Form):
    texto = forms.CharField(
        label="Descripción del GORE",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=10_000,
        required=False,
        help_text="Enfoque, despliegue y resultados del elemento en el gobierno regional.",
    )
    nivel_propuesto = forms.TypedChoiceField(
        label="Nivel propuesto", coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, escala_maxima: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["nivel_propuesto"].choices = [("", "Sin nivel"), *_niveles(escala_maxima)]


class CalificacionForm(FormularioBootstrap, forms.Form):
    nivel_evaluado = forms.TypedChoiceField(label="Nivel evaluado", coerce=int)
    observacion = forms.CharField(
        label="Observación del evaluador",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=5_000,
        required=False,
    )

    def __init__(self, *args, escala_maxima: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["nivel_evaluado"].choices = [("", "Elija un nivel"), *_niveles(escala_maxima)]


class MedioForm(FormularioBootstrap, forms.Form):
    archivo = forms.FileField(label="Medio de verificación")


class TransicionForm(FormularioBootstrap, forms.Form):
    comentario = forms.CharField(
        label="Observaciones",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=10_000,
    )


class MetodologiaForm(FormularioBootstrap, forms.Form):
    metodologia = forms.CharField(
        label="Metodología general del plan",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=10_000,
    )


class MedidaForm(FormularioBootstrap, forms.ModelForm):
    class Meta:
        model = MedidaMejora
        fields = [
            "elemento",
            "descripcion",
            "tipo",
            "responsable",
            "plazo",
            "costo",
            "metodologia",
            "puntaje_esperado",
        ]
        widgets = {
            "descripcion": forms.Textarea(attrs={"rows": 2}),
            "metodologia": forms.Textarea(attrs={"rows": 2}),
            "plazo": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        labels = {"elemento": "Brecha (elemento) que cierra"}

    def __init__(self, *args, elementos, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["elemento"].queryset = elementos
        self.fields["elemento"].label_from_instance = lambda e: f"{e.codigo} {e.nombre}"


class AvanceForm(FormularioBootstrap, forms.Form):
    avance = forms.IntegerField(label="Avance (%)", min_value=0, max_value=100)
    comentario = forms.CharField(label="Comentario", required=False, max_length=5_000)
    archivo = forms.FileField(label="Evidencia (opcional)", required=False)


class AcreditacionForm(FormularioBootstrap, forms.Form):
    fecha = forms.DateField(label="Fecha", widget=forms.DateInput(attrs={"type": "date"}))
    resolucion = forms.CharField(label="Resolución", max_length=200)


class IncentivoForm(FormularioBootstrap, forms.Form):
    tipo = forms.ChoiceField(label="Tipo", choices=Incentivo.Tipo.choices)
    descripcion = forms.CharField(label="Descripción", max_length=300)
    monto = forms.IntegerField(label="Monto (pesos)", min_value=0, required=False)
    fecha = forms.DateField(label="Fecha", widget=forms.DateInput(attrs={"type": "date"}))
