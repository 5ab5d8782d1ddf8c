"""The analyst's side: review queue, review page, transitions, remarks, verdicts, bulk actions."""

import pytest
from django.urls import reverse

from bitacora.models import Evento
from compromisos.models import InformeAvance, Instantanea
from servicios.models import Cartera
from tests.conftest import cliente, crear_formulacion, crear_informe
from validacion.models import Observacion, VeredictoMedio
from validacion.services import observacion_crear, revision_transicionar

pytestmark = pytest.mark.django_db

URLS_PROBADAS = {
    "validacion:bandeja",
    "validacion:bandeja_tomar",
    "validacion:informe_revisar",
    "validacion:informe_transicionar",
    "validacion:observacion_crear",
    "validacion:observacion_resolver",
    "validacion:medio_calificar",
    "validacion:formulacion_transicionar",
    "validacion:preferencias_avisos",
}


@pytest.fixture
def enviados(informe_osorno, informe_llanquihue, encargado, encargado_otro):
    osorno = revision_transicionar(objeto=informe_osorno, accion="enviar", usuario=encargado)
    llanquihue = revision_transicionar(
        objeto=informe_llanquihue, accion="enviar", usuario=encargado_otro
    )
    return osorno, llanquihue


@pytest.fixture
def en_revision(enviados, analista):
    return revision_transicionar(objeto=enviados[0], accion="tomar", usuario=analista)


