from django.urls import path

from validacion import views

app_name = "validacion"
urlpatterns = [
    path(
        "observaciones/<int:pk>/responder/",
        views.observacion_responder,
        name="observacion_responder",
    ),
]
