"""Compromisos hang off the Descentralización line, and the requisitos técnicos of its committed
etapa go through the informe (the servicio links files), the review (the analyst) and the
validation (the consultora): each met / not met with the files that support it."""

import pytest
from django.urls import reverse

from bitacora.models import Evento
from compromisos.models import (
    Compromiso,
    InformeAvance,
    Proceso,
    TipoEntregable,
    VinculoRequisito,
)
from compromisos.selectors import etapa_comprometida
from compromisos.services import compromiso_guardar, formulacion_guardar, instantanea_de
from formularios.models import Plantilla
from programa.models import ProgramaMarco, RequisitoTecnico, SistemaPMG
from programa.services import programa_copiar
from servicios.models import Cartera
from tests.conftest import ANIO, cliente, crear_formulacion, crear_informe
from validacion.models import VeredictoRequisito
from validacion.services import revision_transicionar

pytestmark = pytest.mark.django_db

URLS_PROBADAS = {"validacion:requisito_calificar", "validacion:requisito_validar"}

DATOS_COMPROMISO = {
    "codigo": "C09",
    "nombre": "Convenio con el GORE",
    "descripcion": "Traspasar la ventanilla de subsidios.",
    "tipo_medida": "descentralizacion",
    "complejidad": "mediana",
    "ambito": "desarrollo_social",
    "meta": "",
    "indicador": "",
}


@pytest.fixture
def formulacion(programa_2026, osorno, proceso, encargado):
    """Osorno's formulación of the test year, its Descentralización line from the catalogue
    (etapa I: two requisitos, the second asks for the informe de factibilidad)."""
    return crear_formulacion(osorno, proceso)


@pytest.fixture
def requisitos(formulacion) -> list[RequisitoTecnico]:
    return etapa_comprometida(formulacion_id=formulacion.pk).requisitos


@pytest.fixture
def informe(formulacion):
    return crear_informe(formulacion, medios_por_avance=1)


@pytest.fixture
def en_revision(informe, encargado, analista):
    informe = revision_transicionar(objeto=informe, accion="enviar", usuario=encargado)
    return revision_transicionar(objeto=informe, accion="tomar", usuario=analista)


def medios_de(informe):
    return list(informe.avances.order_by("compromiso__codigo").values_list("medios__pk", flat=True))


def calificar(c, informe, requisito, **datos):
    prefijo = f"requisito-{requisito.pk}"
    return c.post(
        reverse("validacion:requisito_calificar", args=[informe.pk, requisito.pk]),
        {f"{prefijo}-{campo}": valor for campo, valor in datos.items()},
    )


class TestLineaDeLosCompromisos:
    def test_el_compromiso_nuevo_cuelga_de_la_linea_descentralizacion(self, formulacion, encargado):
        compromiso = compromiso_guardar(
            formulacion=formulacion,
            datos=DATOS_COMPROMISO,
            regiones=[],
            hitos=[],
            medios=[],
            usuario=encargado,
        )
        assert compromiso.linea == formulacion.lineas.get(sistema="Descentralización")

    def test_sin_linea_descentralizacion_no_hay_compromisos(self, osorno, proceso, encargado):
        formulacion = crear_formulacion(osorno, proceso, compromisos=0)
        formulacion.lineas.all().delete()
        with pytest.raises(Exception, match="iniciativas del sistema Descentralización"):
            compromiso_guardar(
                formulacion=formulacion,
                datos=DATOS_COMPROMISO,
                regiones=[],
                hitos=[],
                medios=[],
                usuario=encargado,
            )
        assert not Compromiso.objects.exists()

    def test_al_guardar_la_formulacion_los_compromisos_pasan_a_la_linea_nueva(
        self, formulacion, encargado
    ):
        sistema = formulacion.lineas.get().sistema_catalogo
        formulacion_guardar(
            formulacion=formulacion,
            lineas=[
                {"sistema_catalogo": sistema, "etapa": 2, "prioridad": "ALTA", "ponderador": "100"}
            ],
            exenciones=[],
            usuario=encargado,
        )
        nueva = formulacion.lineas.get()
        assert set(formulacion.compromisos.values_list("linea", flat=True)) == {nueva.pk}
        # Etapa II now: its requisito (the programa de trabajo) replaces etapa I's.
        textos = [r.texto for r in etapa_comprometida(formulacion_id=formulacion.pk).requisitos]
        assert textos == [
            "Elaborar el programa de trabajo anual con las medidas de descentralización y "
            "desconcentración priorizadas."
        ]


