import django_filters
from django.db.models import Q

from servicios.models import (
    Ministerio,
    NombreAnteriorServicio,
    Region,
    Servicio,
    TipoServicio,
)


class ServicioFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Buscar", method="buscar")
    ministerio = django_filters.ModelChoiceFilter(
        queryset=Ministerio.objects.all(), empty_label="Todos"
    )
    tipo = django_filters.ModelChoiceFilter(
        queryset=TipoServicio.objects.all(), empty_label="Todos"
    )
    region = django_filters.ModelChoiceFilter(
        label="Región", queryset=Region.objects.all(), empty_label="Todas"
    )
    anio = django_filters.NumberFilter(
        label="Vigentes en el año", method="vigentes", min_value=2000, max_value=2100
    )

    class Meta:
        model = Servicio
        fields = ["q", "ministerio", "tipo", "region", "anio"]

    def vigentes(self, queryset, name, value):
        """The State of that year: servicios that existed then (Ñuble's only from 2018)."""
        return queryset.vigentes_en(int(value))

    def buscar(self, queryset, name, value):
        # A former name finds the servicio too (ONEMI finds SENAPRED).
        anteriores = NombreAnteriorServicio.objects.filter(
            Q(nombre__icontains=value) | Q(sigla__icontains=value)
        ).values("servicio_id")
        return queryset.filter(
            Q(nombre__icontains=value) | Q(sigla__icontains=value) | Q(pk__in=anteriores)
        )
