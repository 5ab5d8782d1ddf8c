"""The bar of the División's roles: no «Servicios» entry (their scope holds no servicio, so it
could only lead to an empty list), and the registry refuses them with a reason (403)."""

import pytest
from django.urls import reverse

from srm import permisos
from tests.conftest import cliente

pytestmark = pytest.mark.django_db

SERVICIOS = reverse("servicios:servicio_lista")


@pytest.mark.parametrize("persona", ["jefe_depto", "encargado_unidad"])
def test_los_roles_de_la_division_no_ven_servicios(persona, request, unidad):
    usuario = request.getfixturevalue(persona)
    assert not permisos.puede(usuario, "servicio.listar")
    pagina = cliente(usuario).get(reverse("metas:inicio")).content.decode()
    assert f'href="{SERVICIOS}"' not in pagina
    assert f'href="{reverse("metas:inicio")}"' in pagina
    # No other PMG entry either: each is a rule of the door they do not hold.
    for nombre in ["validacion:bandeja", "tablero:tablero", "asistencia:inicio", "calidad:inicio"]:
        assert f'href="{reverse(nombre)}"' not in pagina
    respuesta = cliente(usuario).get(SERVICIOS)
    assert respuesta.status_code == 403


@pytest.mark.parametrize("persona", ["encargado", "analista", "jefatura", "admin"])
def test_los_demas_roles_ven_servicios(persona, request):
    usuario = request.getfixturevalue(persona)
    pagina = cliente(usuario).get(reverse("inicio")).content.decode()
    assert f'href="{SERVICIOS}"' in pagina
    assert cliente(usuario).get(SERVICIOS).status_code == 200
