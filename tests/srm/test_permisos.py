"""The permission door: what each role sees and may do."""

import logging

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from compromisos.models import FormulacionPMG, InformeAvance, MedioVerificacion
from servicios.models import Cartera, Servicio
from srm import permisos
from tests.conftest import crear_formulacion, crear_informe

pytestmark = pytest.mark.django_db


@pytest.fixture
def dos_informes(informe_osorno, informe_llanquihue):
    return informe_osorno, informe_llanquihue


class TestVisibles:
    def test_encargado_ve_solo_su_servicio(self, encargado, osorno, dos_informes):
        assert list(permisos.visibles(encargado, Servicio)) == [osorno]
        informes = permisos.visibles(encargado, InformeAvance)
        assert {i.formulacion.servicio for i in informes} == {osorno}
        medios = permisos.visibles(encargado, MedioVerificacion)
        assert medios.count() == 2
        assert {m.avance.informe.formulacion.servicio_id for m in medios} == {osorno.pk}

    def test_consultora_ve_solo_lo_asignado_y_del_anio_asignado(
        self, consultora, osorno, dos_informes, proceso
    ):
        from compromisos.models import Proceso

        otro_anio = Proceso.objects.create(anio=2025)
        formulacion_2025 = crear_formulacion(osorno, otro_anio)
        assert list(permisos.visibles(consultora, Servicio)) == [osorno]
        visibles = permisos.visibles(consultora, FormulacionPMG)
        assert list(visibles) == [dos_informes[0].formulacion]
        assert formulacion_2025 not in visibles

    @pytest.mark.parametrize("persona", ["analista", "jefatura", "admin"])
    def test_subdere_lee_todo(self, request, persona, dos_informes):
        usuario = request.getfixturevalue(persona)
        assert permisos.visibles(usuario, InformeAvance).count() == 2
        assert permisos.visibles(usuario, Servicio).count() == Servicio.objects.count()

    def test_usuario_sin_rol_no_ve_nada(self, sin_rol, dos_informes):
        assert not permisos.visibles(sin_rol, Servicio).exists()
        assert not permisos.visibles(sin_rol, InformeAvance).exists()

    def test_encargado_con_dos_servicios_no_ve_duplicados(
        self, encargado, llanquihue, dos_informes
    ):
        from servicios.models import Membresia

        Membresia.objects.create(usuario=encargado, servicio=llanquihue)
        encargado.__dict__.pop("_srm_servicios", None)
        assert permisos.visibles(encargado, InformeAvance).count() == 2


class TestObtener:
    def test_informe_de_otro_servicio_responde_404_y_queda_registrado(
        self, encargado, dos_informes, caplog
    ):
        ajeno = dos_informes[1]
        with caplog.at_level(logging.WARNING, logger="srm.seguridad"), pytest.raises(Http404):
            permisos.obtener(encargado, InformeAvance, ajeno.pk)
        assert "encargado" in caplog.text and "InformeAvance" in caplog.text

    def test_pk_invalido_responde_404(self, encargado):
        with pytest.raises(Http404):
            permisos.obtener(encargado, InformeAvance, "abc")

    def test_informe_propio_se_obtiene(self, encargado, dos_informes):
        assert permisos.obtener(encargado, InformeAvance, dos_informes[0].pk) == dos_informes[0]


