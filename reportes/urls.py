from django.urls import path

from reportes import views

app_name = "reportes"
urlpatterns = [
    path("", views.lista, name="lista"),
    path("solicitar/", views.solicitar, name="solicitar"),
    path("estado/", views.estado, name="estado"),
    path("<int:pk>/descargar/", views.descargar, name="descargar"),
    path("<int:pk>/repetir/", views.repetir, name="repetir"),
    path("calidad/<int:pk>/informe/", views.calidad_pdf, name="calidad_pdf"),
]
