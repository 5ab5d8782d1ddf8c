"""Any kind of deliverable goes through the one table and the same review (issue 16, part B):
answers in the review, observaciones per question, the diff of answers between rounds, the
frozen answers, certification as a transition and kinds that are only received."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bitacora.models import Evento
from compromisos.models import EstadoRevision as E
from compromisos.models import InformeAvance, Instantanea, TipoEntregable
from compromisos.services import informe_enviar
from formularios.models import Llenado, Plantilla, Pregunta, Respuesta, Seccion
from servicios.models import Cartera
from tests.conftest import cliente, crear_formulacion
from validacion.models import Observacion
from validacion.services import (
    TransicionNoPermitida,
    observacion_crear,
    observacion_responder,
    revision_transicionar,
)

pytestmark = pytest.mark.django_db


def crear_tipo(
    proceso, *, clave="evaluacion", preguntas=1, certifica=False, revisado=True
) -> TipoEntregable:
    """A year's kind of deliverable on its own form: one section with `preguntas` questions."""
    plantilla = Plantilla.objects.create(
        codigo=f"{clave}-{proceso.anio}", nombre="Formulario Etapa N°4", encabezado="Evaluación"
    )
    seccion = Seccion.objects.create(plantilla=plantilla, numero="Objetivo N°1", titulo="Etapa")
    for numero in range(1, preguntas + 1):
        Pregunta.objects.create(
            seccion=seccion,
            numero=f"1.{numero}",
            titulo=f"Pregunta {numero}",
            texto="¿Cuál fue el grado de complementariedad alcanzado?",
            con_desarrollo=numero == 1,
            orden=numero,
        )
    return TipoEntregable.objects.create(
        proceso=proceso,
        clave=clave,
        nombre="Informe de evaluación",
        formulario=plantilla,
        con_certificacion=certifica,
        revisado_por_subdere=revisado,
    )


def crear_entregable(formulacion, tipo, *, responder=True) -> InformeAvance:
    """An informe of the kind, with its filled form (answered, unless told not to)."""
    llenado = Llenado.objects.create(plantilla=tipo.formulario)
    if responder:
        for pregunta in Pregunta.objects.filter(seccion__plantilla=tipo.formulario):
            Respuesta.objects.create(
                llenado=llenado,
                pregunta=pregunta,
                valor="Se coordinó con el GORE.",
                desarrollo="Mesas regionales." if pregunta.con_desarrollo else "",
            )
    return InformeAvance.objects.create(
        formulacion=formulacion, periodo=tipo.clave, tipo=tipo, llenado=llenado
    )


def transicionar(informe, accion, usuario, **extra):
    return revision_transicionar(objeto=informe, accion=accion, usuario=usuario, **extra)


def decidir(c, informe, accion, **datos):
    """A decision posted from the review page, already confirmed."""
    informe.refresh_from_db()
    return c.post(
        reverse("validacion:informe_transicionar", args=[informe.pk, accion]),
        {"confirmado": "1", "version": informe.version, **datos},
        follow=True,
    )


@pytest.fixture
def certificable(proceso, formulacion_osorno):
    return crear_entregable(formulacion_osorno, crear_tipo(proceso, certifica=True))