class TestPuede:
    def test_encargado_envia_su_informe_pero_no_el_ajeno(self, encargado, dos_informes):
        propio, ajeno = dos_informes
        assert permisos.puede(encargado, "informe.enviar", propio)
        assert not permisos.puede(encargado, "informe.enviar", ajeno)

    def test_encargado_no_aprueba(self, encargado, dos_informes):
        assert not permisos.puede(encargado, "informe.aprobar", dos_informes[0])

    def test_analista_revisa_solo_su_cartera(self, analista, dos_informes):
        propio, ajeno = dos_informes
        assert permisos.puede(analista, "informe.aprobar", propio)
        assert not permisos.puede(analista, "informe.aprobar", ajeno)

    def test_cartera_de_otro_anio_no_habilita(self, analista, osorno, dos_informes):
        Cartera.objects.filter(usuario=analista).update(anio=2025)
        analista.__dict__.pop("_srm_cartera", None)
        assert not permisos.puede(analista, "informe.tomar", dos_informes[0])

    @pytest.mark.parametrize("accion", sorted(set(permisos.REGLAS) - permisos.ACCIONES_DE_LECTURA))
    def test_jefatura_nunca_escribe(self, jefatura, dos_informes, accion):
        assert not permisos.puede(jefatura, accion, dos_informes[0])

    def test_consultora_valida_solo_lo_asignado(self, consultora, dos_informes):
        propio, ajeno = dos_informes
        assert permisos.puede(consultora, "iniciativa.validar", propio.formulacion)
        assert not permisos.puede(consultora, "iniciativa.validar", ajeno.formulacion)
        assert not permisos.puede(consultora, "informe.enviar", propio)

    def test_exigir_explica_el_rechazo_en_espanol_y_lo_registra(
        self, encargado, dos_informes, caplog
    ):
        with (
            caplog.at_level(logging.WARNING, logger="srm.seguridad"),
            pytest.raises(PermissionDenied) as error,
        ):
            permisos.exigir(encargado, "informe.enviar", dos_informes[1])
        assert str(error.value) == "Solo puede actuar sobre los datos de su propio servicio."
        assert "403" in caplog.text

    def test_accion_desconocida_es_un_error_de_programacion(self, encargado):
        with pytest.raises(ValueError):
            permisos.puede(encargado, "informe.borrar_todo")


class TestAccionesPermitidas:
    def test_botones_segun_rol_y_estado(self, encargado, analista, jefatura, dos_informes):
        propio = dos_informes[0]
        assert permisos.acciones_permitidas(encargado, propio) == ["enviar"]
        assert permisos.acciones_permitidas(analista, propio) == []
        assert permisos.acciones_permitidas(jefatura, propio) == []


def test_el_rol_mas_amplio_decide(encargado, jefatura):
    from django.contrib.auth.models import Group

    encargado.groups.add(Group.objects.get(name="jefatura"))
    encargado.__dict__.pop("_srm_rol", None)
    assert permisos.rol(encargado) == "jefatura"


def test_crear_informe_helper_genera_medios(formulacion_osorno):
    informe = crear_informe(formulacion_osorno, periodo="avance_2", medios_por_avance=2)
    assert MedioVerificacion.objects.filter(avance__informe=informe).count() == 4


class TestCarteraPorRol:
    """An assignment only counts in the role it was made for."""

    def test_fila_de_consultora_no_habilita_a_un_analista(
        self, analista_otro, osorno, dos_informes
    ):
        Cartera.objects.create(anio=2026, rol="consultora", usuario=analista_otro, servicio=osorno)
        assert not permisos.puede(analista_otro, "informe.aprobar", dos_informes[0])

    def test_fila_de_analista_no_habilita_a_una_consultora(
        self, consultora, llanquihue, dos_informes
    ):
        Cartera.objects.create(anio=2026, rol="analista", usuario=consultora, servicio=llanquihue)
        consultora.__dict__.pop("_srm_cartera", None)
        assert not permisos.puede(consultora, "iniciativa.validar", dos_informes[1].formulacion)
        assert dos_informes[1].formulacion not in permisos.visibles(consultora, FormulacionPMG)


@pytest.mark.parametrize("persona", ["encargado", "consultora", "analista", "jefatura", "admin"])
@pytest.mark.parametrize(
    "modelo",
    # The models with rows in this scenario (the event log and observaciones have none).
    sorted(
        (m for m in permisos.modelos_protegidos() if m.__name__ not in {"Evento", "Observacion"}),
        key=lambda m: m.__name__,
    ),
)
def test_lo_que_se_puede_hacer_esta_dentro_de_lo_visible(request, persona, modelo, dos_informes):
    """No role may act on a row it cannot see: puede() never reaches beyond visibles()."""
    usuario = request.getfixturevalue(persona)
    visibles = set(permisos.visibles(usuario, modelo).values_list("pk", flat=True))
    acciones = [a for a in permisos.REGLAS if permisos.rol(usuario) in permisos.REGLAS[a]]
    for obj in modelo._default_manager.all():
        if any(permisos.puede(usuario, accion, obj) for accion in acciones):
            assert obj.pk in visibles, (
                f"{persona} puede actuar sobre {modelo.__name__} {obj.pk} que no ve"
            )