class TestChecklistDelServicio:
    def test_el_informe_muestra_los_requisitos_y_guarda_los_archivos_vinculados(
        self, informe, requisitos, encargado
    ):
        from tests.compromisos.test_portal_informes import datos_avances

        c = cliente(encargado)
        url = reverse("compromisos:informe_editar", args=[informe.pk])
        pagina = c.get(url).content.decode()
        assert "Requisitos técnicos de la etapa comprometida" in pagina
        assert requisitos[1].texto in pagina and "Informe de factibilidad" in pagina
        primero, segundo = medios_de(informe)
        datos = datos_avances(
            informe,
            **{
                "requisitos-presente": "1",
                f"requisitos-requisito_{requisitos[1].pk}": [primero, segundo],
            },
        )
        assert c.post(url, datos).status_code == 302
        vinculos = VinculoRequisito.objects.filter(informe=informe)
        assert {(v.requisito_id, v.medio_id) for v in vinculos} == {
            (requisitos[1].pk, primero),
            (requisitos[1].pk, segundo),
        }
        assert all(v.vinculado_por == encargado for v in vinculos)
        evento = Evento.objects.get(accion="requisito.vincular")
        assert evento.usuario == encargado and evento.servicio_id == informe.formulacion.servicio_id
        # Shown ticked on the page, and kept in the snapshot of the submission.
        pagina = c.get(url).content.decode()
        assert f'value="{primero}" form="informe-texto"' in pagina or "checked" in pagina
        contenido = instantanea_de(informe)
        assert contenido["requisitos"][1]["medios"] == ["acta 0.pdf", "acta 0.pdf"]
        assert contenido["requisitos"][0] == {"requisito": requisitos[0].texto, "medios": []}

        # Unticking every box unlinks them (and is logged again).
        datos = datos_avances(informe, **{"requisitos-presente": "1"})
        c.post(url, datos)
        assert not VinculoRequisito.objects.filter(informe=informe).exists()
        assert Evento.objects.filter(accion="requisito.vincular").count() == 2

    def test_un_archivo_ajeno_se_rechaza_sin_perder_lo_escrito(
        self, informe, requisitos, encargado, formulacion_llanquihue
    ):
        from tests.compromisos.test_portal_informes import datos_avances

        ajeno = crear_informe(formulacion_llanquihue).avances.first().medios.first()
        datos = datos_avances(
            informe,
            **{
                "requisitos-presente": "1",
                f"requisitos-requisito_{requisitos[0].pk}": [ajeno.pk],
            },
        )
        avance = informe.avances.first()
        datos[f"avance-{avance.pk}-desarrollo_alcanzado"] = "Texto que no se pierde."
        respuesta = cliente(encargado).post(
            reverse("compromisos:informe_editar", args=[informe.pk]), datos
        )
        contenido = respuesta.content.decode()
        assert respuesta.status_code == 200 and 'role="alert"' in contenido
        assert "Elija archivos de este informe." in contenido
        assert "Texto que no se pierde." in contenido
        assert not VinculoRequisito.objects.exists()
        avance.refresh_from_db()
        assert avance.desarrollo_alcanzado == ""

    def test_sin_catalogo_lo_dice(self, informe_osorno, encargado):
        pagina = (
            cliente(encargado)
            .get(reverse("compromisos:informe_editar", args=[informe_osorno.pk]))
            .content.decode()
        )
        assert "no hay requisitos técnicos que mostrar" in pagina


