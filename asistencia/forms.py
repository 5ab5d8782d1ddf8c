import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from asistencia.models import CanalContacto, TipoActividad, TipoDocumento
from compromisos.models import Compromiso, InformeAvance
from compromisos.selectors import periodos_a_elegir
from servicios.models import Ministerio, Region, Servicio, TipoServicio
from srm.widgets import FormularioBootstrap

ANIOS = (2000, 2100)


class ConsultaForm(FormularioBootstrap, forms.Form):
    asunto = forms.CharField(max_length=200)
    texto = forms.CharField(label="Su consulta", widget=forms.Textarea(attrs={"rows": 5}))
    compromiso = forms.ModelChoiceField(
        queryset=Compromiso.objects.none(), required=False, label="Sobre el compromiso (opcional)"
    )
    informe = forms.ModelChoiceField(
        queryset=InformeAvance.objects.none(), required=False, label="Sobre el informe (opcional)"
    )

    def __init__(self, *args, servicio: Servicio, anio: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Only the servicio's own documents of the year can be named.
        self.fields["compromiso"].queryset = Compromiso.objects.filter(
            formulacion__servicio=servicio, formulacion__proceso__anio=anio
        ).order_by("codigo")
        self.fields["informe"].queryset = InformeAvance.objects.filter(
            formulacion__servicio=servicio, formulacion__proceso__anio=anio
        ).select_related("formulacion__proceso", "formulacion__servicio", "tipo")
        self.fields["compromiso"].label_from_instance = lambda c: f"{c.codigo} · {c.nombre}"
        self.fields["informe"].label_from_instance = lambda i: i.get_periodo_display()


class MensajeForm(FormularioBootstrap, forms.Form):
    texto = forms.CharField(label="Mensaje", widget=forms.Textarea(attrs={"rows": 3}))


class PublicarForm(FormularioBootstrap, forms.Form):
    pregunta = forms.CharField(
        label="Pregunta, como la leerán todos (sin nombres)",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    respuesta = forms.CharField(label="Respuesta", widget=forms.Textarea(attrs={"rows": 4}))


class ActividadForm(FormularioBootstrap, forms.Form):
    """An activity of the plan and the criteria that choose the servicios convened."""

    tipo = forms.ChoiceField(choices=TipoActividad.choices)
    tema = forms.CharField(max_length=200)
    fecha = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    hora_inicio = forms.TimeField(
        label="Hora de inicio", widget=forms.TimeInput(attrs={"type": "time"})
    )
    hora_fin = forms.TimeField(
        label="Hora de término", widget=forms.TimeInput(attrs={"type": "time"})
    )
    lugar = forms.CharField(max_length=200, required=False)
    enlace = forms.URLField(
        label="Enlace de conexión", required=False, max_length=200, assume_scheme="https"
    )
    responsable = forms.ModelChoiceField(
        queryset=get_user_model().objects.none(), label="Analista a cargo"
    )
    materiales = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    tipo_servicio = forms.ModelChoiceField(
        queryset=TipoServicio.objects.all(), required=False, label="Convocar: tipo de servicio"
    )
    ministerio = forms.ModelChoiceField(
        queryset=Ministerio.objects.all(), required=False, label="Convocar: ministerio"
    )
    region = forms.ModelChoiceField(
        queryset=Region.objects.all(), required=False, label="Convocar: región"
    )
    atrasados_en = forms.ChoiceField(
        # The year's deliverables: set by __init__ from the year the activity is planned for.
        choices=[("", "Todos")],
        required=False,
        label="Convocar: solo los atrasados en",
    )
    sin_convocados = forms.BooleanField(
        required=False,
        label="Sin servicios convocados (capacitación de la consultora, coordinación DIPRES)",
    )

    def __init__(self, *args, anio: int | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if anio is not None:
            self.fields["atrasados_en"].choices = [("", "Todos"), *periodos_a_elegir(anio=anio)]
        self.fields["responsable"].queryset = (
            get_user_model()
            .objects.filter(groups__name="analista", is_active=True)
            .order_by("first_name", "last_name", "username")
        )
        self.fields["responsable"].label_from_instance = lambda u: u.get_full_name() or u.username

    def clean(self):
        datos = super().clean()
        inicio, fin = datos.get("hora_inicio"), datos.get("hora_fin")
        if inicio and fin and fin <= inicio:
            self.add_error("hora_fin", "La hora de término debe ser posterior a la de inicio.")
        return datos

    def momentos(self) -> tuple[datetime.datetime, datetime.datetime]:
        datos = self.cleaned_data
        zona = timezone.get_current_timezone()
        return (
            datetime.datetime.combine(datos["fecha"], datos["hora_inicio"], tzinfo=zona),
            datetime.datetime.combine(datos["fecha"], datos["hora_fin"], tzinfo=zona),
        )


class ActividadEdicionForm(ActividadForm):
    """What may change of a planned or convened activity: not who is convened."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for campo in ("tipo_servicio", "ministerio", "region", "atrasados_en", "sin_convocados"):
            del self.fields[campo]

    @classmethod
    def inicial(cls, actividad) -> dict:
        inicio, fin = timezone.localtime(actividad.inicio), timezone.localtime(actividad.fin)
        return {
            "tipo": actividad.tipo,
            "tema": actividad.tema,
            "fecha": inicio.date(),
            "hora_inicio": inicio.time().replace(second=0, microsecond=0),
            "hora_fin": fin.time().replace(second=0, microsecond=0),
            "lugar": actividad.lugar,
            "enlace": actividad.enlace,
            "responsable": actividad.responsable_id,
            "materiales": actividad.materiales,
        }


class InscripcionForm(FormularioBootstrap, forms.Form):
    nombre = forms.CharField(max_length=150, label="Nombre de quien asistirá")
    cargo = forms.CharField(max_length=150, required=False)
    correo = forms.EmailField(required=False)


class ActaForm(FormularioBootstrap, forms.Form):
    acta = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}))


class AcuerdoForm(FormularioBootstrap, forms.Form):
    descripcion = forms.CharField(label="Acuerdo", widget=forms.Textarea(attrs={"rows": 2}))
    responsable = forms.CharField(max_length=150)
    plazo = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    servicio = forms.ModelChoiceField(
        queryset=Servicio.objects.none(), required=False, label="Servicio (opcional)"
    )

    def __init__(self, *args, servicios, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["servicio"].queryset = servicios


class CierreForm(FormularioBootstrap, forms.Form):
    cierre = forms.CharField(label="Cómo se cumplió", max_length=2000)


class ContactoForm(FormularioBootstrap, forms.Form):
    canal = forms.ChoiceField(choices=CanalContacto.choices)
    fecha = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    tema = forms.CharField(max_length=200)
    acuerdos = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))


class DocumentoForm(FormularioBootstrap, forms.Form):
    anio = forms.IntegerField(label="Año", min_value=ANIOS[0], max_value=ANIOS[1])
    tipo = forms.ChoiceField(choices=TipoDocumento.choices)
    titulo = forms.CharField(label="Título", max_length=200)
    descripcion = forms.CharField(
        label="Descripción", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    para_todos = forms.BooleanField(required=False, initial=True, label="Para todos los servicios")
    servicios = forms.ModelMultipleChoiceField(
        queryset=Servicio.objects.order_by("nombre"),
        required=False,
        label="Solo para (si no es para todos)",
    )
    archivo = forms.FileField()

    def clean(self):
        datos = super().clean()
        if not datos.get("para_todos") and not datos.get("servicios"):
            self.add_error("servicios", "Elija los servicios, o marque «para todos».")
        return datos


class VersionForm(FormularioBootstrap, forms.Form):
    archivo = forms.FileField(label="Archivo de la versión nueva")
    nota = forms.CharField(label="Qué cambia", max_length=300, required=False)
