"""A small form for the review page: record a contact with the servicio in a few clicks."""

from django import template

from asistencia.forms import ContactoForm
from asistencia.models import Contacto
from srm import permisos

register = template.Library()


@register.inclusion_tag("asistencia/_contacto_rapido.html", takes_context=True)
def contacto_rapido(context, informe) -> dict:
    """Shown only to whom the door lets record a contact with the informe's servicio."""
    formulacion = informe.formulacion
    usuario = context["request"].user
    contacto = Contacto(servicio_id=formulacion.servicio_id, anio=formulacion.proceso.anio)
    if not permisos.puede(usuario, "contacto.registrar", contacto):
        return {"mostrar": False}
    return {
        "mostrar": True,
        "informe": informe,
        "servicio_id": formulacion.servicio_id,
        "anio": formulacion.proceso.anio,
        "formulario": ContactoForm(auto_id="contacto_%s"),
    }