class TestBandeja:
    def test_analista_ve_su_cartera_y_a_pedido_todas(self, enviados, analista):
        c = cliente(analista)
        propia = c.get(reverse("validacion:bandeja")).content.decode()
        assert "Gobernación Provincial de Osorno" in propia
        assert "Gobernación Provincial de Llanquihue" not in propia
        todas = c.get(reverse("validacion:bandeja") + "?cartera=todas").content.decode()
        assert "Gobernación Provincial de Llanquihue" in todas

    def test_jefatura_ve_todas_sin_poder_tomar(self, enviados, jefatura):
        contenido = cliente(jefatura).get(reverse("validacion:bandeja")).content.decode()
        assert "Gobernación Provincial de Llanquihue" in contenido
        assert "Tomar en revisión" not in contenido

    def test_cuenta_solo_las_observaciones_abiertas_de_cada_documento(
        self, en_revision, analista, encargado
    ):
        from compromisos.models import FormulacionPMG
        from validacion import selectors
        from validacion.services import observacion_resolver

        informe = en_revision
        for texto in ["Falta el acta.", "Falta la firma.", "Corregir el porcentaje."]:
            observacion_crear(informe=informe, texto=texto, usuario=analista)
        observacion_resolver(observacion=informe.observaciones.first(), usuario=analista)
        formulacion = FormulacionPMG.objects.get(pk=informe.formulacion_id)
        formulacion = revision_transicionar(objeto=formulacion, accion="enviar", usuario=encargado)
        formulacion = revision_transicionar(objeto=formulacion, accion="tomar", usuario=analista)
        observacion_crear(formulacion=formulacion, texto="Revise la meta.", usuario=analista)

        informes = {i.pk: len(i.abiertas) for i in selectors.bandeja(usuario=analista)}
        formulaciones = {
            f.pk: len(f.abiertas) for f in selectors.bandeja_formulaciones(usuario=analista)
        }
        # The informe's remarks are not the formulación's own.
        assert informes[informe.pk] == 2
        assert formulaciones[formulacion.pk] == 1
        assert all(n == 0 for pk, n in informes.items() if pk != informe.pk)

    @pytest.mark.parametrize("persona", ["encargado", "consultora"])
    def test_servicio_y_consultora_no_entran(self, request, enviados, persona):
        assert (
            cliente(request.getfixturevalue(persona)).get(reverse("validacion:bandeja")).status_code
            == 403
        )

    def test_anonimo_va_al_ingreso(self, db):
        respuesta = cliente().get(reverse("validacion:bandeja"))
        assert respuesta.status_code == 302 and respuesta.url.startswith(reverse("login"))

    def test_filtros_quedan_en_la_url(self, enviados, jefatura, analista, llanquihue):
        revision_transicionar(objeto=enviados[0], accion="tomar", usuario=analista)
        c = cliente(jefatura)

        def servicios(consulta: str) -> set[str]:
            pagina = c.get(reverse("validacion:bandeja") + "?cartera=todas&" + consulta).context[
                "pagina"
            ]
            return {fila.servicio for fila in pagina}

        osorno, llanquihue_nombre = "Gobernación Provincial de Osorno", llanquihue.nombre
        assert servicios("q=Llanquihue") == {llanquihue_nombre}
        assert servicios("estado=en_revision") == {osorno}
        assert servicios("estado=por_revisar") == {osorno, llanquihue_nombre}
        assert servicios("") == {osorno, llanquihue_nombre}
        assert servicios("estado=aprobado") == set()
        assert servicios(f"region={llanquihue.region_id}&periodo=avance_1") == {
            osorno,
            llanquihue_nombre,
        }
        assert servicios("periodo=final") == set()
        # Both were sent after the 30 June deadline of the fixture's calendar.
        assert servicios("es_atrasado=true") == {osorno, llanquihue_nombre}
        assert servicios("es_atrasado=false") == set()

    def test_las_formulaciones_se_filtran_con_el_mismo_formulario(
        self, formulacion_osorno, formulacion_llanquihue, encargado, encargado_otro, jefatura
    ):
        """One form, validated once (BandejaFilter.sobre); each list applies its own filters."""
        revision_transicionar(objeto=formulacion_osorno, accion="enviar", usuario=encargado)
        revision_transicionar(
            objeto=formulacion_llanquihue, accion="enviar", usuario=encargado_otro
        )
        c = cliente(jefatura)

        def servicios(consulta: str) -> set[str]:
            pagina = c.get(reverse("validacion:bandeja") + "?cartera=todas&" + consulta).context[
                "formulaciones"
            ]
            return {fila.servicio for fila in pagina}

        osorno, llanquihue = (
            formulacion_osorno.servicio.nombre,
            formulacion_llanquihue.servicio.nombre,
        )
        assert servicios("") == {osorno, llanquihue}
        assert servicios("q=Llanquihue") == {llanquihue}
        # Both are in Los Lagos.
        region = formulacion_llanquihue.servicio.region_id
        assert servicios(f"region={region}") == {osorno, llanquihue}
        assert servicios(f"region={region + 1}") == set()
        assert servicios(f"anio={formulacion_osorno.proceso_id}") == {osorno, llanquihue}
        assert servicios("estado=observado") == set()
        # An informe's periodo and lateness leave no formulación in the list.
        assert servicios("periodo=avance_1") == set()
        assert servicios("es_atrasado=true") == set()

    def test_cada_fila_muestra_tipo_ministerio_y_region_de_su_servicio(
        self, enviados, jefatura, llanquihue
    ):
        """The rows take their catalogs from the filter's (selectors.filas_bandeja)."""
        respuesta = cliente(jefatura).get(reverse("validacion:bandeja") + "?cartera=todas")
        fila = next(f for f in respuesta.context["pagina"] if f.servicio == llanquihue.nombre)
        assert (fila.ministerio, fila.tipo, fila.region) == (
            llanquihue.ministerio.sigla,
            llanquihue.tipo.nombre,
            llanquihue.region.nombre,
        )
        assert (
            f"{llanquihue.tipo} · {llanquihue.ministerio.sigla} · {llanquihue.region.nombre}"
            in respuesta.content.decode()
        )

    def test_orden_por_tiempo_de_espera(self, enviados, jefatura):
        pagina = (
            cliente(jefatura)
            .get(reverse("validacion:bandeja") + "?cartera=todas")
            .context["pagina"]
        )
        enviados_en = [fila.momento for fila in pagina]
        assert enviados_en == sorted(enviados_en)

    def test_tomar_varios_pasa_por_la_transicion_uno_a_uno(self, enviados, analista, llanquihue):
        Cartera.objects.create(anio=2026, rol="analista", usuario=analista, servicio=llanquihue)
        analista.__dict__.pop("_srm_cartera", None)
        respuesta = cliente(analista).post(
            reverse("validacion:bandeja_tomar"), {"informes": [i.pk for i in enviados]}, follow=True
        )
        assert "2 informes en revisión" in respuesta.content.decode()
        assert set(InformeAvance.objects.values_list("estado", flat=True)) == {"en_revision"}
        assert Evento.objects.filter(accion="informe.tomar").count() == 2

    def test_tomar_varios_informa_los_que_no_puede(self, enviados, analista):
        respuesta = cliente(analista).post(
            reverse("validacion:bandeja_tomar"), {"informes": [i.pk for i in enviados]}, follow=True
        )
        contenido = respuesta.content.decode()
        assert "1 informe en revisión" in contenido and "no está asignado a su cartera" in contenido
        enviados[1].refresh_from_db()
        assert enviados[1].estado == "enviado"

    def test_tomar_varios_solo_por_post_y_solo_analistas(self, enviados, jefatura):
        assert cliente(jefatura).get(reverse("validacion:bandeja_tomar")).status_code == 405
        assert (
            cliente(jefatura)
            .post(reverse("validacion:bandeja_tomar"), {"informes": [enviados[0].pk]})
            .status_code
            == 403
        )


