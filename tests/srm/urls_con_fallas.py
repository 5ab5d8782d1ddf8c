"""The site's URLs plus views that fail on purpose, for the error-page tests."""

from django.core.exceptions import SuspiciousOperation
from django.urls import path

from srm.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401


def falla(request):
    raise RuntimeError("falla de prueba con datos internos")


def sospechosa(request):
    raise SuspiciousOperation("solicitud manipulada")


urlpatterns = [
    *urlpatterns,
    path("prueba/falla/", falla),
    path("prueba/sospechosa/", sospechosa),
]
