from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from srm import permisos
from validacion import services
from validacion.forms import RespuestaForm
from validacion.models import Observacion


@require_POST
@login_required
def observacion_responder(request: HttpRequest, pk: int) -> HttpResponse:
    observacion = permisos.obtener_para(
        request.user,
        "observacion.responder",
        Observacion,
        pk,
        Observacion.objects.select_related("informe__formulacion"),
    )
    formulario = RespuestaForm(request.POST)
    if formulario.is_valid():
        try:
            services.observacion_responder(
                observacion=observacion,
                texto=formulario.cleaned_data["texto"],
                usuario=request.user,
            )
        except (ValidationError, services.TransicionNoPermitida) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, "Respuesta registrada.")
    else:
        messages.error(request, "Escriba su respuesta antes de enviarla.")
    return redirect(
        f"{reverse('compromisos:informe_editar', args=[observacion.informe_id])}#observacion-{pk}"
    )
