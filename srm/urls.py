from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from srm import views
from srm.forms import FormularioIngreso

handler400 = "srm.errores.solicitud_no_valida"
handler403 = "srm.errores.acceso_no_permitido"
handler404 = "srm.errores.pagina_no_encontrada"
handler500 = "srm.errores.error_del_servidor"

admin.site.site_header = "SRM · Administración"
admin.site.site_title = "SRM SUBDERE"
admin.site.index_title = "Configuración del proceso PMG"

urlpatterns = [
    path("", views.inicio, name="inicio"),
    path(
        "ingresar/",
        auth_views.LoginView.as_view(
            authentication_form=FormularioIngreso, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("salir/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "clave/recuperar/",
        views.RecuperarClave.as_view(),
        name="password_reset",
    ),
    path(
        "clave/recuperar/enviado/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "clave/restablecer/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "clave/restablecida/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("clave/cambiar/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "clave/cambiada/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"
    ),
    path("servicios/", include("servicios.urls")),
    path("compromisos/", include("compromisos.urls")),
    path("revision/", include("validacion.urls")),
    path("tablero/", include("tablero.urls")),
    path("reportes/", include("reportes.urls")),
    path("asistencia/", include("asistencia.urls")),
    path("metas/", include("metas.urls")),
    path("calidad/", include("calidad.urls")),
    path("admin/", admin.site.urls),
]
