import copy

import django_filters
from django.db.models import Q
from django.http import QueryDict

from compromisos.models import EstadoRevision, FormulacionPMG, InformeAvance, Proceso
from compromisos.selectors import en_cartera_del_analista, periodos_a_elegir
from servicios.models import Ministerio, Region, TipoServicio
from srm import catalogo, entradas
from srm.widgets import FiltroBootstrap, SelectLigero, opciones_leidas

POR_REVISAR = "por_revisar"


class SiNoWidget(django_filters.widgets.BooleanWidget, SelectLigero):
    """django-filter's yes/no select, drawn in Python (srm.widgets.SelectLigero: the same
    markup as Django's select templates, which took a quarter of drawing the queue's filters)."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("", "Todos"), ("true", "Sí"), ("false", "No")]


# The filter's selects of catalog rows (srm/catalogo.py: moved only by writes to them).
CATALOGOS_DEL_FILTRO = ("anio", "ministerio", "tipo", "region")


_FORMULARIOS: dict[type, type] = {}


class BandejaFilter(FiltroBootstrap):
    """Filters of the review queue; every choice stays in the URL, so a view can be shared."""

    cartera = django_filters.ChoiceFilter(
        label="Servicios",
        choices=[("mia", "De mi cartera"), ("todas", "Todos")],
        empty_label=None,
        method="filtrar_cartera",
    )
    estado = django_filters.ChoiceFilter(
        choices=[
            (POR_REVISAR, "Por revisar (enviados o en revisión)"),
            *[
                (valor, etiqueta)
                for valor, etiqueta in EstadoRevision.choices
                if valor != "borrador"
            ],
        ],
        empty_label="Todos",
        method="filtrar_estado",
    )
    anio = django_filters.ModelChoiceFilter(
        label="Año",
        field_name="formulacion__proceso",
        queryset=Proceso.objects.all(),
        empty_label="Todos",
    )
    periodo = django_filters.ChoiceFilter(
        choices=InformeAvance.Periodo.choices, empty_label="Todos"
    )
    ministerio = django_filters.ModelChoiceFilter(
        label="Ministerio",
        field_name="formulacion__servicio__ministerio",
        queryset=Ministerio.objects.all(),
        empty_label="Todos",
    )
    tipo = django_filters.ModelChoiceFilter(
        label="Tipo de servicio",
        field_name="formulacion__servicio__tipo",
        queryset=TipoServicio.objects.all(),
        empty_label="Todos",
    )
    region = django_filters.ModelChoiceFilter(
        label="Región",
        field_name="formulacion__servicio__region",
        queryset=Region.objects.all(),
        empty_label="Todas",
    )
    es_atrasado = django_filters.BooleanFilter(
        label="Enviado fuera de plazo",
        widget=SiNoWidget(),
    )
    q = django_filters.CharFilter(label="Servicio", method="buscar")

    class Meta:
        model = InformeAvance
        fields = [
            "cartera",
            "estado",
            "anio",
            "periodo",
            "ministerio",
            "tipo",
            "region",
            "es_atrasado",
            "q",
        ]

    def __init__(self, data=None, *, queryset, usuario, cartera_por_defecto: str):
        data = data.copy() if data is not None else {}
        data.setdefault("cartera", cartera_por_defecto)
        data.setdefault("estado", POR_REVISAR)
        self._iniciar(data, queryset)
        self.usuario = usuario
        # The periods are the deliverables of the chosen year (of every year when none is).
        self.periodos = periodos_a_elegir(
            anio=entradas.entero(str(data.get("anio") or ""), minimo=1)
        )
        self.form.fields["periodo"].choices = [("", "Todos"), *self.periodos]
        # The catalogs' selects offer the rows their querysets would read, kept under the
        # catalog version (the page's other lists take their names from them too).
        self.catalogos = catalogo.del_catalogo("filtro-bandeja", self._leer_catalogos)
        for nombre, objetos in self.catalogos.items():
            opciones_leidas(self.form.fields[nombre], objetos)

    def sobre(self, otra_lista: type["BandejaFilter"], queryset) -> "BandejaFilter":
        """The same filters, as chosen on this form, over another list of the queue: the form
        is built and validated once, and each list applies its own filters to its values."""
        filtro = otra_lista.__new__(otra_lista)
        filtro._iniciar(self.data, queryset)
        filtro.usuario = self.usuario
        filtro.periodos, filtro.catalogos = self.periodos, self.catalogos
        filtro._form = self.form
        return filtro

    def _iniciar(self, data, queryset) -> None:
        """django_filters.FilterSet.__init__ with each declared filter copied shallowly, not
        deeply (nine filters with their querysets, widgets and choices, twice a view: ~0.3 ms).
        What a filter changes per view is its own: its model and parent, its field (made from
        a copy of `extra`), its method's binding (tests/validacion/test_filtros_bandeja.py)."""
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = None
        self.form_prefix = None
        self.filters = {}
        for nombre, declarado in self.base_filters.items():
            filtro = copy.copy(declarado)
            filtro.__dict__.pop("_field", None)
            filtro.extra = dict(declarado.extra)
            if declarado.method is not None:
                filtro.method = declarado.method  # a FilterMethod bound to the copy
            filtro.model = queryset.model
            filtro.parent = self
            self.filters[nombre] = filtro

    def get_form_class(self):
        """The form's class, made once per process from the declared filters (as a Django
        form's fields are declared once; each form deep-copies them); django-filter made it,
        with nine new fields, on every view."""
        clase = _FORMULARIOS.get(type(self))
        if clase is None:
            clase = _FORMULARIOS[type(self)] = super().get_form_class()
        return clase

    def _leer_catalogos(self) -> dict[str, list]:
        campos = self.form.fields
        return {nombre: list(campos[nombre].queryset.all()) for nombre in CATALOGOS_DEL_FILTRO}

    def filtrar_cartera(self, queryset, name, value):
        if value != "mia":
            return queryset
        # The cartera's one rule, on the paths each model declares for the permission door
        # (informe or formulación).
        modelo = self._meta.model
        return queryset.filter(
            en_cartera_del_analista(self.usuario, modelo.ruta_servicio, modelo.ruta_anio)
        )

    def filtrar_estado(self, queryset, name, value):
        if value == POR_REVISAR:
            return queryset.filter(estado__in=[EstadoRevision.ENVIADO, EstadoRevision.EN_REVISION])
        return queryset.filter(estado=value)

    def buscar(self, queryset, name, value):
        servicio = self._meta.model.ruta_servicio
        return queryset.filter(
            Q(**{f"{servicio}__nombre__icontains": value})
            | Q(**{f"{servicio}__sigla__icontains": value})
        )


class BandejaFormulacionFilter(BandejaFilter):
    """The same filters over the formulaciones sent to SUBDERE (periodo applies to informes)."""

    anio = django_filters.ModelChoiceFilter(
        label="Año", field_name="proceso", queryset=Proceso.objects.all(), empty_label="Todos"
    )
    periodo = django_filters.ChoiceFilter(
        choices=InformeAvance.Periodo.choices, empty_label="Todos", method="sin_periodo"
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
    )
    es_atrasado = django_filters.BooleanFilter(
        label="Enviado fuera de plazo", widget=SiNoWidget(), method="sin_atraso"
    )

    class Meta(BandejaFilter.Meta):
        model = FormulacionPMG

    def sin_periodo(self, queryset, name, value):
        # Choosing an informe's periodo leaves no formulación in the list.
        return queryset.none() if value else queryset

    def sin_atraso(self, queryset, name, value):
        # A formulación is not marked late; asking for late ones leaves none.
        return queryset.none() if value else queryset
