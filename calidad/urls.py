from django.urls import path

from calidad import views

app_name = "calidad"

urlpatterns = [
    path("", views.inicio, name="inicio"),
    path("gores/", views.panorama, name="panorama"),
    path("comparacion/", views.comparacion, name="comparacion"),
    path(
        "gore/<int:servicio_pk>/<int:anio>/iniciar/",
        views.autoevaluacion_iniciar,
        name="autoevaluacion_iniciar",
    ),
    path("autoevaluacion/<int:pk>/", views.autoevaluacion_detalle, name="autoevaluacion_detalle"),
    path(
        "autoevaluacion/<int:pk>/transicion/<str:accion>/",
        views.autoevaluacion_transicionar,
        name="autoevaluacion_transicionar",
    ),
    path(
        "autoevaluacion/<int:pk>/acreditar/",
        views.acreditacion_registrar,
        name="acreditacion_registrar",
    ),
    path("autoevaluacion/<int:pk>/plan/", views.plan_crear, name="plan_crear"),
    path("respuesta/<int:pk>/", views.respuesta_guardar, name="respuesta_guardar"),
    path("respuesta/<int:pk>/calificar/", views.respuesta_calificar, name="respuesta_calificar"),
    path("respuesta/<int:pk>/medio/", views.respuesta_medio, name="respuesta_medio"),
    path("medio/<int:pk>/", views.medio_descargar, name="medio_descargar"),
    path("medio/<int:pk>/reemplazar/", views.medio_reemplazar, name="medio_reemplazar"),
    path("medio/<int:pk>/retirar/", views.medio_eliminar, name="medio_eliminar"),
    path("plan/<int:pk>/", views.plan_detalle, name="plan_detalle"),
    path("plan/<int:pk>/metodologia/", views.plan_metodologia, name="plan_metodologia"),
    path("plan/<int:pk>/medida/", views.medida_crear, name="medida_crear"),
    path(
        "plan/<int:pk>/transicion/<str:accion>/",
        views.plan_transicionar,
        name="plan_transicionar",
    ),
    path("medida/<int:pk>/avance/", views.medida_avanzar, name="medida_avanzar"),
    path("acreditacion/<int:pk>/incentivo/", views.incentivo_otorgar, name="incentivo_otorgar"),
]
