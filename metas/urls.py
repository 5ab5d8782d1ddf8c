from django.urls import path

from metas import views

app_name = "metas"

urlpatterns = [
    path("", views.inicio, name="inicio"),
    path("recalcular/", views.recalcular, name="recalcular"),
    path("departamento/<int:pk>/", views.departamento, name="departamento"),
    path("unidad/<int:pk>/", views.unidad, name="unidad"),
    path("unidad/<int:pk>/meta/nueva/", views.meta_crear, name="meta_crear"),
    path("meta/<int:pk>/indicador/nuevo/", views.indicador_crear, name="indicador_crear"),
    path("indicador/<int:pk>/", views.indicador, name="indicador"),
    path(
        "indicador/<int:pk>/periodo/<int:periodo>/reportar/",
        views.medicion_reportar,
        name="medicion_reportar",
    ),
    path(
        "medicion/<int:pk>/<str:accion>/",
        views.medicion_transicionar,
        name="medicion_transicionar",
    ),
    path("evidencia/<int:pk>/", views.evidencia_descargar, name="evidencia_descargar"),
]
