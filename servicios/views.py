from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from servicios import ficha
from servicios.filters import ServicioFilter
from servicios.models import Servicio
from servicios.selectors import servicios_visibles
from srm import permisos


@login_required
def servicio_lista(request: HttpRequest) -> HttpResponse:
    permisos.exigir(request.user, "servicio.listar")
    filtro = ServicioFilter(request.GET, queryset=servicios_visibles(usuario=request.user))
    anio = filtro.form.cleaned_data.get("anio") if filtro.is_valid() else None
    servicios = filtro.qs.prefetch_related("nombres_anteriores") if anio else filtro.qs
    pagina = Paginator(servicios, 50).get_page(request.GET.get("pagina"))
    for servicio in pagina:
        # The name it had that year (ONEMI in 2011, SENAPRED today).
        servicio.nombre_mostrado = servicio.nombre_en(int(anio)) if anio else servicio.nombre
    return render(request, "servicios/servicio_lista.html", {"filtro": filtro, "pagina": pagina})


@login_required
def servicio_detalle(request: HttpRequest, pk: int) -> HttpResponse:
    servicio = permisos.obtener(
        request.user, Servicio, pk, servicios_visibles(usuario=request.user)
    )
    return render(
        request,
        "servicios/servicio_detalle.html",
        {"servicio": servicio, "secciones": ficha.secciones(request, servicio)},
    )
