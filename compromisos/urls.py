from django.urls import path

from compromisos import views

app_name = "compromisos"
urlpatterns = [
    path("formulaciones/<int:pk>/", views.formulacion_detalle, name="formulacion_detalle"),
    path("formulaciones/<int:pk>/editar/", views.formulacion_editar, name="formulacion_editar"),
    path("formulaciones/<int:pk>/enviar/", views.formulacion_enviar, name="formulacion_enviar"),
    path(
        "servicios/<int:servicio_pk>/formulaciones/<int:anio>/iniciar/",
        views.formulacion_iniciar,
        name="formulacion_iniciar",
    ),
    path(
        "formulaciones/<int:formulacion_pk>/compromisos/nuevo/",
        views.compromiso_crear,
        name="compromiso_crear",
    ),
    path("compromisos/<int:pk>/editar/", views.compromiso_editar, name="compromiso_editar"),
    path("compromisos/<int:pk>/eliminar/", views.compromiso_eliminar, name="compromiso_eliminar"),
    path(
        "formulaciones/<int:formulacion_pk>/informes/<str:periodo>/abrir/",
        views.informe_abrir,
        name="informe_abrir",
    ),
    path("informes/<int:pk>/", views.informe_detalle, name="informe_detalle"),
    path("informes/<int:pk>/editar/", views.informe_editar, name="informe_editar"),
    path("informes/<int:pk>/enviar/", views.informe_enviar, name="informe_enviar"),
    path(
        "informes/<int:pk>/formulario.pdf",
        views.informe_formulario_pdf,
        name="informe_formulario_pdf",
    ),
    path("avances/<int:avance_pk>/medios/subir/", views.medio_subir, name="medio_subir"),
    path(
        "informes/<int:pk>/preguntas/<int:pregunta_pk>/medios/subir/",
        views.medio_pregunta_subir,
        name="medio_pregunta_subir",
    ),
    path("medios/<int:pk>/reemplazar/", views.medio_reemplazar, name="medio_reemplazar"),
    path("medios/<int:pk>/eliminar/", views.medio_eliminar, name="medio_eliminar"),
    path("medios/<int:pk>/descargar/", views.medio_descargar, name="medio_descargar"),
    path("medios/<int:pk>/ver/", views.medio_ver, name="medio_ver"),
    path("procesos/<int:anio>/decreto/", views.decreto_descargar, name="decreto_descargar"),
    path("instantaneas/<int:pk>/", views.instantanea_detalle, name="instantanea_detalle"),
    path(
        "instantaneas/<int:pk>/verificar/",
        views.instantanea_verificar,
        name="instantanea_verificar",
    ),
]
