"""A template's Django form: validation per tipo, table rows, saving answers, required ones."""

import pytest

from formularios import services
from formularios.forms import FormularioLlenado
from formularios.models import Pregunta, Respuesta
from tests.formularios.conftest import plantilla_de_cada_tipo

pytestmark = pytest.mark.django_db


def pregunta(plantilla, tipo: str) -> Pregunta:
    return Pregunta.objects.get(seccion__plantilla=plantilla, tipo=tipo)


def enviar(plantilla, datos: dict, respuestas=None) -> FormularioLlenado:
    formulario = FormularioLlenado(
        {f"formulario-{k}": v for k, v in datos.items()},
        plantilla=plantilla,
        respuestas=respuestas,
    )
    formulario.is_valid()
    return formulario


@pytest.fixture
def plantilla(referencias):
    return plantilla_de_cada_tipo()


class TestValidacionPorTipo:
    def test_porcentaje_fuera_de_rango_o_no_numerico(self, plantilla):
        p = pregunta(plantilla, "porcentaje")
        for malo in ["101", "-1", "mucho", "50.5"]:
            formulario = enviar(plantilla, {f"p{p.pk}": malo})
            assert formulario.errors[f"p{p.pk}"] == [
                "Escriba un porcentaje: un número entero entre 0 y 100."
            ]
        for bueno in ["0", "100", "45"]:
            assert enviar(plantilla, {f"p{p.pk}": bueno}).is_valid()

    def test_opcion_fuera_de_las_declaradas(self, plantilla):
        p = pregunta(plantilla, "opcion")
        formulario = enviar(plantilla, {f"p{p.pk}": "Altísima"})
        assert formulario.errors[f"p{p.pk}"] == [
            "Elija una de las opciones: «Alta», «Media» o «Baja»."
        ]
        formulario = enviar(plantilla, {f"p{p.pk}": "Media"})
        assert formulario.is_valid()
        assert formulario.respuestas()[p.pk]["valor"] == "Media"

    def test_si_no(self, plantilla):
        p = pregunta(plantilla, "si_no")
        assert enviar(plantilla, {f"p{p.pk}": "quizas"}).errors[f"p{p.pk}"] == [
            "Responda «Sí» o «No»."
        ]
        assert enviar(plantilla, {f"p{p.pk}": "no"}).respuestas()[p.pk]["valor"] is False
        assert enviar(plantilla, {f"p{p.pk}": "si"}).respuestas()[p.pk]["valor"] is True
        # Nothing chosen: the radio sends nothing, and the answer stays as it was.
        assert p.pk not in enviar(plantilla, {}).respuestas()

    def test_un_borrador_vacio_es_valido(self, plantilla):
        # Required questions are checked when the deliverable is sent, not on a draft.
        formulario = enviar(plantilla, {})
        assert formulario.is_valid(), formulario.errors

    def test_tabla_filas_con_las_columnas_declaradas_y_quitar(self, plantilla):
        p = pregunta(plantilla, "tabla")
        formulario = enviar(
            plantilla,
            {
                f"p{p.pk}_filas": "3",
                f"p{p.pk}_f0_c0": "Osorno",
                f"p{p.pk}_f0_c1": "Mesa técnica",
                f"p{p.pk}_f1_c0": "Purranque",
                f"p{p.pk}_f1_c1": "Catastro",
                f"p{p.pk}_f1_quitar": "on",
                f"p{p.pk}_f2_c0": "",
                f"p{p.pk}_f2_c1": "",
            },
        )
        assert formulario.is_valid(), formulario.errors
        assert formulario.respuestas()[p.pk]["valor"] == [["Osorno", "Mesa técnica"]]

    def test_tabla_muestra_las_filas_guardadas_y_una_vacia(self, plantilla):
        p = pregunta(plantilla, "tabla")
        llenado = services.llenado_crear(plantilla)
        services.respuestas_guardar(
            llenado=llenado,
            respuestas={p.pk: {"valor": [["Osorno", "Mesa"], ["Río Negro", "Plan"]]}},
        )
        formulario = FormularioLlenado(
            plantilla=plantilla, respuestas=services.respuestas_de(llenado)
        )
        pregunta_en_form = next(q for q in formulario.preguntas if q.pk == p.pk)
        assert len(pregunta_en_form.filas) == 3
        assert [c.value() for c in pregunta_en_form.filas[1].celdas] == ["Río Negro", "Plan"]
        assert [c.value() for c in pregunta_en_form.filas[2].celdas] == ["", ""]

    def test_tabla_enviada_con_error_conserva_lo_escrito(self, plantilla):
        p_tabla, p_pct = pregunta(plantilla, "tabla"), pregunta(plantilla, "porcentaje")
        formulario = enviar(
            plantilla,
            {
                f"p{p_tabla.pk}_filas": "2",
                f"p{p_tabla.pk}_f0_c0": "Osorno",
                f"p{p_tabla.pk}_f1_c0": "San Pablo",
                f"p{p_pct.pk}": "150",
            },
        )
        assert not formulario.is_valid()
        en_form = next(q for q in formulario.preguntas if q.pk == p_tabla.pk)
        assert [f.celdas[0].value() for f in en_form.filas] == ["Osorno", "San Pablo"]

    def test_la_ayuda_y_las_partes_se_piden(self, plantilla):
        formulario = FormularioLlenado(plantilla=plantilla)
        partes = pregunta(plantilla, "solo_partes")
        assert f"p{partes.pk}" not in formulario.fields
        assert f"p{partes.pk}_desarrollo" in formulario.fields
        assert f"p{partes.pk}_recomendaciones" in formulario.fields


