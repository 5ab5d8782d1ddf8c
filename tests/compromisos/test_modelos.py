"""Rules of the commitment data model: database constraints and model validation."""

import hashlib
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from compromisos.models import (
    AvanceCompromiso,
    ExencionFormulacion,
    FormulacionPMG,
    InformeAvance,
    LineaFormulacion,
    MedioVerificacion,
    Proceso,
)
from srm import formato
from tests.conftest import falla_en_bd

pytestmark = pytest.mark.django_db


def linea(formulacion, sistema="Equidad de Género", **cambios):
    datos = dict(
        formulacion=formulacion,
        area="Planificación / Control de Gestión",
        sistema=sistema,
        etapa=1,
        prioridad="MEDIANA",
        ponderador=Decimal("10.00"),
    )
    datos.update(cambios)
    return LineaFormulacion(**datos)


class TestFormulacion:
    def test_un_servicio_tiene_una_sola_formulacion_por_anio(self, formulacion_osorno):
        duplicada = FormulacionPMG(
            servicio=formulacion_osorno.servicio, proceso=formulacion_osorno.proceso
        )
        assert falla_en_bd(duplicada)

    def test_ponderadores_que_suman_100_son_validos(self, formulacion_osorno):
        formulacion_osorno.validar_ponderadores()

    @pytest.mark.parametrize("ultimo", ["11.99", "12.01"])
    def test_ponderadores_que_no_suman_100_se_rechazan_con_mensaje(
        self, formulacion_osorno, ultimo
    ):
        LineaFormulacion.objects.filter(formulacion=formulacion_osorno).update(
            ponderador=Decimal("88.00")
        )
        linea(formulacion_osorno, ponderador=Decimal(ultimo)).save()
        with pytest.raises(ValidationError) as error:
            formulacion_osorno.validar_ponderadores()
        assert "deben sumar exactamente 100 %" in error.value.messages[0]

    def test_el_total_de_las_lineas_leidas_es_el_de_la_base(self, formulacion_osorno, osorno):
        """The page adds up the lines it read; the total is the database's, with or without
        lines."""
        linea(formulacion_osorno, ponderador=Decimal("12.34")).save()
        sin_lineas = FormulacionPMG.objects.create(
            servicio=osorno, proceso=Proceso.objects.create(anio=2031)
        )
        for formulacion in (formulacion_osorno, sin_lineas):
            lineas = list(formulacion.lineas.all())
            sumado, de_la_base = (
                formulacion.total_ponderadores(lineas),
                formulacion.total_ponderadores(),
            )
            assert sumado == de_la_base
            assert formato.ponderador(sumado) == formato.ponderador(de_la_base)

    def test_formulacion_sin_lineas_no_suma_100(self, osorno, proceso):
        formulacion = FormulacionPMG.objects.create(servicio=osorno, proceso=proceso)
        with pytest.raises(ValidationError, match="suman 0,00 %"):
            formulacion.validar_ponderadores()

    def test_un_sistema_no_se_repite_en_la_formulacion(self, formulacion_osorno):
        assert falla_en_bd(linea(formulacion_osorno, sistema="Descentralización"))

    @pytest.mark.parametrize("etapa", [0, 5])
    def test_etapa_fuera_de_i_a_iv_se_rechaza(self, formulacion_osorno, etapa):
        assert falla_en_bd(linea(formulacion_osorno, etapa=etapa))

    @pytest.mark.parametrize("ponderador", ["0.00", "100.01", "-5.00"])
    def test_ponderador_fuera_de_rango_se_rechaza(self, formulacion_osorno, ponderador):
        assert falla_en_bd(linea(formulacion_osorno, ponderador=Decimal(ponderador)))

    def test_prioridad_desconocida_se_rechaza(self, formulacion_osorno):
        assert falla_en_bd(linea(formulacion_osorno, prioridad="URGENTE"))

    def test_validacion_de_formulario_del_modelo_informa_rango(self, formulacion_osorno):
        with pytest.raises(ValidationError) as error:
            linea(formulacion_osorno, etapa=5, ponderador=Decimal("120")).full_clean()
        assert set(error.value.message_dict) == {"etapa", "ponderador"}


