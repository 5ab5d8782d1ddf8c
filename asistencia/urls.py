from django.urls import path

from asistencia import views

app_name = "asistencia"
urlpatterns = [
    path("", views.inicio, name="inicio"),
    path("consultas/nueva/", views.consulta_nueva, name="consulta_nueva"),
    path("consultas/<int:pk>/", views.consulta_detalle, name="consulta_detalle"),
    path("consultas/<int:pk>/publicar/", views.consulta_publicar, name="consulta_publicar"),
    path("preguntas-frecuentes/", views.preguntas_frecuentes, name="preguntas_frecuentes"),
    path("actividades/nueva/", views.actividad_nueva, name="actividad_nueva"),
    path("actividades/<int:pk>/", views.actividad_detalle, name="actividad_detalle"),
    path("actividades/<int:pk>/invitacion.ics", views.actividad_ics, name="actividad_ics"),
    path("actividades/<int:pk>/convocar/", views.actividad_convocar, name="actividad_convocar"),
    path("actividades/<int:pk>/editar/", views.actividad_editar, name="actividad_editar"),
    path("actividades/<int:pk>/cancelar/", views.actividad_cancelar, name="actividad_cancelar"),
    path("actividades/<int:pk>/asistencia/", views.asistencia_registrar, name="asistencia"),
    path("actividades/<int:pk>/acuerdos/", views.acuerdo_nuevo, name="acuerdo_nuevo"),
    path("actividades/<int:pk>/acta/", views.acta_enviar, name="acta_enviar"),
    path("convocados/<int:pk>/inscribir/", views.inscribir, name="inscribir"),
    path("acuerdos/<int:pk>/cerrar/", views.acuerdo_cerrar, name="acuerdo_cerrar"),
    path(
        "contactos/<int:servicio_pk>/<int:anio>/nuevo/",
        views.contacto_nuevo,
        name="contacto_nuevo",
    ),
    path("documentos/", views.documentos, name="documentos"),
    path("documentos/<int:pk>/", views.documento_detalle, name="documento_detalle"),
    path("documentos/<int:pk>/publicar/", views.documento_publicar, name="documento_publicar"),
    path("versiones/<int:pk>/", views.version_descargar, name="version_descargar"),
    path("cifras/", views.cifras, name="cifras"),
]
