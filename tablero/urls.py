from django.urls import path

from tablero import views

app_name = "tablero"
urlpatterns = [
    path("", views.tablero, name="tablero"),
    path("servicios/", views.servicio_lista, name="servicio_lista"),
    path("compromisos/", views.compromiso_lista, name="compromiso_lista"),
    path("hitos/", views.seguimiento, name="seguimiento"),
    path("registro/", views.registro, name="registro"),
]
