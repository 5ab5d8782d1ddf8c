from django.urls import path

from validacion import views

app_name = "validacion"
urlpatterns = [
    path("", views.bandeja, name="bandeja"),
    path("tomar/", views.bandeja_tomar, name="bandeja_tomar"),
    path("informes/<int:pk>/", views.informe_revisar, name="informe_revisar"),
    path(
        "informes/<int:pk>/<str:accion>/",
        views.informe_transicionar,
        name="informe_transicionar",
    ),
    path(
        "informes/<int:pk>/observaciones/nueva/",
        views.observacion_crear,
        name="observacion_crear",
    ),
    path(
        "observaciones/<int:pk>/resolver/",
        views.observacion_resolver,
        name="observacion_resolver",
    ),
    path("medios/<int:pk>/calificar/", views.medio_calificar, name="medio_calificar"),
    path(
        "informes/<int:pk>/requisitos/<int:requisito_pk>/",
        views.requisito_calificar,
        name="requisito_calificar",
    ),
    path(
        "validacion-final/<int:formulacion_pk>/requisitos/<int:requisito_pk>/",
        views.requisito_validar,
        name="requisito_validar",
    ),
    path(
        "validacion-final/<int:formulacion_pk>/",
        views.servicio_validar,
        name="servicio_validar",
    ),
    path(
        "validacion-final/<int:formulacion_pk>/<str:accion>/",
        views.validacion_accion,
        name="validacion_accion",
    ),
    path("iniciativas/<int:pk>/validar/", views.iniciativa_validar, name="iniciativa_validar"),
    path("formulaciones/<int:pk>/", views.formulacion_revisar, name="formulacion_revisar"),
    path(
        "formulaciones/<int:pk>/observaciones/nueva/",
        views.formulacion_observacion_crear,
        name="formulacion_observacion_crear",
    ),
    path(
        "formulaciones/<int:pk>/<str:accion>/",
        views.formulacion_transicionar,
        name="formulacion_transicionar",
    ),
    path("avisos/", views.preferencias_avisos, name="preferencias_avisos"),
    path(
        "observaciones/<int:pk>/responder/",
        views.observacion_responder,
        name="observacion_responder",
    ),
]