class TestExenciones:
    def exencion(self, formulacion, **cambios):
        datos = dict(
            formulacion=formulacion,
            area="Calidad de Atención a Usuarios",
            sistema="Gobierno Electrónico",
            tipo="eximir",
            etapa=None,
            justificacion="Proyectos transversales de la Subsecretaría.",
        )
        datos.update(cambios)
        return ExencionFormulacion(**datos)

    def test_eximir_sin_etapa_con_justificacion_es_valido(self, formulacion_osorno):
        assert not falla_en_bd(self.exencion(formulacion_osorno))

    def test_justificacion_es_obligatoria(self, formulacion_osorno):
        assert falla_en_bd(self.exencion(formulacion_osorno, justificacion=""))

    def test_modificar_exige_etapa(self, formulacion_osorno):
        assert falla_en_bd(self.exencion(formulacion_osorno, tipo="modificar", etapa=None))

    def test_eximir_no_lleva_etapa(self, formulacion_osorno):
        assert falla_en_bd(self.exencion(formulacion_osorno, tipo="eximir", etapa=2))


class TestInformes:
    def test_un_informe_por_periodo(self, informe_osorno):
        assert falla_en_bd(
            InformeAvance(formulacion=informe_osorno.formulacion, periodo="avance_1")
        )

    def test_resumen_ejecutivo_solo_en_el_informe_final(self, formulacion_osorno):
        assert falla_en_bd(
            InformeAvance(
                formulacion=formulacion_osorno, periodo="avance_2", principales_logros="x"
            )
        )
        assert not falla_en_bd(
            InformeAvance(formulacion=formulacion_osorno, periodo="final", principales_logros="x")
        )

    def test_porcentaje_de_avance_no_supera_100(self, informe_osorno):
        avance = informe_osorno.avances.first()
        avance.porcentaje = 101
        assert falla_en_bd(avance)

    def test_avance_de_compromiso_de_otra_formulacion_es_invalido(
        self, informe_osorno, formulacion_llanquihue
    ):
        ajeno = formulacion_llanquihue.compromisos.first()
        with pytest.raises(ValidationError, match="no pertenece"):
            AvanceCompromiso(informe=informe_osorno, compromiso=ajeno).clean()


class TestMedios:
    def medio_como(self, original: MedioVerificacion, **cambios) -> MedioVerificacion:
        datos = {
            f.attname: getattr(original, f.attname)
            for f in MedioVerificacion._meta.concrete_fields
            if f.name != "id"
        }
        datos.update(cambios)
        return MedioVerificacion(**datos)

    def test_mismo_contenido_no_se_guarda_dos_veces_en_el_mismo_avance(self, informe_osorno):
        original = MedioVerificacion.objects.filter(avance__informe=informe_osorno).first()
        assert falla_en_bd(self.medio_como(original, nombre_original="copia.pdf"))

    def test_mismo_contenido_puede_volver_tras_una_eliminacion_registrada(
        self, informe_osorno, encargado
    ):
        original = MedioVerificacion.objects.filter(avance__informe=informe_osorno).first()
        MedioVerificacion.objects.filter(pk=original.pk).update(
            eliminado_en=timezone.now(), eliminado_por=encargado
        )
        assert not falla_en_bd(self.medio_como(original, nombre_original="de nuevo.pdf"))

    def test_archivo_vacio_se_rechaza(self, informe_osorno):
        original = MedioVerificacion.objects.filter(avance__informe=informe_osorno).first()
        assert falla_en_bd(
            self.medio_como(original, tamano=0, sha256=hashlib.sha256(b"").hexdigest())
        )

    def test_eliminacion_sin_autor_se_rechaza(self, informe_osorno):
        original = MedioVerificacion.objects.filter(avance__informe=informe_osorno).first()
        original.eliminado_en = timezone.now()
        assert falla_en_bd(original)

    def test_reemplazo_guarda_la_cadena_de_versiones(self, informe_osorno):
        original = MedioVerificacion.objects.filter(avance__informe=informe_osorno).first()
        nueva = self.medio_como(original, sha256="f" * 64, reemplaza_id=original.pk)
        nueva.save()
        assert original.reemplazado_por == nueva
        assert MedioVerificacion.objects.filter(pk=original.pk).exists()

    def test_el_archivo_se_guarda_con_nombre_generado(self, informe_osorno):
        medio = MedioVerificacion.objects.filter(avance__informe=informe_osorno).first()
        servicio_id = informe_osorno.formulacion.servicio_id
        assert medio.archivo.name.startswith(f"medios/servicio/{servicio_id}/")
        assert "acta" not in medio.archivo.name
        assert medio.archivo.name.endswith(".pdf")