class TestRevisionDelAnalista:
    def test_califica_cada_requisito_con_sus_archivos(
        self, en_revision, requisitos, analista, encargado
    ):
        primero, segundo = medios_de(en_revision)
        VinculoRequisito.objects.create(
            informe=en_revision, requisito=requisitos[1], medio_id=segundo, vinculado_por=encargado
        )
        c = cliente(analista)
        url = reverse("validacion:informe_revisar", args=[en_revision.pk])
        pagina = c.get(url).content.decode()
        assert requisitos[0].texto in pagina and "Sin calificar" in pagina
        assert "Archivos que el servicio vinculó: «C02 · acta 0.pdf»" in pagina
        respuesta = calificar(c, en_revision, requisitos[1], cumple="1", medios=[segundo])
        assert respuesta.status_code == 302
        respuesta = calificar(
            c, en_revision, requisitos[0], cumple="0", comentario="Falta el modelo de gestión."
        )
        assert respuesta.status_code == 302
        veredictos = {v.requisito_id: v for v in VeredictoRequisito.objects.all()}
        assert veredictos[requisitos[1].pk].cumple is True
        assert [m.pk for m in veredictos[requisitos[1].pk].medios.all()] == [segundo]
        assert veredictos[requisitos[0].pk].cumple is False
        assert {v.usuario for v in veredictos.values()} == {analista}
        assert {v.instancia for v in veredictos.values()} == {"revision"}
        assert Evento.objects.filter(accion="requisito.calificar").count() == 2
        pagina = c.get(url).content.decode()
        assert "Falta el modelo de gestión." in pagina and "Cumplido" in pagina

        # Changed in place while the review lasts; every change is logged.
        calificar(c, en_revision, requisitos[0], cumple="1", medios=[primero])
        assert VeredictoRequisito.objects.get(requisito=requisitos[0]).cumple is True
        assert Evento.objects.filter(accion="requisito.calificar").count() == 3

    def test_la_instantanea_y_el_servicio_ven_el_veredicto(
        self, en_revision, requisitos, analista, encargado
    ):
        primero, _ = medios_de(en_revision)
        c = cliente(analista)
        calificar(c, en_revision, requisitos[0], cumple="1", medios=[primero])
        calificar(c, en_revision, requisitos[1], cumple="0", comentario="Falta el informe.")
        from tests.conftest import observar

        observar(en_revision, analista)
        informe = InformeAvance.objects.get(pk=en_revision.pk)
        assert informe.estado == "observado"
        pagina = (
            cliente(encargado)
            .get(reverse("compromisos:informe_editar", args=[informe.pk]))
            .content.decode()
        )
        assert "según SUBDERE: Falta el informe." in pagina
        # Sent again and approved: the approval's snapshot keeps each requisito's verdict.
        informe = revision_transicionar(objeto=informe, accion="enviar", usuario=encargado)
        informe = revision_transicionar(objeto=informe, accion="tomar", usuario=analista)
        calificar(c, informe, requisitos[1], cumple="1", medios=[primero])
        for observacion in informe.observaciones.all():
            observacion.estado = "resuelta"
            observacion.save()
        revision_transicionar(objeto=informe, accion="aprobar", usuario=analista)
        contenido = informe.instantaneas.get(motivo="aprobacion").contenido
        assert [fila["cumple"] for fila in contenido["requisitos"]] == [True, True]
        assert contenido["requisitos"][1]["respaldo"] == ["acta 0.pdf"]
        envio = informe.instantaneas.filter(motivo="envio").order_by("ronda").first().contenido
        assert "cumple" not in envio["requisitos"][0]

    @pytest.mark.parametrize(
        ("datos", "mensaje"),
        [
            ({"comentario": "Sin elegir."}, "Indique si el requisito se cumple."),
            ({"cumple": "1"}, "marque al menos un archivo"),
            ({"cumple": "0", "comentario": " "}, "Diga por qué no se cumple"),
            ({"cumple": "1", "medios": ["999999"]}, "Elija archivos de este servicio y año."),
        ],
    )
    def test_un_error_se_explica_sin_perder_lo_escrito(
        self, en_revision, requisitos, analista, datos, mensaje
    ):
        respuesta = calificar(cliente(analista), en_revision, requisitos[0], **datos)
        contenido = respuesta.content.decode()
        assert respuesta.status_code == 400 and 'role="alert"' in contenido
        assert mensaje in contenido
        if datos.get("comentario", "").strip():
            assert datos["comentario"] in contenido
        assert not VeredictoRequisito.objects.exists()

    def test_el_archivo_de_otro_informe_no_respalda(
        self, en_revision, requisitos, analista, formulacion_llanquihue
    ):
        ajeno = crear_informe(formulacion_llanquihue).avances.first().medios.first()
        respuesta = calificar(
            cliente(analista), en_revision, requisitos[0], cumple="1", medios=[ajeno.pk]
        )
        assert respuesta.status_code == 400
        assert not VeredictoRequisito.objects.exists()

    def test_un_requisito_de_otra_etapa_se_rechaza(self, en_revision, analista, requisitos):
        otro = RequisitoTecnico.objects.exclude(pk__in=[r.pk for r in requisitos]).first()
        respuesta = calificar(
            cliente(analista), en_revision, otro, cumple="0", comentario="No corresponde."
        )
        assert respuesta.status_code == 400
        assert "no es de la etapa comprometida" in respuesta.content.decode()

    def test_fuera_de_revision_no_se_califica(self, informe, requisitos, analista, encargado):
        revision_transicionar(objeto=informe, accion="enviar", usuario=encargado)
        respuesta = calificar(
            cliente(analista), informe, requisitos[0], cumple="0", comentario="Falta."
        )
        assert "mientras el informe está en revisión" in respuesta.content.decode()
        assert not VeredictoRequisito.objects.exists()

    @pytest.mark.parametrize(
        ("persona", "codigo"),
        [("encargado", 403), ("jefatura", 403), ("analista_otro", 403), ("encargado_otro", 404)],
    )
    def test_solo_el_analista_de_la_cartera_califica(
        self, request, en_revision, requisitos, persona, codigo
    ):
        respuesta = calificar(
            cliente(request.getfixturevalue(persona)),
            en_revision,
            requisitos[0],
            cumple="0",
            comentario="Falta.",
        )
        assert respuesta.status_code == codigo
        assert not VeredictoRequisito.objects.exists()

    def test_anonimo_va_al_ingreso(self, en_revision, requisitos):
        respuesta = calificar(cliente(), en_revision, requisitos[0], cumple="1")
        assert respuesta.status_code == 302 and "/ingresar/" in respuesta["Location"]