def test_entregable_generico_observado_por_pregunta_corregido_y_certificado(
    certificable, encargado, analista, django_capture_on_commit_callbacks
):
    pregunta = Pregunta.objects.get(numero="1.1", seccion__plantilla=certificable.tipo.formulario)
    informe = transicionar(certificable, "enviar", encargado)
    informe = transicionar(informe, "tomar", analista)
    c = cliente(analista)
    pagina = c.get(reverse("validacion:informe_revisar", args=[informe.pk])).content.decode()
    # The form reads as on paper: its heading, section and question, with the answer.
    assert "Formulario Etapa N°4" in pagina and "Objetivo N°1 Etapa" in pagina
    assert "1.1 Pregunta 1" in pagina and "Se coordinó con el GORE." in pagina
    assert "Mesas regionales." in pagina
    assert "Certificar" in pagina and ">Aprobar" not in pagina

    c.post(
        reverse("validacion:observacion_crear", args=[informe.pk]),
        {"texto": "Indique qué mesas y con qué acuerdos.", "pregunta": pregunta.pk},
    )
    observacion = Observacion.objects.get(informe=informe)
    assert observacion.pregunta == pregunta and observacion.sobre == "Pregunta 1.1 Pregunta 1"
    decidir(c, informe, "observar")
    informe.refresh_from_db()
    assert informe.estado == E.OBSERVADO

    # The servicio sees the remark on its question, answers it and corrects its answer.
    detalle = cliente(encargado).get(reverse("compromisos:informe_detalle", args=[informe.pk]))
    assert "Pregunta 1.1 Pregunta 1" in detalle.content.decode()
    observacion_responder(observacion=observacion, texto="Agregamos las actas.", usuario=encargado)
    Respuesta.objects.filter(pregunta=pregunta).update(valor="Tres mesas con acuerdos firmados.")
    informe = transicionar(informe, "enviar", encargado)
    informe = transicionar(informe, "tomar", analista)

    pagina = c.get(reverse("validacion:informe_revisar", args=[informe.pk])).content.decode()
    assert "Cambios desde la ronda anterior" in pagina
    assert "<del>Se coordinó con el GORE.</del> → <ins>Tres mesas con acuerdos firmados.</ins>" in (
        pagina
    )
    # Certifying with the remark answered but not settled asks for a reason to close it.
    with django_capture_on_commit_callbacks(execute=True):
        respuesta = decidir(c, informe, "certificar", motivo_cierre="Corregido en la ronda 2.")
    assert "Informe certificado" in respuesta.content.decode()
    informe.refresh_from_db()
    assert informe.estado == E.CERTIFICADO
    evento = Evento.objects.get(accion="informe.certificar", objeto_id=informe.pk)
    assert (evento.desde, evento.hacia, evento.usuario) == ("en_revision", "certificado", analista)
    congelada = Instantanea.objects.get(informe=informe, motivo=Instantanea.Motivo.CERTIFICACION)
    assert congelada.contenido["respuestas"][str(pregunta.pk)]["valor"] == (
        "Tres mesas con acuerdos firmados."
    )
    assert any("certificó" in m.subject and m.to == [encargado.email] for m in mail.outbox)


def test_no_certificar_pide_el_motivo_y_lo_registra(
    certificable, encargado, analista, django_capture_on_commit_callbacks
):
    informe = transicionar(transicionar(certificable, "enviar", encargado), "tomar", analista)
    c = cliente(analista)
    sin_motivo = decidir(c, informe, "no_certificar")
    assert "Indique por qué no se certifica" in sin_motivo.content.decode()
    informe.refresh_from_db()
    assert informe.estado == E.EN_REVISION
    with django_capture_on_commit_callbacks(execute=True):
        decidir(c, informe, "no_certificar", comentario="No acredita la etapa 3.")
    informe.refresh_from_db()
    assert informe.estado == E.NO_CERTIFICADO
    evento = Evento.objects.get(accion="informe.no_certificar", objeto_id=informe.pk)
    assert evento.detalle["comentario"] == "No acredita la etapa 3."
    assert any("no certificó" in m.subject for m in mail.outbox)


def test_un_entregable_certificable_no_se_aprueba_y_uno_comun_no_se_certifica(
    certificable, informe_osorno, encargado, analista
):
    informe = transicionar(transicionar(certificable, "enviar", encargado), "tomar", analista)
    with pytest.raises(TransicionNoPermitida, match="use «Certificar» o «No certificar»"):
        transicionar(informe, "aprobar", analista)
    comun = transicionar(transicionar(informe_osorno, "enviar", encargado), "tomar", analista)
    with pytest.raises(TransicionNoPermitida, match="no se certifica"):
        transicionar(comun, "certificar", analista)
    assert "certificar" not in comun.acciones_posibles()
    assert set(informe.acciones_posibles()) == {"observar", "certificar", "no_certificar"}


def test_un_entregable_que_subdere_no_revisa_se_entrega_y_queda_recibido(
    proceso, formulacion_osorno, encargado, analista
):
    tipo = crear_tipo(proceso, clave="seguimiento", revisado=False)
    informe = crear_entregable(formulacion_osorno, tipo)
    assert informe.acciones_posibles() == ["entregar"]
    informe = informe_enviar(informe=informe, usuario=encargado)
    assert informe.estado == E.RECIBIDO and informe.enviado_en is not None
    assert Evento.objects.filter(accion="informe.entregar", hacia="recibido").exists()
    assert Instantanea.objects.filter(informe=informe, motivo="envio").exists()
    # Nobody has to act on it: it is not in SUBDERE's queue and cannot be taken.
    assert informe.acciones_posibles() == ["reabrir"]
    bandeja = cliente(analista).get(reverse("validacion:bandeja")).content.decode()
    assert f"/revision/informes/{informe.pk}/" not in bandeja
    with pytest.raises(TransicionNoPermitida):
        transicionar(informe, "tomar", analista)


