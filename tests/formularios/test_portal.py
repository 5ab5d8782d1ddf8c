"""The servicio fills its deliverable's form on the informe page; the door; fixed queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bitacora.models import Evento
from compromisos.models import EstadoRevision, Hito, InformeAvance
from formularios.models import Pregunta, Respuesta
from tests.conftest import cliente, crear_formulacion
from tests.formularios.conftest import (
    CLAVE_EVALUACION,
    plantilla_de_cada_tipo,
    tipo_con_formulario,
)
from validacion.services import revision_transicionar

pytestmark = pytest.mark.django_db

URLS_PROBADAS = {"compromisos:informe_formulario_pdf"}


def url_editar(informe) -> str:
    return reverse("compromisos:informe_editar", args=[informe.pk])


def pregunta(clave: str) -> Pregunta:
    return Pregunta.objects.get(
        seccion__plantilla__codigo="gestion-territorial-etapa-4", clave=clave
    )


class TestLlenar:
    def test_el_primer_guardado_crea_el_formulario_lleno_y_queda_en_la_bitacora(
        self, informe_003, encargado
    ):
        p11, logros = pregunta("1-1"), pregunta("logros-perspectiva")
        respuesta = cliente(encargado).post(
            url_editar(informe_003),
            {
                f"formulario-p{p11.pk}_desarrollo": "Antecedentes: la región como territorio.",
                f"formulario-p{p11.pk}_recomendaciones": "Articularse con CONAMA.",
                f"formulario-p{logros.pk}": "Programa de trabajo regional.",
            },
        )
        assert respuesta.status_code == 302
        informe_003.refresh_from_db()
        assert informe_003.llenado is not None
        assert informe_003.llenado.plantilla.codigo == "gestion-territorial-etapa-4"
        guardada = Respuesta.objects.get(llenado=informe_003.llenado, pregunta=p11)
        assert guardada.desarrollo == "Antecedentes: la región como territorio."
        assert guardada.recomendaciones == "Articularse con CONAMA."
        evento = Evento.objects.get(accion="formulario.guardar")
        from bitacora.acciones import describir, detallar

        assert describir(evento.accion) == "guardó respuestas del formulario"
        assert detallar(evento.accion, evento.detalle) == f"«{p11}», «{logros}»"
        assert evento.usuario == encargado
        assert evento.servicio_id == informe_003.formulacion.servicio_id
        assert evento.detalle["preguntas"] == [str(p11), str(logros)]
        # Saved again unchanged: one filled form, nothing more in the log.
        pagina = cliente(encargado).get(url_editar(informe_003)).content.decode()
        assert "Antecedentes: la región como territorio." in pagina
        cliente(encargado).post(
            url_editar(informe_003),
            {
                f"formulario-p{p11.pk}_desarrollo": "Antecedentes: la región como territorio.",
                f"formulario-p{p11.pk}_recomendaciones": "Articularse con CONAMA.",
                f"formulario-p{logros.pk}": "Programa de trabajo regional.",
            },
        )
        assert Evento.objects.filter(accion="formulario.guardar").count() == 1

    def test_un_error_no_guarda_nada_y_conserva_lo_escrito(self, formulacion_osorno, encargado):
        plantilla = plantilla_de_cada_tipo()
        tipo = tipo_con_formulario(formulacion_osorno.proceso, plantilla, clave="propio")
        informe = InformeAvance.objects.create(formulacion=formulacion_osorno, tipo=tipo)
        texto = Pregunta.objects.get(seccion__plantilla=plantilla, tipo="texto")
        pct = Pregunta.objects.get(seccion__plantilla=plantilla, tipo="porcentaje")
        respuesta = cliente(encargado).post(
            url_editar(informe),
            {
                f"formulario-p{texto.pk}": "Lo que escribí con cuidado",
                f"formulario-p{pct.pk}": "120",
            },
        )
        assert respuesta.status_code == 200
        pagina = respuesta.content.decode()
        assert "Escriba un porcentaje: un número entero entre 0 y 100." in pagina
        assert "Lo que escribí con cuidado" in pagina
        assert "el borrador no se guardó" in pagina
        informe.refresh_from_db()
        assert informe.llenado is None
        # The table's «add a row» button saves and comes back to the question with a new row.
        tabla = Pregunta.objects.get(seccion__plantilla=plantilla, tipo="tabla")
        respuesta = cliente(encargado).post(
            url_editar(informe),
            {
                f"formulario-p{tabla.pk}_filas": "1",
                f"formulario-p{tabla.pk}_f0_c0": "Osorno",
                f"formulario-p{tabla.pk}_f0_c1": "Mesa técnica",
                "siguiente": f"fila-{tabla.pk}",
            },
        )
        assert respuesta["Location"].endswith(f"#pregunta-{tabla.pk}")
        pagina = cliente(encargado).get(url_editar(informe)).content.decode()
        assert f'name="formulario-p{tabla.pk}_f1_c0"' in pagina
        assert 'value="Mesa técnica"' in pagina

    def test_enviado_ya_no_se_edita(self, informe_003, encargado):
        InformeAvance.objects.filter(pk=informe_003.pk).update(estado=EstadoRevision.ENVIADO)
        p11 = pregunta("1-1")
        respuesta = cliente(encargado).post(
            url_editar(informe_003), {f"formulario-p{p11.pk}_desarrollo": "Tarde"}
        )
        assert respuesta.status_code == 409
        assert "Tarde" in respuesta.content.decode()
        informe_003.refresh_from_db()
        assert informe_003.llenado is None


class TestPuerta:
    def test_otro_servicio_recibe_404(self, informe_003_llanquihue, encargado):
        c = cliente(encargado)
        assert c.get(url_editar(informe_003_llanquihue)).status_code == 404
        pdf = reverse("compromisos:informe_formulario_pdf", args=[informe_003_llanquihue.pk])
        assert c.get(pdf).status_code == 404

    def test_otro_rol_no_edita(self, informe_003, analista, jefatura):
        assert cliente(analista).get(url_editar(informe_003)).status_code == 403
        assert cliente(jefatura).get(url_editar(informe_003)).status_code == 403

    def test_sin_alcance_no_descarga(self, informe_003, sin_rol):
        pdf = reverse("compromisos:informe_formulario_pdf", args=[informe_003.pk])
        assert cliente(sin_rol).get(pdf).status_code == 404

    def test_un_informe_sin_preguntas_no_tiene_pdf(self, informe_osorno, encargado):
        pdf = reverse("compromisos:informe_formulario_pdf", args=[informe_osorno.pk])
        assert cliente(encargado).get(pdf).status_code == 404

    def test_quien_ve_el_informe_descarga_su_formulario(self, informe_003, analista, encargado):
        pdf = reverse("compromisos:informe_formulario_pdf", args=[informe_003.pk])
        assert cliente(analista).get(pdf).status_code == 200
        assert cliente(encargado).get(pdf).status_code == 200
        assert cliente().get(pdf).status_code == 302


def test_se_abre_un_entregable_propio_del_anio(
    formulacion_osorno, encargado, analista, plantilla_003
):
    formulacion = revision_transicionar(
        objeto=formulacion_osorno, accion="enviar", usuario=encargado
    )
    formulacion = revision_transicionar(objeto=formulacion, accion="tomar", usuario=analista)
    formulacion = revision_transicionar(objeto=formulacion, accion="aprobar", usuario=analista)
    tipo = tipo_con_formulario(formulacion.proceso, plantilla_003)
    hoy = timezone.localdate()
    Hito.objects.create(
        proceso=formulacion.proceso,
        etapa=Hito.Etapa.OTRO,
        nombre="Certificación etapas 3 y 4",
        fecha_inicio=hoy - datetime.timedelta(days=1),
        fecha_limite=hoy + datetime.timedelta(days=7),
        entregable=tipo,
    )
    c = cliente(encargado)
    desconocido = reverse("compromisos:informe_abrir", args=[formulacion.pk, "no_existe"])
    assert c.post(desconocido).status_code == 404
    respuesta = c.post(
        reverse("compromisos:informe_abrir", args=[formulacion.pk, CLAVE_EVALUACION]),
        follow=True,
    )
    informe = InformeAvance.objects.get(formulacion=formulacion, periodo=CLAVE_EVALUACION)
    assert informe.tipo == tipo
    # Its form does not report per compromiso: no avance of a compromiso at 0 % is opened.
    assert not informe.avances.exists() and formulacion.compromisos.exists()
    pagina = respuesta.content.decode()
    assert "Evaluación etapa 4 2026" in pagina
    assert "OBJETIVO N°1:" in pagina
    assert f"{hoy + datetime.timedelta(days=7):%Y}" in pagina


def _consultas(c, url) -> int:
    with CaptureQueriesContext(connection) as contexto:
        assert c.get(url).status_code == 200
    return len(contexto.captured_queries)


def test_la_pagina_para_llenar_no_crece_con_las_preguntas(osorno, proceso, encargado):
    from compromisos.models import Proceso
    from formularios import services

    c = cliente(encargado)
    medidas = []
    for anio, preguntas_por_tipo in [(2026, 1), (2027, 6)]:
        formulacion = crear_formulacion(osorno, Proceso.objects.get_or_create(anio=anio)[0])
        plantilla = plantilla_de_cada_tipo(f"plantilla-{anio}", preguntas_por_tipo)
        tipo = tipo_con_formulario(formulacion.proceso, plantilla, clave="propio")
        informe = InformeAvance.objects.create(formulacion=formulacion, tipo=tipo)
        informe.llenado = services.llenado_crear(plantilla)
        informe.save(update_fields=["llenado"])
        services.respuestas_guardar(
            llenado=informe.llenado,
            respuestas={
                p.pk: {"valor": "Sí, hecho", "desarrollo": "Avance"}
                for p in Pregunta.objects.filter(seccion__plantilla=plantilla, tipo="texto")
            },
        )
        c.get(url_editar(informe))  # caches warmed (content types), as on a running site
        medidas.append(
            (
                _consultas(c, url_editar(informe)),
                _consultas(c, reverse("compromisos:informe_detalle", args=[informe.pk])),
            )
        )
    assert Pregunta.objects.filter(seccion__plantilla__codigo="plantilla-2027").count() == 36
    # Edit page: as a standard informe's (tests/srm/test_vistas.py) + the form's sections, its
    # questions and its answers (3) + the year's kinds up to this one (a kind of the year's own,
    # compromisos.selectors.periodos_hasta); the questions' files come with every file of the
    # informe, in one query (compromisos.selectors.archivos_del_informe); read-only page
    # likewise, plus SUBDERE's verdicts on the files (1). The deadline's hito is catalog data,
    # read by the first view (srm/catalogo.py). 6 or 36 questions: the same.
    assert medidas == [(16, 17), (16, 17)]


def test_un_entregable_propio_se_envia_y_queda_en_lectura(informe_003, encargado):
    from demo.formularios import formulario_dgop_cargar

    formulario_dgop_cargar(informe_003)
    c = cliente(encargado)
    respuesta = c.post(
        reverse("compromisos:informe_enviar", args=[informe_003.pk]),
        {"justificacion_faltantes": ""},
        follow=True,
    )
    assert "Evaluación etapa 4 enviado a SUBDERE." in respuesta.content.decode()
    informe_003.refresh_from_db()
    assert informe_003.estado == EstadoRevision.ENVIADO
    assert c.get(url_editar(informe_003)).status_code == 302