class TestPaginaDeRevision:
    def url(self, informe):
        return reverse("validacion:informe_revisar", args=[informe.pk])

    def test_analista_abre_la_revision_con_sus_acciones(self, enviados, analista):
        contenido = cliente(analista).get(self.url(enviados[0])).content.decode()
        assert "Tomar en revisión" in contenido and "acta 0.pdf" in contenido

    def test_analista_lee_informes_de_otras_carteras_sin_acciones(self, enviados, analista):
        respuesta = cliente(analista).get(self.url(enviados[1]))
        assert respuesta.status_code == 200
        assert respuesta.context["acciones"] == [] and not respuesta.context["puede_revisar"]

    def test_encargado_recibe_403_y_otro_servicio_404(self, enviados, encargado):
        assert cliente(encargado).get(self.url(enviados[0])).status_code == 403
        assert cliente(encargado).get(self.url(enviados[1])).status_code == 404

    def test_consultora_no_revisa(self, enviados, consultora):
        assert cliente(consultora).get(self.url(enviados[0])).status_code == 403
        assert cliente(consultora).get(self.url(enviados[1])).status_code == 404

    def test_jefatura_lee_sin_acciones(self, en_revision, jefatura):
        contenido = cliente(jefatura).get(self.url(en_revision)).content.decode()
        assert "Aprobar" not in contenido and "Agregar observación" not in contenido


def version_mostrada(documento) -> int:
    """The version a page opened now shows of `documento`."""
    return type(documento).objects.get(pk=documento.pk).version