def test_el_envio_nombra_las_preguntas_obligatorias_sin_responder(
    proceso, formulacion_osorno, encargado
):
    informe = crear_entregable(
        formulacion_osorno, crear_tipo(proceso, preguntas=2), responder=False
    )
    with pytest.raises(ValidationError, match="1.1 Pregunta 1; 1.2 Pregunta 2"):
        informe_enviar(informe=informe, usuario=encargado)
    pagina = cliente(encargado).post(reverse("compromisos:informe_enviar", args=[informe.pk]), {})
    assert "Faltan respuestas a preguntas obligatorias" in pagina.content.decode()
    informe.refresh_from_db()
    assert informe.estado == E.BORRADOR


@pytest.mark.parametrize(
    ("persona", "esperado"),
    [("encargado_otro", 404), ("encargado", 403), ("analista_otro", 403), ("jefatura", 403)],
)
@pytest.mark.parametrize("accion", ["certificar", "no_certificar"])
def test_certificar_por_otro_servicio_o_rol_equivocado_se_rechaza(
    request, certificable, encargado, analista, persona, esperado, accion
):
    informe = transicionar(transicionar(certificable, "enviar", encargado), "tomar", analista)
    respuesta = cliente(request.getfixturevalue(persona)).post(
        reverse("validacion:informe_transicionar", args=[informe.pk, accion]),
        {"confirmado": "1", "version": informe.version, "comentario": "x"},
    )
    assert respuesta.status_code == esperado
    informe.refresh_from_db()
    assert informe.estado == E.EN_REVISION


@pytest.mark.parametrize(
    ("persona", "esperado"),
    [("encargado_otro", 404), ("encargado", 403), ("analista_otro", 403)],
)
def test_observar_una_pregunta_por_otro_servicio_o_rol_equivocado_se_rechaza(
    request, certificable, encargado, analista, persona, esperado
):
    informe = transicionar(transicionar(certificable, "enviar", encargado), "tomar", analista)
    pregunta = Pregunta.objects.filter(seccion__plantilla=informe.tipo.formulario).first()
    respuesta = cliente(request.getfixturevalue(persona)).post(
        reverse("validacion:observacion_crear", args=[informe.pk]),
        {"texto": "Revise.", "pregunta": pregunta.pk},
    )
    assert respuesta.status_code == esperado
    assert not Observacion.objects.exists()


def test_una_pregunta_de_otro_formulario_no_se_observa_en_este_informe(
    certificable, proceso, encargado, analista
):
    otra = crear_tipo(proceso, clave="otro")
    ajena = Pregunta.objects.get(seccion__plantilla=otra.formulario)
    informe = transicionar(transicionar(certificable, "enviar", encargado), "tomar", analista)
    with pytest.raises(ValidationError, match="no pertenece al formulario"):
        observacion_crear(informe=informe, texto="Revise.", usuario=analista, pregunta=ajena)
    # From the page, a question outside the form is not a valid choice: nothing is saved.
    cliente(analista).post(
        reverse("validacion:observacion_crear", args=[informe.pk]),
        {"texto": "Revise.", "pregunta": ajena.pk},
    )
    assert not Observacion.objects.exists()


def test_se_observan_las_preguntas_del_formulario_que_se_lleno_aunque_el_tipo_cambie(
    certificable, proceso, encargado, analista
):
    """The page shows the form the servicio answered; if the year's kind moves to another
    form afterwards, the remarks still go on the questions shown, not on the new form's."""
    informe = transicionar(transicionar(certificable, "enviar", encargado), "tomar", analista)
    respondida = Pregunta.objects.filter(seccion__plantilla=informe.tipo.formulario).first()
    otra = crear_tipo(proceso, clave="otro")
    TipoEntregable.objects.filter(pk=informe.tipo_id).update(formulario=otra.formulario)
    nueva = Pregunta.objects.get(seccion__plantilla=otra.formulario)
    respuesta = cliente(analista).post(
        reverse("validacion:observacion_crear", args=[informe.pk]),
        {"texto": "Precise el acta.", "pregunta": respondida.pk},
    )
    assert respuesta.status_code == 302
    assert Observacion.objects.get().pregunta == respondida
    informe.refresh_from_db()
    with pytest.raises(ValidationError, match="no pertenece al formulario"):
        observacion_crear(informe=informe, texto="Revise.", usuario=analista, pregunta=nueva)


