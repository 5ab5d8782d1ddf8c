from django.urls import path

from servicios import views

app_name = "servicios"
urlpatterns = [
    path("", views.servicio_lista, name="servicio_lista"),
    path("<int:pk>/", views.servicio_detalle, name="servicio_detalle"),
]