class TestAccionesDeRevision:
    def transicionar(self, c, informe, accion, **datos):
        # Aprobar and observar are confirmed (the confirmation page is tested in test_guardas.py).
        datos.setdefault("confirmado", "1")
        # The version the review page shows, as its hidden field carries it.
        datos.setdefault("version", version_mostrada(informe))
        return c.post(
            reverse("validacion:informe_transicionar", args=[informe.pk, accion]),
            datos,
            follow=True,
        )

    def test_observar_sin_observacion_se_explica(self, en_revision, analista):
        respuesta = self.transicionar(cliente(analista), en_revision, "observar")
        assert "escriba al menos una observación abierta" in respuesta.content.decode()
        en_revision.refresh_from_db()
        assert en_revision.estado == "en_revision"

    def test_observar_con_observacion_y_aprobar_tras_la_correccion(
        self, en_revision, analista, encargado
    ):
        c = cliente(analista)
        avance = en_revision.avances.first()
        c.post(
            reverse("validacion:observacion_crear", args=[en_revision.pk]),
            {"texto": "Falta el acta firmada.", "avance": avance.pk},
        )
        assert Observacion.objects.get().avance == avance
        self.transicionar(c, en_revision, "observar")
        en_revision.refresh_from_db()
        assert en_revision.estado == "observado"
        avance.porcentaje = 90
        avance.save()
        informe = revision_transicionar(objeto=en_revision, accion="enviar", usuario=encargado)
        self.transicionar(c, informe, "tomar")
        pagina = c.get(reverse("validacion:informe_revisar", args=[informe.pk])).content.decode()
        assert (
            "Cambios desde la ronda anterior" in pagina
            and "<del>30</del>" in pagina
            and "<ins>90</ins>" in pagina
        )
        observacion = Observacion.objects.get()
        c.post(reverse("validacion:observacion_resolver", args=[observacion.pk]))
        observacion.refresh_from_db()
        assert observacion.estado == "resuelta"
        respuesta = self.transicionar(c, informe, "aprobar")
        assert "Informe aprobado" in respuesta.content.decode()
        assert Instantanea.objects.filter(informe=informe, motivo="aprobacion").exists()

    def test_jefatura_no_transiciona(self, enviados, jefatura):
        respuesta = cliente(jefatura).post(
            reverse("validacion:informe_transicionar", args=[enviados[0].pk, "tomar"])
        )
        assert respuesta.status_code == 403
        enviados[0].refresh_from_db()
        assert enviados[0].estado == "enviado"

    def test_accion_desconocida_o_del_servicio_responde_404(self, enviados, analista):
        c = cliente(analista)
        for accion in ["borrar", "enviar"]:
            assert (
                c.post(
                    reverse("validacion:informe_transicionar", args=[enviados[0].pk, accion])
                ).status_code
                == 404
            )

    def test_get_no_se_permite(self, enviados, analista):
        url = reverse("validacion:informe_transicionar", args=[enviados[0].pk, "tomar"])
        assert cliente(analista).get(url).status_code == 405

    def test_el_servicio_no_escribe_ni_resuelve_observaciones(
        self, en_revision, encargado, analista
    ):
        c = cliente(encargado)
        assert (
            c.post(
                reverse("validacion:observacion_crear", args=[en_revision.pk]), {"texto": "x"}
            ).status_code
            == 403
        )
        observacion = observacion_crear(informe=en_revision, texto="Revise", usuario=analista)
        assert (
            c.post(reverse("validacion:observacion_resolver", args=[observacion.pk])).status_code
            == 403
        )

    def test_observacion_sobre_compromiso_de_otro_informe_se_rechaza(
        self, en_revision, analista, informe_llanquihue
    ):
        ajeno = informe_llanquihue.avances.first()
        cliente(analista).post(
            reverse("validacion:observacion_crear", args=[en_revision.pk]),
            {"texto": "x", "avance": ajeno.pk},
        )
        assert not Observacion.objects.exists()


class TestVeredictos:
    def calificar(self, c, medio, resultado, motivo=""):
        return c.post(
            reverse("validacion:medio_calificar", args=[medio.pk]),
            {"resultado": resultado, "motivo": motivo},
            follow=True,
        )

    def test_rechazar_exige_motivo_y_se_guarda_por_ronda(self, en_revision, analista):
        c = cliente(analista)
        medio = en_revision.avances.first().medios.get()
        respuesta = self.calificar(c, medio, "rechazado")
        assert "Indique el motivo" in respuesta.content.decode()
        self.calificar(c, medio, "rechazado", "El acta no tiene firma.")
        veredicto = VeredictoMedio.objects.get()
        assert (veredicto.resultado, veredicto.ronda, veredicto.motivo) == (
            "rechazado",
            1,
            "El acta no tiene firma.",
        )
        self.calificar(c, medio, "aceptado")
        assert VeredictoMedio.objects.get().resultado == "aceptado"

    def test_un_rechazo_vuelve_arriba_con_su_resumen_y_un_exito_al_archivo(
        self, en_revision, analista
    ):
        """A refusal lands at the top of the page, where its summary takes the focus (issue 13,
        point 8); a saved verdict lands back at its file."""
        c = cliente(analista)
        medio = en_revision.avances.first().medios.get()
        pagina = reverse("validacion:informe_revisar", args=[en_revision.pk])
        url = reverse("validacion:medio_calificar", args=[medio.pk])
        rechazo = c.post(url, {"resultado": "rechazado", "motivo": ""})
        assert rechazo.url == pagina
        html = c.get(pagina).content.decode()
        resumen = html.split('id="resumen-mensajes"', 1)[1].split("</div>", 1)[0]
        assert "data-resumen-errores" in html and "data-devuelto" in html
        assert "Indique el motivo" in resumen
        exito = c.post(url, {"resultado": "observado", "motivo": "Falta la firma."})
        assert exito.url == f"{pagina}#medio-{medio.pk}"
        assert 'id="resumen-mensajes"' not in c.get(pagina).content.decode()

    def test_solo_en_revision_y_solo_analistas_de_la_cartera(
        self, enviados, analista, encargado, analista_otro
    ):
        medio = enviados[0].avances.first().medios.get()
        assert (
            "mientras el informe está en revisión"
            in self.calificar(cliente(analista), medio, "aceptado").content.decode()
        )
        assert (
            cliente(encargado)
            .post(reverse("validacion:medio_calificar", args=[medio.pk]), {"resultado": "aceptado"})
            .status_code
            == 403
        )
        assert not VeredictoMedio.objects.exists()

    def test_el_servicio_ve_el_veredicto_en_su_informe(self, en_revision, analista, encargado):
        medio = en_revision.avances.first().medios.get()
        self.calificar(cliente(analista), medio, "observado", "Falta la segunda página.")
        contenido = (
            cliente(analista)
            .get(reverse("validacion:informe_revisar", args=[en_revision.pk]))
            .content.decode()
        )
        assert "Falta la segunda página." in contenido


