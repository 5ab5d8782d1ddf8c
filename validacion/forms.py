from django import forms


class RespuestaForm(forms.Form):
    texto = forms.CharField(
        label="Su respuesta", widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"})
    )