@pytest.fixture
def final_aprobado(formulacion, encargado, analista):
    crear_informe(formulacion, InformeAvance.Periodo.AVANCE_1)
    final = crear_informe(formulacion, InformeAvance.Periodo.FINAL)
    final = revision_transicionar(objeto=final, accion="enviar", usuario=encargado)
    final = revision_transicionar(objeto=final, accion="tomar", usuario=analista)
    return revision_transicionar(objeto=final, accion="aprobar", usuario=analista)


def validar(c, formulacion, requisito, **datos):
    prefijo = f"requisito-{requisito.pk}"
    return c.post(
        reverse("validacion:requisito_validar", args=[formulacion.pk, requisito.pk]),
        {f"{prefijo}-{campo}": valor for campo, valor in datos.items()},
    )


class TestValidacionDeLaConsultora:
    def test_valida_cada_requisito_con_archivos_del_anio(
        self, final_aprobado, formulacion, requisitos, consultora, encargado, analista
    ):
        del_avance_1 = formulacion.informes.get(periodo="avance_1").avances.first().medios.first()
        del_final = final_aprobado.avances.first().medios.first()
        VinculoRequisito.objects.create(
            informe=final_aprobado,
            requisito=requisitos[1],
            medio=del_final,
            vinculado_por=encargado,
        )
        c = cliente(consultora)
        url = reverse("validacion:servicio_validar", args=[formulacion.pk])
        pagina = c.get(url).content.decode()
        assert requisitos[1].texto in pagina and "Informe de factibilidad" in pagina
        assert "Archivos que el servicio vinculó: «C01 · Informe final · acta 0.pdf»" in pagina
        respuesta = validar(c, formulacion, requisitos[1], cumple="1", medios=[del_avance_1.pk])
        assert respuesta.status_code == 302
        veredicto = VeredictoRequisito.objects.get()
        assert (veredicto.instancia, veredicto.informe, veredicto.usuario) == (
            "validacion",
            None,
            consultora,
        )
        assert list(veredicto.medios.all()) == [del_avance_1]
        assert Evento.objects.get(accion="requisito.validar").servicio_id == formulacion.servicio_id
        # The analyst's verdicts of a review are another record.
        assert not VeredictoRequisito.objects.filter(instancia="revision").exists()

        respuesta = validar(c, formulacion, requisitos[0], cumple="0", comentario="")
        assert respuesta.status_code == 400
        assert "Diga por qué no se cumple" in respuesta.content.decode()

    def test_antes_del_final_aprobado_no_se_valida(self, formulacion, requisitos, consultora):
        respuesta = validar(
            cliente(consultora), formulacion, requisitos[0], cumple="0", comentario="Falta."
        )
        assert "cuando SUBDERE aprueba el informe final" in respuesta.content.decode()
        assert not VeredictoRequisito.objects.exists()

    @pytest.mark.parametrize(
        ("persona", "codigo"),
        [("encargado", 403), ("analista", 403), ("jefatura", 403), ("encargado_otro", 404)],
    )
    def test_solo_la_consultora_asignada_valida(
        self, request, final_aprobado, formulacion, requisitos, persona, codigo
    ):
        respuesta = validar(
            cliente(request.getfixturevalue(persona)),
            formulacion,
            requisitos[0],
            cumple="0",
            comentario="Falta.",
        )
        assert respuesta.status_code == codigo
        assert not VeredictoRequisito.objects.exists()