@pytest.mark.parametrize("cantidad", [1, 6])
def test_bandeja_hace_las_mismas_consultas_con_pocos_o_muchos_informes(
    cantidad, proceso, jefatura, encargado, django_assert_num_queries
):
    from servicios.models import Membresia, Servicio

    for servicio in Servicio.objects.filter(tipo__codigo="servicio-nacional").order_by("pk")[
        :cantidad
    ]:
        Membresia.objects.create(usuario=encargado, servicio=servicio)
        encargado.__dict__.pop("_srm_servicios", None)
        formulacion = crear_formulacion(servicio, proceso, compromisos=2)
        informe = crear_informe(formulacion, medios_por_avance=2)
        revision_transicionar(objeto=informe, accion="enviar", usuario=encargado)
        revision_transicionar(objeto=formulacion, accion="enviar", usuario=encargado)
    c = cliente(jefatura)
    url = reverse("validacion:bandeja") + "?cartera=todas&estado="
    # The first view after a catalog was written also reads the filter's choices (año,
    # ministerio, tipo, región: the rows take their catalogs from these) and the deliverables
    # of the years for the periodo (issue 16), kept under the catalog version (srm/catalogo.py).
    with django_assert_num_queries(3 + 2 + 5):
        c.get(url)
    # session, user, groups; the page of informes with servicio, year, open observaciones and
    # the list's capped count (subqueries); the page of formulaciones, the same
    with django_assert_num_queries(3 + 2):
        primera = c.get(url).context["pagina"]
    # The last page and the page after a row (srm/paginacion.py; here a key before the first
    # row): the same queries.
    with django_assert_num_queries(3 + 2):
        ultima = c.get(url + "&pagina=ultima").context["pagina"]
    with django_assert_num_queries(3 + 2):
        tras = c.get(url + "&pagina=tras.0.1").context["pagina"]
    assert list(primera) == list(ultima) == list(tras) and len(primera) == cantidad


def test_pagina_de_revision_hace_las_mismas_consultas_con_2_u_8_compromisos(
    osorno, proceso, encargado, analista, django_assert_num_queries
):
    from compromisos.models import Proceso

    c = cliente(analista)
    for compromisos, anio in ((2, 2026), (8, 2027)):
        proceso_anio = Proceso.objects.get_or_create(anio=anio)[0]
        Cartera.objects.get_or_create(anio=anio, rol="analista", usuario=analista, servicio=osorno)
        analista.__dict__.pop("_srm_cartera", None)
        informe = crear_informe(
            crear_formulacion(osorno, proceso_anio, compromisos), medios_por_avance=2
        )
        informe = revision_transicionar(objeto=informe, accion="enviar", usuario=encargado)
        informe = revision_transicionar(objeto=informe, accion="tomar", usuario=analista)
        for avance in informe.avances.all():
            observacion_crear(informe=informe, texto="Revise.", usuario=analista, avance=avance)
        url = reverse("validacion:informe_revisar", args=[informe.pk])
        # The deadline's hito is catalog data (srm/catalogo.py): read by the first view after
        # a catalog write (here, creating the year), kept for the next ones.
        c.get(url)
        # base (3), informe, cartera (may act), the timeline (one query, with its subqueries;
        # the round is counted from its sendings), avances, every file of the informe (current
        # ones and their earlier versions), promised medios, promised medios delivered in the
        # year, verdicts, observaciones, answers, the snapshots (their links and the last two
        # sendings compared); the committed etapa of the Descentralización line (none here: no
        # catalogue; with one, see tests/validacion/test_requisitos.py)
        with django_assert_num_queries(3 + 12):
            assert (
                c.get(reverse("validacion:informe_revisar", args=[informe.pk])).status_code == 200
            )


