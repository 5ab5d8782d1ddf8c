"""Who may open each page of the servicio portal: own servicio only, servicio role only."""

import pytest
from django.urls import reverse

from compromisos.models import Proceso
from tests.conftest import cliente

pytestmark = pytest.mark.django_db

# URL name -> how to get the object id from a formulación.
PAGINAS_EDICION = {
    "compromisos:formulacion_editar": lambda f: f.pk,
    "compromisos:formulacion_enviar": lambda f: f.pk,
    "compromisos:compromiso_crear": lambda f: f.pk,
    "compromisos:compromiso_editar": lambda f: f.compromisos.first().pk,
    "compromisos:compromiso_eliminar": lambda f: f.compromisos.first().pk,
    "compromisos:informe_editar": lambda f: f.informes.first().pk,
    "compromisos:informe_enviar": lambda f: f.informes.first().pk,
}
SOLO_POST = ["compromisos:formulacion_iniciar", "compromisos:informe_abrir"]
# Tested in test_portal_medios.py.
MEDIOS = [
    "compromisos:medio_subir",
    "compromisos:medio_reemplazar",
    "compromisos:medio_eliminar",
    "compromisos:medio_descargar",
    "compromisos:medio_ver",
]
# Tested in tests/validacion/test_observaciones.py.
OBSERVACIONES = ["validacion:observacion_responder"]
URLS_PROBADAS = {*PAGINAS_EDICION, *SOLO_POST, *MEDIOS, *OBSERVACIONES}


@pytest.fixture
def urls(formulacion_osorno, formulacion_llanquihue, informe_osorno, informe_llanquihue):
    return {
        nombre: (
            reverse(nombre, args=[obtener(formulacion_osorno)]),
            reverse(nombre, args=[obtener(formulacion_llanquihue)]),
        )
        for nombre, obtener in PAGINAS_EDICION.items()
    }


@pytest.mark.parametrize("nombre", sorted(PAGINAS_EDICION))
class TestPaginasDeEdicion:
    def test_anonimo_va_al_ingreso(self, urls, nombre):
        respuesta = cliente().get(urls[nombre][0])
        assert respuesta.status_code == 302 and respuesta.url.startswith(reverse("login"))

    def test_encargado_abre_lo_propio(self, urls, nombre, encargado):
        assert cliente(encargado).get(urls[nombre][0]).status_code == 200

    def test_encargado_de_otro_servicio_recibe_404(self, urls, nombre, encargado):
        assert cliente(encargado).get(urls[nombre][1]).status_code == 404

    @pytest.mark.parametrize("persona", ["analista", "jefatura", "admin", "consultora"])
    def test_otros_roles_reciben_403(self, request, urls, nombre, persona):
        respuesta = cliente(request.getfixturevalue(persona)).get(urls[nombre][0])
        assert respuesta.status_code == 403
        assert "no permite esta acción" in respuesta.content.decode()

    def test_consultora_fuera_de_lo_asignado_recibe_404(self, urls, nombre, consultora):
        assert cliente(consultora).get(urls[nombre][1]).status_code == 404


class TestIniciarFormulacion:
    @pytest.fixture
    def proceso_2027(self, proceso):
        return Proceso.objects.create(anio=2027)

    def url(self, servicio):
        return reverse("compromisos:formulacion_iniciar", args=[servicio.pk, 2027])

    def test_get_no_se_permite(self, proceso_2027, encargado, osorno):
        assert cliente(encargado).get(self.url(osorno)).status_code == 405

    def test_otro_servicio_recibe_404(self, proceso_2027, encargado, llanquihue):
        assert cliente(encargado).post(self.url(llanquihue)).status_code == 404

    @pytest.mark.parametrize("persona", ["analista", "jefatura"])
    def test_subdere_no_formula_por_el_servicio(self, request, proceso_2027, osorno, persona):
        respuesta = cliente(request.getfixturevalue(persona)).post(self.url(osorno))
        assert respuesta.status_code == 403
        assert not osorno.formulaciones.filter(proceso=proceso_2027).exists()


class TestAbrirInforme:
    def url(self, formulacion):
        return reverse("compromisos:informe_abrir", args=[formulacion.pk, "avance_2"])

    def test_get_no_se_permite(self, formulacion_osorno, encargado):
        assert cliente(encargado).get(self.url(formulacion_osorno)).status_code == 405

    def test_otro_servicio_recibe_404(self, formulacion_llanquihue, encargado):
        assert cliente(encargado).post(self.url(formulacion_llanquihue)).status_code == 404

    @pytest.mark.parametrize("persona", ["analista", "jefatura", "consultora"])
    def test_otros_roles_reciben_403(self, request, formulacion_osorno, persona):
        respuesta = cliente(request.getfixturevalue(persona)).post(self.url(formulacion_osorno))
        assert respuesta.status_code == 403
        assert not formulacion_osorno.informes.filter(periodo="avance_2").exists()
