from django import forms

from compromisos.models import (
    AvanceCompromiso,
    Compromiso,
    FormulacionPMG,
    InformeAvance,
    LineaFormulacion,
    MedioVerificacion,
)
from compromisos.selectors import preguntas_del_informe
from formularios.models import Pregunta
from srm import entradas
from srm.widgets import CasillasLigeras, RadiosLigeros
from validacion.models import ValidacionServicio, VeredictoMedio


class RespuestaForm(forms.Form):
    texto = forms.CharField(
        label="Su respuesta", widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"})
    )


class ObservacionForm(forms.Form):
    """A new remark on the informe, optionally on one of its compromisos or files."""

    texto = forms.CharField(label="Observación", widget=forms.Textarea(attrs={"rows": 2}))
    avance = forms.ModelChoiceField(queryset=AvanceCompromiso.objects.none(), required=False)
    medio = forms.ModelChoiceField(queryset=MedioVerificacion.objects.none(), required=False)
    pregunta = forms.ModelChoiceField(queryset=Pregunta.objects.none(), required=False)

    def __init__(self, *args, informe: InformeAvance, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Only targets inside this informe can be chosen.
        self.fields["avance"].queryset = informe.avances.all()
        self.fields["medio"].queryset = MedioVerificacion.objects.filter(informe=informe)
        self.fields["pregunta"].queryset = preguntas_del_informe(informe)


class ObservacionFormulacionForm(forms.Form):
    """A new remark on the formulación, optionally on one of its líneas or compromisos."""

    texto = forms.CharField(label="Observación", widget=forms.Textarea(attrs={"rows": 2}))
    linea = forms.ModelChoiceField(queryset=LineaFormulacion.objects.none(), required=False)
    compromiso = forms.ModelChoiceField(queryset=Compromiso.objects.none(), required=False)

    def __init__(self, *args, formulacion: FormulacionPMG, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Only targets inside this formulación can be chosen.
        self.fields["linea"].queryset = formulacion.lineas.all()
        self.fields["compromiso"].queryset = formulacion.compromisos.all()


class TransicionForm(forms.Form):
    """A review decision: its optional comment and the version of the document it was shown."""

    comentario = forms.CharField(required=False, max_length=4000)
    version = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    # Approving with observaciones still pending: the reason they are closed (validacion.services).
    motivo_cierre = forms.CharField(required=False, max_length=4000)


class VeredictoForm(forms.Form):
    resultado = forms.ChoiceField(
        choices=VeredictoMedio.Resultado.choices,
        error_messages={"invalid_choice": "Elija aceptado, observado o rechazado."},
    )
    motivo = forms.CharField(required=False, max_length=4000)


class ValidacionIniciativaForm(forms.Form):
    resultado = forms.ChoiceField(
        choices=ValidacionServicio.Resultado.choices,
        error_messages={"invalid_choice": "Elija cumple, cumple parcialmente o no cumple."},
    )
    fundamento = forms.CharField(required=False, max_length=8000)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The examined files are ids of checkboxes; only this iniciativa's own count (view).
        self.medios = entradas.ids(self.data.getlist("medios")) if self.data else []

    def clean(self) -> dict:
        if self.medios is None:
            raise forms.ValidationError("La lista de medios examinados no es válida.")
        return super().clean()


class VeredictoRequisitoForm(forms.Form):
    """Met or not met, with the files that support it: the analyst's or the consultora's."""

    cumple = forms.TypedChoiceField(
        label="Resultado",
        choices=[("1", "Cumplido"), ("0", "No cumplido")],
        coerce=lambda valor: valor == "1",
        widget=RadiosLigeros(attrs={"class": "form-check-input"}),
        error_messages={
            "required": "Indique si el requisito se cumple.",
            "invalid_choice": "Indique si el requisito se cumple.",
        },
    )
    medios = forms.TypedMultipleChoiceField(
        label="Archivos que lo respaldan",
        coerce=int,
        required=False,
        widget=CasillasLigeras(attrs={"class": "form-check-input"}),
        error_messages={"invalid_choice": "Elija archivos de este servicio y año."},
    )
    comentario = forms.CharField(
        label="Comentario",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm"}),
    )

    def __init__(self, *args, opciones: list[tuple[int, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["medios"].choices = opciones

    def clean(self) -> dict:
        datos = super().clean()
        if datos.get("cumple") is True and not datos.get("medios"):
            self.add_error(
                "medios", "Para darlo por cumplido, marque al menos un archivo que lo respalde."
            )
        if datos.get("cumple") is False and not datos.get("comentario", "").strip():
            self.add_error(
                "comentario", "Diga por qué no se cumple: el servicio debe saber qué falta."
            )
        return datos


class ValidacionAccionForm(forms.Form):
    comentario = forms.CharField(required=False, max_length=4000)
    fecha = forms.DateField(
        required=False, error_messages={"invalid": "Indique la fecha de registro en DIPRES."}
    )


def primer_error(formulario: forms.Form) -> str:
    """The form's errors as one sentence for a message."""
    return " ".join(" ".join(errores) for errores in formulario.errors.values())
