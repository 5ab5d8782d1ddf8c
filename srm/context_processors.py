from django.http import HttpRequest
from django.utils import timezone

from reportes import acceso
from srm import permisos


def navegacion(request: HttpRequest) -> dict:
    """The role of the signed-in person (for the navigation bar) and today's date."""
    usuario = getattr(request, "user", None)
    return {
        "hoy": timezone.localdate(),
        "rol_actual": permisos.rol(usuario),
        "nombre_rol_actual": permisos.nombre_rol(usuario)
        if usuario and usuario.is_authenticated
        else "",
        "puede_revisar_informes": permisos.puede(usuario, "revision.consultar")
        if usuario and usuario.is_authenticated
        else False,
        "puede_ver_tablero": permisos.puede(usuario, "tablero.consultar")
        if usuario and usuario.is_authenticated
        else False,
        "puede_ver_registro": permisos.puede(usuario, "registro.consultar")
        if usuario and usuario.is_authenticated
        else False,
        "puede_administrar": permisos.puede(usuario, "configuracion.administrar")
        if usuario and usuario.is_authenticated
        else False,
        "puede_ver_asistencia": permisos.puede(usuario, "actividad.consultar")
        if usuario and usuario.is_authenticated
        else False,
        "puede_ver_servicios": permisos.puede(usuario, "servicio.listar")
        if usuario and usuario.is_authenticated
        else False,
        "puede_ver_metas": permisos.puede(usuario, "meta.consultar")
        if usuario and usuario.is_authenticated
        else False,
        # The admin's bar is full (Administración): it reaches the quality system from its home.
        "puede_ver_calidad": permisos.puede(usuario, "calidad.entrar")
        and not permisos.puede(usuario, "configuracion.administrar")
        if usuario and usuario.is_authenticated
        else False,
        "puede_pedir_reportes": bool(acceso.tipos_de_reporte(usuario))
        if usuario and usuario.is_authenticated
        else False,
    }