class TestGuardarYObligatorias:
    def test_guardar_crea_actualiza_y_dice_que_cambio(self, plantilla):
        texto, pct = pregunta(plantilla, "texto"), pregunta(plantilla, "porcentaje")
        llenado = services.llenado_crear(plantilla)
        cambiaron = services.respuestas_guardar(
            llenado=llenado, respuestas={texto.pk: {"valor": "Se hizo"}, pct.pk: {"valor": None}}
        )
        # An empty answer to a question never answered is not stored.
        assert cambiaron == [texto]
        assert Respuesta.objects.filter(llenado=llenado).count() == 1
        assert (
            services.respuestas_guardar(
                llenado=llenado, respuestas={texto.pk: {"valor": "Se hizo"}}
            )
            == []
        )
        assert services.respuestas_guardar(
            llenado=llenado, respuestas={texto.pk: {"valor": "Se hizo más"}, pct.pk: {"valor": 40}}
        ) == [texto, pct]
        assert services.respuestas_de(llenado)[pct.pk].valor == 40

    def test_una_respuesta_ajena_no_guarda_nada(self, plantilla):
        otra = plantilla_de_cada_tipo("otra")
        llenado = services.llenado_crear(plantilla)
        texto = pregunta(plantilla, "texto")
        with pytest.raises(Exception, match="no son de este formulario"):
            services.respuestas_guardar(
                llenado=llenado,
                respuestas={texto.pk: {"valor": "a"}, pregunta(otra, "texto").pk: {"valor": "b"}},
            )
        assert not Respuesta.objects.filter(llenado=llenado).exists()

    def test_preguntas_sin_responder(self, plantilla):
        llenado = services.llenado_crear(plantilla)
        assert len(services.preguntas_sin_responder(llenado.plantilla, llenado)) == 6
        partes = pregunta(plantilla, "solo_partes")
        Pregunta.objects.filter(tipo="tabla").update(obligatoria=False)
        services.respuestas_guardar(
            llenado=llenado,
            respuestas={
                pregunta(plantilla, "texto").pk: {"valor": "Listo"},
                pregunta(plantilla, "si_no").pk: {"valor": False},
                partes.pk: {"desarrollo": "Avanzamos", "recomendaciones": ""},
            },
        )
        faltan = services.preguntas_sin_responder(llenado.plantilla, llenado)
        # «No» answers; the parts question still lacks its recommendations; the table is optional.
        assert [p.tipo for p in faltan] == ["porcentaje", "opcion", "solo_partes"]


def test_la_base_de_datos_rechaza_un_tipo_desconocido(plantilla):
    from tests.conftest import falla_en_bd

    p = pregunta(plantilla, "texto")
    p.tipo = "dibujo"
    assert falla_en_bd(p)


def test_una_pregunta_que_la_pagina_no_mostro_conserva_su_respuesta(plantilla):
    texto, pct = pregunta(plantilla, "texto"), pregunta(plantilla, "porcentaje")
    llenado = services.llenado_crear(plantilla)
    services.respuestas_guardar(llenado=llenado, respuestas={texto.pk: {"valor": "Guardado"}})
    # A page opened before `texto` existed posts only the percentage.
    formulario = enviar(plantilla, {f"p{pct.pk}": "20"}, services.respuestas_de(llenado))
    assert formulario.is_valid()
    assert set(formulario.respuestas()) == {pct.pk}
    # An emptied field is sent, and so is cleared.
    formulario = enviar(plantilla, {f"p{texto.pk}": ""}, services.respuestas_de(llenado))
    assert formulario.respuestas()[texto.pk]["valor"] is None