def _con_catalogo(anio: int, admin) -> Proceso:
    if not ProgramaMarco.objects.filter(anio=anio).exists():
        programa_copiar(origen=ProgramaMarco.objects.get(anio=2011), anio=anio, usuario=admin)
    return Proceso.objects.get_or_create(anio=anio)[0]


def test_las_paginas_no_crecen_con_los_compromisos(
    programa_2026,
    osorno,
    proceso,
    encargado,
    analista,
    consultora,
    admin,
    django_assert_num_queries,
):
    """The informe, review and validation pages, with the requisitos of a catalogue line:
    the same queries with 2 or 7 compromisos (and files linked and judged)."""
    paginas = []
    for compromisos, anio in ((2, ANIO), (7, ANIO + 1)):
        for rol, persona in (("analista", analista), ("consultora", consultora)):
            Cartera.objects.get_or_create(anio=anio, rol=rol, usuario=persona, servicio=osorno)
            persona.__dict__.pop("_srm_cartera", None)
        formulacion = crear_formulacion(osorno, _con_catalogo(anio, admin), compromisos)
        requisitos = etapa_comprometida(formulacion_id=formulacion.pk).requisitos
        borrador = crear_informe(formulacion, "avance_1", medios_por_avance=2)
        for medio in medios_de(borrador):
            VinculoRequisito.objects.create(
                informe=borrador, requisito=requisitos[0], medio_id=medio, vinculado_por=encargado
            )
        final = crear_informe(formulacion, "final", medios_por_avance=1)
        final = revision_transicionar(objeto=final, accion="enviar", usuario=encargado)
        final = revision_transicionar(objeto=final, accion="tomar", usuario=analista)
        for requisito in requisitos:
            calificar(cliente(analista), final, requisito, cumple="1", medios=medios_de(final))
        paginas.append((borrador, final, formulacion))
    servicio, subdere, externa = cliente(encargado), cliente(analista), cliente(consultora)
    # Warm the content-type cache (the pages read the log of their document) and the catalog
    # values (srm/catalogo.py: each etapa's requisitos with their medios requeridos, the
    # deadlines), read by the first view after a catalog write and kept for the next ones.
    for borrador, final, _ in paginas:
        servicio.get(reverse("compromisos:informe_editar", args=[borrador.pk]))
        subdere.get(reverse("validacion:informe_revisar", args=[final.pk]))
    for borrador, final, _ in paginas:
        # base (3), informe, membership, avances, files, promised medios, delivered in the
        # year, verdicts, last return, observaciones (+ answers); + which etapa is committed
        # and the servicio's links (2) (+ SUBDERE's verdicts on them: one query, none in a
        # draft, their files when any)
        with django_assert_num_queries(3 + 9 + 3):
            assert (
                servicio.get(reverse("compromisos:informe_editar", args=[borrador.pk])).status_code
                == 200
            )
        # the review's 3 + 12 (tests/validacion/test_revision.py) less the answers (no
        # observaciones here) and the etapa, + which etapa, links, the analyst's verdicts and
        # their files (4)
        with django_assert_num_queries(3 + 10 + 4):
            assert (
                subdere.get(reverse("validacion:informe_revisar", args=[final.pk])).status_code
                == 200
            )
        # the servicio's read-only informe (in review): base (3), informe, avances, every file
        # of the informe, promised medios, delivered in the year, not reported, observaciones,
        # snapshots, timeline, the servicio's memberships (the door's answer for the «Hacer una
        # consulta» link); + which etapa, the analyst's verdicts and their files, links (4)
        with django_assert_num_queries(3 + 10 + 4):
            assert (
                servicio.get(reverse("compromisos:informe_detalle", args=[final.pk])).status_code
                == 200
            )
    for _, final, formulacion in paginas:
        revision_transicionar(objeto=final, accion="aprobar", usuario=analista)
        for requisito in etapa_comprometida(formulacion_id=formulacion.pk).requisitos:
            validar(externa, formulacion, requisito, cumple="1", medios=medios_de(final))
    for _, _, formulacion in paginas:
        # the validation's 3 + 4, + which etapa, the links of the informe final, the
        # consultora's verdicts and their files (4; the etapa's requisitos and their medios
        # requeridos are catalog data, already read: srm/catalogo.py)
        with django_assert_num_queries(3 + 4 + 4):
            assert (
                externa.get(
                    reverse("validacion:servicio_validar", args=[formulacion.pk])
                ).status_code
                == 200
            )


