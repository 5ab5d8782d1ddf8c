"""Who sees the tablero: SUBDERE (jefatura, analistas, admin); servicios, consultora and
people without a role are refused. Jefatura reads and changes nothing."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from compromisos.calendario import calendario_copiar
from srm import permisos
from tests.conftest import cliente

pytestmark = pytest.mark.django_db

URLS_PROBADAS = {
    "tablero:tablero",
    "tablero:servicio_lista",
    "tablero:compromiso_lista",
    "tablero:seguimiento",
    # The event log page; its cartera scope is tested in test_registro.py.
    "tablero:registro",
}


@pytest.mark.parametrize("nombre", sorted(URLS_PROBADAS))
def test_anonimo_va_al_ingreso(client, nombre):
    respuesta = client.get(reverse(nombre))
    assert respuesta.status_code == 302 and respuesta.url.startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["encargado", "consultora", "sin_rol"])
@pytest.mark.parametrize("nombre", sorted(URLS_PROBADAS))
def test_servicio_consultora_y_sin_rol_reciben_403(request, persona, nombre, proceso):
    usuario = request.getfixturevalue(persona)
    assert cliente(usuario).get(reverse(nombre)).status_code == 403
    assert cliente(usuario).get(reverse(nombre), {"formato": "xlsx"}).status_code == 403


@pytest.mark.parametrize("persona", ["analista", "jefatura", "admin"])
@pytest.mark.parametrize("nombre", sorted(URLS_PROBADAS))
def test_subdere_lee_el_tablero(request, persona, nombre, formulacion_osorno):
    assert cliente(request.getfixturevalue(persona)).get(reverse(nombre)).status_code == 200


@pytest.mark.parametrize("nombre", sorted(URLS_PROBADAS))
def test_el_tablero_no_acepta_post(jefatura, proceso, nombre):
    assert cliente(jefatura).post(reverse(nombre)).status_code == 405


def test_sin_proceso_se_explica(jefatura):
    from compromisos.models import FormulacionPMG, Proceso

    FormulacionPMG.objects.all().delete()
    Proceso.objects.all().delete()
    contenido = cliente(jefatura).get(reverse("tablero:tablero")).content.decode()
    assert "Aún no hay un proceso PMG configurado" in contenido


def test_la_barra_muestra_el_tablero_solo_a_quien_puede_verlo(jefatura, encargado, proceso):
    enlace = f'href="{reverse("tablero:tablero")}"'
    assert enlace in cliente(jefatura).get(reverse("inicio")).content.decode()
    assert enlace not in cliente(encargado).get(reverse("inicio")).content.decode()


def test_jefatura_no_tiene_ninguna_accion_que_cambie_algo(jefatura, informe_osorno):
    cambios = set(permisos.REGLAS) - permisos.ACCIONES_DE_LECTURA
    assert not [accion for accion in cambios if permisos.puede(jefatura, accion, informe_osorno)]
    assert permisos.puede(jefatura, "tablero.consultar")


def test_jefatura_no_mueve_informes_ni_copia_calendarios(jefatura, encargado, informe_osorno):
    from validacion.services import revision_transicionar

    revision_transicionar(objeto=informe_osorno, accion="enviar", usuario=encargado)
    respuesta = cliente(jefatura).post(
        reverse("validacion:informe_transicionar", args=[informe_osorno.pk, "tomar"])
    )
    assert respuesta.status_code == 403
    informe_osorno.refresh_from_db()
    assert informe_osorno.estado == "enviado"
    with pytest.raises(PermissionDenied):
        calendario_copiar(origen=informe_osorno.formulacion.proceso, anio=2030, usuario=jefatura)
    assert cliente(jefatura).get(reverse("admin:index")).status_code == 302
