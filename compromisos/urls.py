from django.urls import path

from compromisos import views

app_name = "compromisos"
urlpatterns = [
    path("formulaciones/<int:pk>/", views.formulacion_detalle, name="formulacion_detalle"),
    path("informes/<int:pk>/", views.informe_detalle, name="informe_detalle"),
]
