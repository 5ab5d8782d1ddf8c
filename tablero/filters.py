"""Filters of the tablero and its drill-down lists; every choice stays in the URL."""

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from bitacora import acciones
from bitacora.models import Evento
from compromisos.models import Compromiso, EstadoRevision, FormulacionPMG, InformeAvance
from servicios.models import Ministerio, Region, Servicio, TipoServicio
from srm import entradas
from srm.widgets import FiltroBootstrap
from tablero.selectors import (
    ETAPAS_SEGUIDAS,
    ETIQUETAS_ETAPA,
    Situacion,
    anios_registrados,
    entregables,
    proceso_del_anio,
)
from validacion.models import ValidacionServicio

SIN_INFORME = "sin_informe"
SIN_VALIDAR = "sin_validar"


def anios() -> list[tuple[int, int]]:
    return [(anio, anio) for anio in anios_registrados()]


class TableroFilter(FiltroBootstrap):
    """Año and periodo choose what is measured; ministerio, tipo and región narrow the servicios.

    `qs` holds every year's formulaciones of the chosen servicios (the trend needs them all);
    the year itself is applied by `selectors.alcance`.
    """

    anio = django_filters.ChoiceFilter(label="Año", choices=anios, empty_label=None, method="medir")
    periodo = django_filters.ChoiceFilter(
        label="Periodo", choices=InformeAvance.Periodo.choices, empty_label=None, method="medir"
    )
    ministerio = django_filters.ModelChoiceFilter(
        label="Ministerio",
        field_name="servicio__ministerio",
        queryset=Ministerio.objects.all(),
        empty_label="Todos",
    )
    tipo = django_filters.ModelChoiceFilter(
        label="Tipo de servicio",
        field_name="servicio__tipo",
        queryset=TipoServicio.objects.all(),
        empty_label="Todos",
    )
    region = django_filters.ModelChoiceFilter(
        label="Región",
        field_name="servicio__region",
        queryset=Region.objects.all(),
        empty_label="Todas",
        null_label="Alcance nacional",
    )

    class Meta:
        model = FormulacionPMG
        fields = ["anio", "periodo", "ministerio", "tipo", "region"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Read the years once per request, not at every validation and rendering of the field.
        self.form.fields["anio"].choices = anios()
        # The periods are the chosen year's deliverables (kept with the catalogs).
        anio = entradas.anio((self.data or {}).get("anio", ""))
        proceso = proceso_del_anio(anio, hoy=timezone.localdate()) if anio else None
        if proceso is not None:
            self.form.fields["periodo"].choices = entregables(proceso)

    def medir(self, queryset, name, value):
        # Año and periodo say what to measure, not which servicios: see selectors.alcance.
        return queryset


class ServiciosFilter(FiltroBootstrap):
    """The servicios behind a figure: the state of their informe of the periodo, its timing."""

    estado = django_filters.ChoiceFilter(
        label="Informe del periodo",
        choices=[(SIN_INFORME, "Sin informe"), *EstadoRevision.choices],
        empty_label="Todos",
        method="filtrar_estado",
    )
    plazo = django_filters.ChoiceFilter(
        label="Entrega",
        choices=[
            ("a_tiempo", "Enviado a tiempo"),
            ("atrasado", "Enviado fuera de plazo"),
            ("sin_enviar", "Sin enviar"),
        ],
        empty_label="Todas",
        method="filtrar_plazo",
    )
    observaciones = django_filters.ChoiceFilter(
        label="Observaciones",
        choices=[("pendientes", "Con observaciones pendientes")],
        empty_label="Todas",
        method="filtrar_observaciones",
    )

    class Meta:
        model = FormulacionPMG
        fields = ["estado", "plazo", "observaciones"]

    def filtrar_estado(self, queryset, name, value):
        if value == SIN_INFORME:
            return queryset.filter(informe_estado__isnull=True)
        return queryset.filter(informe_estado=value)

    def filtrar_plazo(self, queryset, name, value):
        if value == "sin_enviar":
            return queryset.filter(informe_enviado_en__isnull=True)
        return queryset.filter(
            informe_enviado_en__isnull=False, informe_es_atrasado=value == "atrasado"
        )

    def filtrar_observaciones(self, queryset, name, value):
        return queryset.filter(observaciones_pendientes__gt=0)


class CompromisosFilter(FiltroBootstrap):
    """The compromisos behind a figure: by complejidad, ámbito, tipo de medida, validation."""

    complejidad = django_filters.ChoiceFilter(
        choices=Compromiso.Complejidad.choices, empty_label="Todas"
    )
    ambito = django_filters.ChoiceFilter(
        label="Ámbito", choices=Compromiso.Ambito.choices, empty_label="Todos"
    )
    tipo_medida = django_filters.ChoiceFilter(
        label="Tipo de medida", choices=Compromiso.TipoMedida.choices, empty_label="Todos"
    )
    validacion = django_filters.ChoiceFilter(
        label="Validación",
        choices=[*ValidacionServicio.Resultado.choices, (SIN_VALIDAR, "Sin validar")],
        empty_label="Todas",
        method="filtrar_validacion",
    )

    class Meta:
        model = Compromiso
        fields = ["complejidad", "ambito", "tipo_medida", "validacion"]

    def filtrar_validacion(self, queryset, name, value):
        if value == SIN_VALIDAR:
            return queryset.filter(validacion__isnull=True)
        return queryset.filter(validacion__resultado=value)


class SeguimientoFilter(FiltroBootstrap):
    """Which count of the itinerary to list: a situation in an etapa, optionally one hito.

    Only its form is used: the tracker's cells are computed per servicio (see
    selectors.seguimiento) and selectors.filtrar_filas keeps the matching ones.
    """

    etapa = django_filters.ChoiceFilter(
        label="Hito",
        choices=[(etapa, ETIQUETAS_ETAPA[etapa]) for etapa in ETAPAS_SEGUIDAS],
        empty_label="Todos",
    )
    situacion = django_filters.ChoiceFilter(
        label="Situación", choices=Situacion.choices, empty_label="Todas"
    )
    hito = django_filters.NumberFilter(widget=forms.HiddenInput)

    class Meta:
        model = FormulacionPMG
        fields = ["etapa", "situacion", "hito"]

    def __init__(self, *args, etapas: list[tuple[str, str]] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # The year's columns (selectors.etapas_seguidas): its own deliverables.
        if etapas is not None:
            self.form.fields["etapa"].choices = [("", "Todos"), *etapas]


# Actions of the security log: refusals of the permission door and refused uploads.
ACCIONES_DE_SEGURIDAD = [
    "seguridad.acceso_denegado",
    "seguridad.fuera_de_alcance",
    "medio.rechazar",
]


class RegistroFilter(FiltroBootstrap):
    """The event log page's filters: servicio, year, action, person and dates (local days)."""

    servicio = django_filters.ModelChoiceFilter(
        queryset=Servicio.objects.none(), label="Servicio", empty_label="Todos"
    )
    anio = django_filters.ChoiceFilter(choices=anios, label="Año", empty_label="Todos")
    accion = django_filters.ChoiceFilter(
        choices=acciones.descritas, label="Acción", empty_label="Todas"
    )
    persona = django_filters.ModelChoiceFilter(
        field_name="usuario",
        queryset=get_user_model().objects.none(),
        label="Persona",
        empty_label="Todas",
    )
    desde = django_filters.DateFilter(
        field_name="momento",
        lookup_expr="date__gte",
        label="Desde",
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
    )
    hasta = django_filters.DateFilter(
        field_name="momento",
        lookup_expr="date__lte",
        label="Hasta",
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
    )
    seguridad = django_filters.BooleanFilter(
        method="solo_seguridad",
        label="Solo seguridad",
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    class Meta:
        model = Evento
        fields: list[str] = []

    def __init__(self, *args, servicios, personas, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.filters["servicio"].queryset = servicios
        self.filters["persona"].queryset = personas

    @property
    def form(self):
        formulario = super().form
        formulario.fields["persona"].label_from_instance = nombre_de_persona
        return formulario

    def solo_seguridad(self, queryset, nombre, valor):
        """Denied accesses and refused uploads only."""
        return queryset.filter(accion__in=ACCIONES_DE_SEGURIDAD) if valor else queryset


def nombre_de_persona(usuario) -> str:
    return usuario.get_full_name() or usuario.username