def test_la_pagina_del_compromiso_explica_que_falta_la_linea(osorno, proceso, encargado):
    formulacion = crear_formulacion(osorno, proceso, compromisos=0)
    formulacion.lineas.all().delete()
    c = cliente(encargado)
    detalle = c.get(reverse("compromisos:formulacion_detalle", args=[formulacion.pk]))
    assert "agréguelo a los sistemas comprometidos" in detalle.content.decode()
    datos = {
        **{f"compromiso-{campo}": valor for campo, valor in DATOS_COMPROMISO.items()},
        "hitos-TOTAL_FORMS": "0",
        "hitos-INITIAL_FORMS": "0",
        "medios-TOTAL_FORMS": "0",
        "medios-INITIAL_FORMS": "0",
    }
    respuesta = c.post(reverse("compromisos:compromiso_crear", args=[formulacion.pk]), datos)
    contenido = respuesta.content.decode()
    assert respuesta.status_code == 200 and 'role="alert"' in contenido
    assert "iniciativas del sistema Descentralización" in contenido
    assert "Convenio con el GORE" in contenido  # nothing typed lost
    assert not Compromiso.objects.exists()


def test_la_version_nueva_de_un_archivo_respalda_los_mismos_requisitos(
    informe, requisitos, encargado
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from compromisos.services import medio_reemplazar
    from tests.conftest import pdf_minimo

    medio = informe.avances.first().medios.first()
    VinculoRequisito.objects.create(
        informe=informe, requisito=requisitos[1], medio=medio, vinculado_por=encargado
    )
    nuevo = medio_reemplazar(
        medio=medio,
        archivo=SimpleUploadedFile("acta v2.pdf", pdf_minimo("v2"), "application/pdf"),
        usuario=encargado,
    )
    assert set(VinculoRequisito.objects.values_list("requisito_id", "medio_id")) == {
        (requisitos[1].pk, medio.pk),
        (requisitos[1].pk, nuevo.pk),
    }
    assert instantanea_de(informe)["requisitos"][1]["medios"] == ["acta v2.pdf"]


class TestSoloLosEntregablesQueInformanSobreLaEtapa:
    """The requisitos section shows on an informe whose kind reports on the committed etapa
    (TipoEntregable.sistema/etapas), not on every kind of the year."""

    TITULO = "Requisitos técnicos de la etapa comprometida"

    def tipo(self, formulacion, clave, *, por_compromiso=True, **campos):
        plantilla = Plantilla.objects.create(
            codigo=f"plantilla-{clave}", nombre=clave, por_compromiso=por_compromiso
        )
        return TipoEntregable.objects.create(
            proceso=formulacion.proceso, clave=clave, nombre=f"Informe {clave}",
            formulario=plantilla, **campos,
        )  # fmt: skip

    def paginas(self, informe, encargado, analista) -> list[str]:
        servicio = cliente(encargado)
        return [
            servicio.get(reverse("compromisos:informe_detalle", args=[informe.pk])),
            servicio.get(reverse("compromisos:informe_editar", args=[informe.pk])),
            cliente(analista).get(reverse("validacion:informe_revisar", args=[informe.pk])),
        ]

    def test_cada_pagina_la_muestra_solo_si_el_entregable_informa_sobre_la_etapa(
        self, formulacion, encargado, analista, encargado_otro
    ):
        sistema = formulacion.lineas.get().sistema_catalogo
        otro_sistema = SistemaPMG.objects.exclude(pk=sistema.pk).filter(
            area__marco__programa__anio=ANIO
        )
        casos = {
            # The standard cycle: the per-compromiso avance reports on the line's etapa.
            "avance_1": True,
            "etapa_1": self.tipo(formulacion, "etapa_1", etapas="I"),
            "etapas_2_3": self.tipo(formulacion, "etapas_2_3", etapas="2, 3"),
            "sistema": self.tipo(formulacion, "sistema", sistema=sistema, por_compromiso=False),
            "encuesta": self.tipo(formulacion, "encuesta", por_compromiso=False),
        }
        if otro_sistema.exists():
            casos["otro_sistema"] = self.tipo(formulacion, "otro", sistema=otro_sistema.first())
        esperado = {
            "avance_1": True,
            "etapa_1": True,
            "etapas_2_3": False,
            "sistema": True,
            "encuesta": False,
            "otro_sistema": False,
        }
        for clave, tipo in casos.items():
            periodo = "avance_1" if tipo is True else tipo.clave
            informe = crear_informe(formulacion, periodo, medios_por_avance=0)
            informe = revision_transicionar(objeto=informe, accion="enviar", usuario=encargado)
            informe = revision_transicionar(objeto=informe, accion="tomar", usuario=analista)
            informe.refresh_from_db()
            for respuesta in self.paginas(informe, encargado, analista):
                if respuesta.status_code == 302:  # the edit page of a sent informe: to detail
                    continue
                assert respuesta.status_code == 200
                assert (self.TITULO in respuesta.content.decode()) is esperado[clave], clave
            # Another servicio does not see the informe at all.
            respuesta = cliente(encargado_otro).get(
                reverse("compromisos:informe_detalle", args=[informe.pk])
            )
            assert respuesta.status_code == 404

    def test_el_borrador_tambien_sigue_la_regla(self, formulacion, encargado, analista):
        encuesta = self.tipo(formulacion, "encuesta", por_compromiso=False)
        informe = crear_informe(formulacion, encuesta.clave, medios_por_avance=0)
        pagina = cliente(encargado).get(reverse("compromisos:informe_editar", args=[informe.pk]))
        assert pagina.status_code == 200 and self.TITULO not in pagina.content.decode()

    def test_un_requisito_no_se_califica_en_un_entregable_que_no_informa_sobre_el(
        self, formulacion, requisitos, encargado, analista
    ):
        encuesta = self.tipo(formulacion, "encuesta", por_compromiso=False)
        informe = crear_informe(formulacion, encuesta.clave, medios_por_avance=0)
        informe = revision_transicionar(objeto=informe, accion="enviar", usuario=encargado)
        informe = revision_transicionar(objeto=informe, accion="tomar", usuario=analista)
        respuesta = calificar(cliente(analista), informe, requisitos[0], cumple="0", comentario="x")
        assert "no informa sobre la etapa comprometida" in respuesta.content.decode()
        assert not VeredictoRequisito.objects.exists()

    def test_en_un_entregable_de_solo_formulario_los_archivos_de_sus_preguntas_respaldan(
        self, formulacion, requisitos, encargado, analista
    ):
        """A certification-like kind with no per-compromiso block: its evidence hangs from
        the form's questions, and that is what the requisitos rest on."""
        from compromisos.services import medio_pregunta_subir
        from formularios.models import Pregunta
        from tests.compromisos.test_medios_de_pregunta import pdf
        from tests.validacion.test_entregables_genericos import crear_entregable, crear_tipo

        tipo = crear_tipo(formulacion.proceso, clave="certificacion")
        tipo.sistema = formulacion.lineas.get().sistema_catalogo
        tipo.save()
        Plantilla.objects.filter(pk=tipo.formulario_id).update(por_compromiso=False)
        informe = crear_entregable(formulacion, tipo)
        pregunta = Pregunta.objects.get(seccion__plantilla=tipo.formulario, numero="1.1")
        medio = medio_pregunta_subir(
            informe=informe, pregunta=pregunta, archivo=pdf("acta.pdf"), usuario=encargado
        )
        # The servicio links it from its page, named by its question.
        pagina = cliente(encargado).get(reverse("compromisos:informe_editar", args=[informe.pk]))
        assert self.TITULO in pagina.content.decode()
        assert "1.1 · acta.pdf" in pagina.content.decode()
        informe = revision_transicionar(objeto=informe, accion="enviar", usuario=encargado)
        informe = revision_transicionar(objeto=informe, accion="tomar", usuario=analista)
        c = cliente(analista)
        revision = c.get(reverse("validacion:informe_revisar", args=[informe.pk])).content.decode()
        assert "1.1 · acta.pdf" in revision
        respuesta = calificar(c, informe, requisitos[0], cumple="1", medios=[medio.pk])
        assert respuesta.status_code == 302
        veredicto = VeredictoRequisito.objects.get(requisito=requisitos[0])
        assert veredicto.cumple is True
        assert list(veredicto.medios.all()) == [medio]

    def test_las_etapas_se_leen_en_numeros_o_romanos(self):
        assert TipoEntregable(etapas="1, 2, 3").numeros_de_etapa == {1, 2, 3}
        assert TipoEntregable(etapas="I, II y IV").numeros_de_etapa == {1, 2, 4}
        assert TipoEntregable(etapas="").numeros_de_etapa == set()


def test_un_requisito_cambiado_en_el_admin_se_ve_en_la_vista_siguiente(
    formulacion, requisitos, informe, encargado, admin
):
    """The etapa's requisitos and their medios requeridos are kept under the catalog version
    (srm/catalogo.py): a change in the admin (the requisito's text, a medio requerido added
    through its inline) shows on the next view of the informe."""
    c = cliente(encargado)
    url = reverse("compromisos:informe_editar", args=[informe.pk])
    requisito = requisitos[0]
    assert requisito.texto in c.get(url).content.decode()
    c.get(url)  # kept: no catalog query
    medios = list(requisito.medios_requeridos)
    datos = {
        "etapa": requisito.etapa_id,
        "texto": "Convenio de traspaso firmado por ambas partes.",
        "orden": str(requisito.orden),
        "fuente": requisito.fuente,
        "medios-TOTAL_FORMS": str(len(medios) + 1),
        "medios-INITIAL_FORMS": str(len(medios)),
        f"medios-{len(medios)}-descripcion": "Acta de la mesa técnica",
        f"medios-{len(medios)}-orden": "9",
    }
    for i, medio in enumerate(medios):
        datos |= {
            f"medios-{i}-id": str(medio.pk),
            f"medios-{i}-requisito": str(requisito.pk),
            f"medios-{i}-descripcion": medio.descripcion,
            f"medios-{i}-orden": str(medio.orden),
        }
    respuesta = cliente(admin).post(
        reverse("admin:programa_requisitotecnico_change", args=[requisito.pk]), datos
    )
    assert respuesta.status_code == 302
    pagina = c.get(url).content.decode()
    assert "Convenio de traspaso firmado por ambas partes." in pagina
    assert requisito.texto not in pagina
    assert "Acta de la mesa técnica" in pagina