def test_pagina_de_revision_hace_las_mismas_consultas_con_2_o_12_preguntas(
    osorno, encargado, analista, django_assert_num_queries
):
    from compromisos.models import Proceso

    c = cliente(analista)
    for preguntas, anio in ((2, 2026), (12, 2027)):
        proceso = Proceso.objects.get_or_create(anio=anio)[0]
        Cartera.objects.get_or_create(anio=anio, rol="analista", usuario=analista, servicio=osorno)
        analista.__dict__.pop("_srm_cartera", None)
        tipo = crear_tipo(proceso, preguntas=preguntas, certifica=True)
        informe = crear_entregable(crear_formulacion(osorno, proceso, 0), tipo)
        informe = transicionar(transicionar(informe, "enviar", encargado), "tomar", analista)
        for pregunta in Pregunta.objects.filter(seccion__plantilla=tipo.formulario):
            observacion_crear(informe=informe, texto="Revise.", usuario=analista, pregunta=pregunta)
        url = reverse("validacion:informe_revisar", args=[informe.pk])
        # Content types are cached once per process, as in a running server; the deadline's
        # hito is catalog data, read by the first view after a catalog write (srm/catalogo.py).
        c.get(url)
        # base (3), informe (with its kind and form), the timeline (one query, with its
        # subqueries; the round is counted from its sendings), avances (none: the form has no
        # per-compromiso block), medios delivered in the year, every file of the informe (the
        # questions' and their earlier versions), verdicts, cartera (may act), committed etapa,
        # observaciones, their answers, the form's sections, its questions, the answers, the
        # snapshots (their list and the last two sendings compared); the year's kinds up to
        # this one (a kind of the year's own list: compromisos.selectors.periodos_hasta)
        with django_assert_num_queries(3 + 15):
            respuesta = c.get(url)
        assert respuesta.status_code == 200
        assert respuesta.content.decode().count('name="pregunta"') == preguntas


@pytest.mark.parametrize(
    ("persona", "esperado"), [("encargado_otro", 404), ("analista", 403), ("jefatura", 403)]
)
def test_entregar_por_otro_servicio_o_rol_equivocado_se_rechaza(
    request, proceso, formulacion_osorno, persona, esperado
):
    informe = crear_entregable(formulacion_osorno, crear_tipo(proceso, revisado=False))
    respuesta = cliente(request.getfixturevalue(persona)).post(
        reverse("compromisos:informe_enviar", args=[informe.pk]), {}
    )
    assert respuesta.status_code == esperado
    informe.refresh_from_db()
    assert informe.estado == E.BORRADOR


def test_el_servicio_entrega_desde_su_pagina_y_lee_que_no_se_revisa(
    proceso, formulacion_osorno, encargado
):
    informe = crear_entregable(formulacion_osorno, crear_tipo(proceso, revisado=False))
    c = cliente(encargado)
    detalle = c.get(reverse("compromisos:informe_detalle", args=[informe.pk])).content.decode()
    assert "Entregar a SUBDERE…" in detalle
    confirmacion = c.get(reverse("compromisos:informe_enviar", args=[informe.pk])).content.decode()
    assert "SUBDERE no revisa este tipo de entregable" in confirmacion
    hecho = c.post(reverse("compromisos:informe_enviar", args=[informe.pk]), {}, follow=True)
    assert "entregado: quedó registrado como recibido" in hecho.content.decode()
    informe.refresh_from_db()
    assert informe.estado == E.RECIBIDO


def test_el_inicio_del_analista_nombra_un_entregable_propio_sin_leer_su_tipo(
    proceso, formulacion_osorno, informe_osorno, analista, encargado
):
    """A pending informe of the year's own kind is named by its kind from the names kept with
    the catalogs, not by reading its kind on every view (one query per such informe)."""
    propio = crear_entregable(formulacion_osorno, crear_tipo(proceso))
    transicionar(informe_osorno, "enviar", encargado)
    transicionar(propio, "enviar", encargado)
    c = cliente(analista)
    c.get("/")  # the kinds' names, read once and kept
    with CaptureQueriesContext(connection) as consultas:
        respuesta = c.get("/")
    assert f"Informe de evaluación {proceso.anio}" in respuesta.content.decode()
    assert not [q for q in consultas.captured_queries if "compromisos_tipoentregable" in q["sql"]]
