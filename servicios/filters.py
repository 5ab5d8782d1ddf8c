import django_filters
from django.db.models import Q

from servicios.models import Ministerio, Region, Servicio, TipoServicio


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

    class Meta:
        model = Servicio
        fields = ["q", "ministerio", "tipo", "region"]

    def buscar(self, queryset, name, value):
        return queryset.filter(Q(nombre__icontains=value) | Q(sigla__icontains=value))
