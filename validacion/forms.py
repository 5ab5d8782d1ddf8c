from django import forms

from compromisos.models import (
    AvanceCompromiso,
    Compromiso,
    FormulacionPMG,
    InformeAvance,
    LineaFormulacion,
    MedioVerificacion,
)


class RespuestaForm(forms.Form):
    texto = forms.CharField(
        label="Su respuesta", widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"})
    )


class ObservacionForm(forms.Form):
    """A new remark on the informe, optionally on one of its compromisos or files."""

    texto = forms.CharField(label="Observación", widget=forms.Textarea(attrs={"rows": 2}))
    avance = forms.ModelChoiceField(queryset=AvanceCompromiso.objects.none(), required=False)
    medio = forms.ModelChoiceField(queryset=MedioVerificacion.objects.none(), required=False)

    def __init__(self, *args, informe: InformeAvance, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Only targets inside this informe can be chosen.
        self.fields["avance"].queryset = informe.avances.all()
        self.fields["medio"].queryset = MedioVerificacion.objects.filter(avance__informe=informe)


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