class TestFormulacionEnRevision:
    @pytest.fixture
    def enviada(self, formulacion_osorno, encargado):
        return revision_transicionar(objeto=formulacion_osorno, accion="enviar", usuario=encargado)

    def url(self, formulacion, accion):
        return reverse("validacion:formulacion_transicionar", args=[formulacion.pk, accion])

    def test_analista_toma_devuelve_con_comentario_y_el_servicio_lo_lee(
        self, enviada, analista, encargado
    ):
        c = cliente(analista)
        assert (
            "Tomar en revisión"
            in c.get(reverse("compromisos:formulacion_detalle", args=[enviada.pk])).content.decode()
        )
        c.post(self.url(enviada, "tomar"))
        sin_comentario = c.post(
            self.url(enviada, "observar"),
            {"confirmado": "1", "version": version_mostrada(enviada)},
            follow=True,
        )
        assert "escriba al menos una observación abierta" in sin_comentario.content.decode()
        c.post(
            self.url(enviada, "observar"),
            {
                "comentario": "Agregue el sistema SIAC.",
                "confirmado": "1",
                "version": version_mostrada(enviada),
            },
        )
        enviada.refresh_from_db()
        assert enviada.estado == "observado"
        pagina = cliente(encargado).get(
            reverse("compromisos:formulacion_detalle", args=[enviada.pk])
        )
        # The comentario is now an observación of round 1, which the servicio answers there.
        assert "Observaciones de SUBDERE" in pagina.content.decode()
        assert "Agregue el sistema SIAC." in pagina.content.decode()

    @pytest.mark.parametrize("persona", ["encargado", "jefatura", "consultora", "analista_otro"])
    def test_otros_no_revisan_la_formulacion(self, request, enviada, persona):
        assert (
            cliente(request.getfixturevalue(persona)).post(self.url(enviada, "tomar")).status_code
            == 403
        )
        enviada.refresh_from_db()
        assert enviada.estado == "enviado"

    def test_otro_servicio_404_get_405_y_accion_desconocida_404(
        self, enviada, encargado_otro, analista
    ):
        assert cliente(encargado_otro).post(self.url(enviada, "tomar")).status_code == 404
        assert cliente(analista).get(self.url(enviada, "tomar")).status_code == 405
        assert cliente(analista).post(self.url(enviada, "enviar")).status_code == 404


def test_cada_persona_elige_resumen_diario(analista):
    c = cliente(analista)
    assert "Un resumen diario" in c.get(reverse("validacion:preferencias_avisos")).content.decode()
    c.post(reverse("validacion:preferencias_avisos"), {"resumen_diario": "1"})
    assert analista.preferencia_avisos.resumen_diario is True
    assert cliente().get(reverse("validacion:preferencias_avisos")).status_code == 302


def test_el_servicio_ve_que_archivo_corregir(en_revision, analista, encargado):
    from tests.conftest import observar

    medio = en_revision.avances.first().medios.get()
    cliente(analista).post(
        reverse("validacion:medio_calificar", args=[medio.pk]),
        {"resultado": "rechazado", "motivo": "El acta no tiene firma."},
    )
    observar(en_revision, analista)
    pagina = (
        cliente(encargado)
        .get(reverse("compromisos:informe_editar", args=[en_revision.pk]))
        .content.decode()
    )
    assert "SUBDERE: rechazado." in pagina and "El acta no tiene firma." in pagina


def test_mensajes_de_la_formulacion_hablan_de_la_formulacion(
    formulacion_osorno, encargado, analista
):
    revision_transicionar(objeto=formulacion_osorno, accion="enviar", usuario=encargado)
    url = reverse("validacion:formulacion_transicionar", args=[formulacion_osorno.pk, "tomar"])
    assert (
        "Formulación tomada en revisión."
        in cliente(analista).post(url, follow=True).content.decode()
    )
