"""Medios de verificación attached to a question of a deliverable's form (issue 16): the model
rule, the upload through the usual checks, the required medios at sending, who may upload, the
pages that show them (fill, servicio, review with its verdicts), the PDF and the expediente."""

import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bitacora.models import Evento
from compromisos import selectors, services
from compromisos.models import EstadoRevision as E
from compromisos.models import MedioVerificacion
from demo.archivos import pdf_minimo
from formularios import services as formularios
from formularios.models import Pregunta
from formularios.pdf import formulario_html
from servicios.models import Cartera
from tests.conftest import cliente
from tests.validacion.test_entregables_genericos import crear_entregable, crear_tipo, transicionar
from validacion.models import VeredictoMedio
from validacion.services import observacion_crear, veredicto_registrar

pytestmark = pytest.mark.django_db

URLS_PROBADAS = {"compromisos:medio_pregunta_subir"}


def pdf(nombre="acta.pdf", texto="Acta de la mesa regional") -> SimpleUploadedFile:
    return SimpleUploadedFile(nombre, pdf_minimo(texto), content_type="application/pdf")


@pytest.fixture
def entregable(proceso, formulacion_osorno):
    """A deliverable of the year's own kind: two questions, the second asks for one medio."""
    tipo = crear_tipo(proceso, preguntas=2)
    Pregunta.objects.filter(seccion__plantilla=tipo.formulario, numero="1.2").update(
        medios_requeridos=1, descripcion_medios="Acta de la mesa regional"
    )
    return crear_entregable(formulacion_osorno, tipo)


def pregunta(informe, numero="1.2") -> Pregunta:
    return Pregunta.objects.get(seccion__plantilla=informe.tipo.formulario, numero=numero)


def url_subir(informe, p) -> str:
    return reverse("compromisos:medio_pregunta_subir", args=[informe.pk, p.pk])


def subir(c: Client, informe, p, *archivos, **datos):
    return c.post(
        url_subir(informe, p),
        {"archivos": list(archivos), "tipo": "acta", "descripcion": "", **datos},
        follow=True,
    )


# --- The model rule ---------------------------------------------------------------------------


def _medio(**donde) -> MedioVerificacion:
    contenido = pdf_minimo("x")
    return MedioVerificacion(
        archivo=ContentFile(contenido, name="x.pdf"),
        nombre_original="x.pdf",
        tamano=len(contenido),
        sha256=hashlib.sha256(contenido).hexdigest(),
        **donde,
    )


@pytest.mark.parametrize("ambos", [True, False])
def test_un_medio_es_de_un_avance_o_de_una_pregunta_nunca_de_ambos_ni_de_ninguno(
    informe_osorno, entregable, encargado, ambos
):
    avance = informe_osorno.avances.first()
    donde = (
        {"informe": informe_osorno, "avance": avance, "pregunta": pregunta(entregable)}
        if ambos
        else {"informe": informe_osorno}
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        _medio(subido_por=encargado, **donde).save()


def test_el_medio_de_un_avance_toma_el_informe_del_avance(informe_osorno, encargado):
    avance = informe_osorno.avances.first()
    medio = _medio(subido_por=encargado, avance=avance)
    medio.save()
    assert medio.informe_id == informe_osorno.pk


def test_preguntas_sin_medios_cuenta_los_vigentes_contra_los_requeridos(entregable):
    plantilla = entregable.tipo.formulario
    segunda = pregunta(entregable)
    assert formularios.preguntas_sin_medios(plantilla, {}) == [segunda]
    assert formularios.preguntas_sin_medios(plantilla, {segunda.pk: 1}) == []


# --- Upload, through the usual checks ---------------------------------------------------------


def test_el_servicio_adjunta_un_medio_a_una_pregunta_con_su_sha256_y_registro(
    entregable, encargado
):
    p = pregunta(entregable)
    respuesta = subir(cliente(encargado), entregable, p, pdf())
    assert "1 archivo adjunto a la pregunta 1.2 Pregunta 2" in respuesta.content.decode()
    medio = MedioVerificacion.objects.get()
    assert (medio.informe, medio.pregunta, medio.avance) == (entregable, p, None)
    assert medio.sha256 == hashlib.sha256(pdf_minimo("Acta de la mesa regional")).hexdigest()
    evento = Evento.objects.get(accion="medio.subir")
    assert evento.detalle["pregunta"] == "1.2 Pregunta 2"
    # The same content again is refused, and said so; nothing else is stored.
    respuesta = subir(cliente(encargado), entregable, p, pdf("otra copia.pdf"))
    assert "ya está adjunto a esta pregunta" in respuesta.content.decode()
    assert MedioVerificacion.objects.count() == 1


def test_un_archivo_que_no_es_lo_que_dice_se_rechaza_y_queda_registrado(entregable, encargado):
    falso = SimpleUploadedFile("acta.pdf", b"MZ\x90\x00 ejecutable", content_type="application/pdf")
    respuesta = subir(cliente(encargado), entregable, pregunta(entregable), falso)
    assert respuesta.status_code == 200
    assert not MedioVerificacion.objects.exists()
    assert Evento.objects.filter(accion="medio.rechazar").exists()


def test_reemplazar_y_quitar_un_medio_de_pregunta_conserva_las_versiones(entregable, encargado):
    p = pregunta(entregable)
    primero = services.medio_pregunta_subir(
        informe=entregable, pregunta=p, archivo=pdf(), usuario=encargado
    )
    c = cliente(encargado)
    respuesta = c.post(
        reverse("compromisos:medio_reemplazar", args=[primero.pk]),
        {"archivo": pdf("acta v2.pdf", "segunda versión")},
    )
    assert respuesta.url.endswith(f"#pregunta-{p.pk}")
    nuevo = MedioVerificacion.objects.get(reemplaza=primero)
    assert nuevo.pregunta == p and nuevo.informe == entregable
    assert selectors.medios_de_preguntas(informe_id=entregable.pk) == {p.pk: [nuevo]}
    # The confirmation page names the informe and the question; withdrawing keeps the row.
    pagina = c.get(reverse("compromisos:medio_eliminar", args=[nuevo.pk])).content.decode()
    assert "pregunta 1.2" in pagina
    c.post(reverse("compromisos:medio_eliminar", args=[nuevo.pk]))
    nuevo.refresh_from_db()
    assert nuevo.eliminado_en is not None and MedioVerificacion.objects.count() == 2
    assert selectors.medios_de_preguntas(informe_id=entregable.pk) == {}


def test_una_pregunta_de_otro_formulario_no_recibe_medios_de_este_informe(
    entregable, proceso, encargado
):
    ajena = Pregunta.objects.get(seccion__plantilla=crear_tipo(proceso, clave="otro").formulario)
    with pytest.raises(ValidationError, match="no pertenece al formulario"):
        services.medio_pregunta_subir(
            informe=entregable, pregunta=ajena, archivo=pdf(), usuario=encargado
        )
    assert subir(cliente(encargado), entregable, ajena, pdf()).status_code == 404
    assert not MedioVerificacion.objects.exists()


# --- Who may upload ---------------------------------------------------------------------------


def test_anonimo_va_al_ingreso_y_get_no_se_admite(entregable, encargado):
    url = url_subir(entregable, pregunta(entregable))
    respuesta = Client().post(url, {"archivos": [pdf()]})
    assert respuesta.status_code == 302 and reverse("login") in respuesta.url
    assert cliente(encargado).get(url).status_code == 405


@pytest.mark.parametrize(
    ("persona", "esperado"),
    [("encargado_otro", 404), ("analista", 403), ("jefatura", 403), ("consultora", 403)],
)
def test_otro_servicio_o_rol_equivocado_no_adjunta(request, entregable, persona, esperado):
    respuesta = cliente(request.getfixturevalue(persona)).post(
        url_subir(entregable, pregunta(entregable)), {"archivos": [pdf()], "tipo": "acta"}
    )
    assert respuesta.status_code == esperado
    assert not MedioVerificacion.objects.exists()


def test_un_informe_enviado_no_recibe_medios_y_lo_dice(entregable, encargado):
    p = pregunta(entregable)
    services.medio_pregunta_subir(informe=entregable, pregunta=p, archivo=pdf(), usuario=encargado)
    services.informe_enviar(informe=entregable, usuario=encargado)
    respuesta = subir(cliente(encargado), entregable, p, pdf("tarde.pdf", "tarde"))
    assert "No se puede modificar" in respuesta.content.decode()
    assert MedioVerificacion.objects.count() == 1


# --- Sending asks the required medios ---------------------------------------------------------


def test_el_envio_sin_el_medio_requerido_se_rechaza_nombrando_la_pregunta(entregable, encargado):
    with pytest.raises(ValidationError, match=r"1\.2 Pregunta 2 \(pide 1, tiene 0\)"):
        services.informe_enviar(informe=entregable, usuario=encargado)
    c = cliente(encargado)
    # The sending page says it before the click, with a link to the question.
    aviso = c.get(reverse("compromisos:informe_enviar", args=[entregable.pk])).content.decode()
    assert "aún no tienen los medios de verificación que piden" in aviso
    assert f"#pregunta-{pregunta(entregable).pk}" in aviso and "pide 1, tiene 0" in aviso
    pagina = c.post(reverse("compromisos:informe_enviar", args=[entregable.pk]), {})
    texto = pagina.content.decode()
    assert "Faltan medios de verificación en preguntas del formulario" in texto
    assert "1.2 Pregunta 2 (pide 1, tiene 0)" in texto
    entregable.refresh_from_db()
    assert entregable.estado == E.BORRADOR
    # Nothing typed is lost: the answers are still there, and with the file it is sent.
    assert entregable.llenado.respuestas.count() == 2
    subir(c, entregable, pregunta(entregable), pdf())
    c.post(reverse("compromisos:informe_enviar", args=[entregable.pk]), {})
    entregable.refresh_from_db()
    assert entregable.estado == E.ENVIADO


def test_un_medio_retirado_no_cuenta_para_el_envio(entregable, encargado):
    medio = services.medio_pregunta_subir(
        informe=entregable, pregunta=pregunta(entregable), archivo=pdf(), usuario=encargado
    )
    services.medio_eliminar(medio=medio, usuario=encargado)
    with pytest.raises(ValidationError, match="pide 1, tiene 0"):
        services.informe_enviar(informe=entregable, usuario=encargado)


# --- Pages, PDF and expediente ----------------------------------------------------------------


def _en_revision(informe, encargado, analista):
    services.medio_pregunta_subir(
        informe=informe, pregunta=pregunta(informe), archivo=pdf(), usuario=encargado
    )
    return transicionar(transicionar(informe, "enviar", encargado), "tomar", analista)


def test_la_analista_ve_el_medio_bajo_la_pregunta_y_lo_califica(entregable, encargado, analista):
    informe = _en_revision(entregable, encargado, analista)
    medio = MedioVerificacion.objects.get()
    c = cliente(analista)
    pagina = c.get(reverse("validacion:informe_revisar", args=[informe.pk])).content.decode()
    bloque = pagina[pagina.index(f'id="pregunta-{medio.pregunta_id}"') :]
    assert bloque.index("acta.pdf") < bloque.index("Observación sobre la pregunta 1.2")
    assert reverse("validacion:medio_calificar", args=[medio.pk]) in bloque
    respuesta = c.post(
        reverse("validacion:medio_calificar", args=[medio.pk]),
        {"resultado": "observado", "motivo": "Falta la firma del intendente."},
    )
    assert respuesta.url.endswith(f"#medio-{medio.pk}")
    veredicto = VeredictoMedio.objects.get(medio=medio)
    assert veredicto.resultado == "observado"
    # The servicio reads the file and SUBDERE's verdict under the question.
    servicio = cliente(encargado).get(reverse("compromisos:informe_detalle", args=[informe.pk]))
    texto = servicio.content.decode()
    bloque = texto[texto.index(f'id="pregunta-{medio.pregunta_id}"') :]
    assert "acta.pdf" in bloque and "Falta la firma del intendente." in bloque


def test_el_pdf_del_formulario_lista_los_medios_de_cada_pregunta(entregable, encargado):
    services.medio_pregunta_subir(
        informe=entregable, pregunta=pregunta(entregable), archivo=pdf(), usuario=encargado
    )
    html = formulario_html(
        plantilla=entregable.tipo.formulario,
        llenado=entregable.llenado,
        servicio="Osorno",
        titulo="Evaluación",
        medios=selectors.medios_de_preguntas(informe_id=entregable.pk),
    )
    despues = html[html.index("1.2 Pregunta 2") :]
    assert "Medios de verificación (1 de 1 que se piden)" in despues
    assert "acta.pdf" in despues
    respuesta = cliente(encargado).get(
        reverse("compromisos:informe_formulario_pdf", args=[entregable.pk])
    )
    assert respuesta.status_code == 200 and respuesta["Content-Type"] == "application/pdf"


def test_el_expediente_y_la_planilla_traen_los_archivos_de_las_preguntas(
    entregable, encargado, jefatura
):
    from tests.reportes.conftest import filas, generar, libro, zip_de

    medio = services.medio_pregunta_subir(
        informe=entregable, pregunta=pregunta(entregable), archivo=pdf(), usuario=encargado
    )
    reporte = generar(encargado, "expediente", servicio=entregable.formulacion.servicio)
    assert reporte.estado == "listo", reporte.error
    archivo = zip_de(reporte)
    rutas = [n for n in archivo.namelist() if "/medios/" in n and n.endswith("acta.pdf")]
    assert len(rutas) == 1 and "/Pregunta 1.2 Pregunta 2/" in rutas[0]
    with medio.archivo.open("rb") as original:
        assert archivo.read(rutas[0]) == original.read()
    indice = filas(libro_de_zip(archivo, "00_indice.xlsx")["Índice"])
    assert [f["Compromiso o pregunta"] for f in indice] == ["Pregunta 1.2 Pregunta 2"]
    planilla = generar(jefatura, "planilla")
    medios = filas(libro(planilla)["Medios"])
    assert [(m["Compromiso o pregunta"], m["Archivo"]) for m in medios] == [
        ("Pregunta 1.2", "acta.pdf")
    ]


def libro_de_zip(archivo, nombre: str):
    import io

    from openpyxl import load_workbook

    ruta = next(n for n in archivo.namelist() if n.endswith(nombre))
    return load_workbook(io.BytesIO(archivo.read(ruta)))


# --- Query counts -----------------------------------------------------------------------------


def _consultas(c, url) -> int:
    c.get(url)  # content types and the door's caches warmed, as on a running site
    with CaptureQueriesContext(connection) as contexto:
        assert c.get(url).status_code == 200
    return len(contexto.captured_queries)


def test_las_paginas_no_crecen_con_las_preguntas_ni_sus_medios(osorno, encargado, analista):
    from compromisos.models import Proceso
    from tests.conftest import crear_formulacion

    medidas = []
    for anio, cantidad in ((2026, 2), (2027, 12)):
        proceso = Proceso.objects.get_or_create(anio=anio)[0]
        Cartera.objects.get_or_create(anio=anio, rol="analista", usuario=analista, servicio=osorno)
        analista.__dict__.pop("_srm_cartera", None)
        tipo = crear_tipo(proceso, preguntas=cantidad)
        informe = crear_entregable(crear_formulacion(osorno, proceso, 0), tipo)
        for numero, p in enumerate(Pregunta.objects.filter(seccion__plantilla=tipo.formulario)):
            primero = services.medio_pregunta_subir(
                informe=informe,
                pregunta=p,
                archivo=pdf(texto=f"{anio}-{numero}"),
                usuario=encargado,
            )
            # One version more of each: the earlier versions come with the same query.
            services.medio_reemplazar(
                medio=primero, archivo=pdf(texto=f"{anio}-{numero}-v2"), usuario=encargado
            )
        llenar = _consultas(
            cliente(encargado), reverse("compromisos:informe_editar", args=[informe.pk])
        )
        informe = _en_revision_sin_subir(informe, encargado, analista)
        for medio in MedioVerificacion.objects.filter(
            informe=informe, reemplazado_por__isnull=True
        ):
            veredicto_registrar(medio=medio, resultado="aceptado", motivo="", usuario=analista)
        revisar = _consultas(
            cliente(analista), reverse("validacion:informe_revisar", args=[informe.pk])
        )
        leer = _consultas(
            cliente(encargado), reverse("compromisos:informe_detalle", args=[informe.pk])
        )
        medidas.append((llenar, revisar, leer))
    # Fill page (16): as any informe of a year's own kind with a form
    # (tests/formularios/test_portal.py), its questions' files and their earlier versions in
    # the one query of every file of the informe (compromisos.selectors.archivos_del_informe).
    # Review page (17): as in tests/validacion/test_entregables_genericos.py (18) less the
    # answers to observaciones (none here); the questions' files in that one query, their
    # verdicts of the round in the one query the compromisos' files use. The servicio's page
    # (17): as in tests/formularios/test_portal.py, the files and their latest verdicts in one
    # query each. The deadline's hito is catalog data, already read (srm/catalogo.py). 2 or 12
    # questions, each with a file and its earlier version: the same.
    assert medidas == [(16, 17, 17), (16, 17, 17)]


def _en_revision_sin_subir(informe, encargado, analista):
    return transicionar(transicionar(informe, "enviar", encargado), "tomar", analista)


# --- Frozen with the informe --------------------------------------------------------------------


def test_la_instantanea_congela_los_medios_de_las_preguntas_y_la_ronda_siguiente_los_compara(
    entregable, encargado, analista
):
    informe = _en_revision(entregable, encargado, analista)
    medio = MedioVerificacion.objects.get()
    envio = informe.instantaneas.get(motivo="envio")
    assert envio.contenido["medios_preguntas"] == {
        str(medio.pregunta_id): {
            "pregunta": "1.2 Pregunta 2",
            "medios": {medio.sha256: {"nombre": "acta.pdf", "reemplaza": None}},
        }
    }
    archivos = services.instantanea_verificar(instantanea=envio, usuario=encargado)
    assert [(a["codigo"], a["nombre"], a["medio"], a["estado"]) for a in archivos] == [
        ("1.2 Pregunta 2", "acta.pdf", medio, services.EstadoArchivo.COINCIDE)
    ]
    pagina = cliente(encargado).get(reverse("compromisos:instantanea_detalle", args=[envio.pk]))
    assert "Medios de verificación de las preguntas del formulario" in pagina.content.decode()
    # Observed, the file replaced and sent again: the review says what changed, by question.
    observacion_crear(informe=informe, texto="Falta la firma.", usuario=analista, medio=medio)
    informe = transicionar(informe, "observar", analista)
    services.medio_reemplazar(medio=medio, archivo=pdf("acta firmada.pdf", "v2"), usuario=encargado)
    informe = transicionar(informe, "enviar", encargado)
    transicionar(informe, "tomar", analista)
    pagina = cliente(analista).get(reverse("validacion:informe_revisar", args=[informe.pk]))
    texto = pagina.content.decode()
    cambios = texto[texto.index("Cambios desde la ronda anterior") :]
    assert "1.2 Pregunta 2" in cambios
    assert "Archivo reemplazado: «acta firmada.pdf» (antes «acta.pdf»)" in cambios


@pytest.mark.parametrize(
    ("persona", "esperado"),
    [("encargado_otro", 404), ("encargado", 403), ("analista_otro", 403), ("jefatura", 403)],
)
def test_calificar_un_medio_de_pregunta_por_otro_servicio_o_rol_equivocado_se_rechaza(
    request, entregable, encargado, analista, persona, esperado
):
    _en_revision(entregable, encargado, analista)
    medio = MedioVerificacion.objects.get()
    respuesta = cliente(request.getfixturevalue(persona)).post(
        reverse("validacion:medio_calificar", args=[medio.pk]),
        {"resultado": "aceptado", "motivo": ""},
    )
    assert respuesta.status_code == esperado
    assert not VeredictoMedio.objects.exists()


@pytest.mark.parametrize(
    ("persona", "esperado"),
    [("encargado", 200), ("analista", 200), ("jefatura", 200), ("encargado_otro", 404)],
)
def test_un_medio_de_pregunta_se_descarga_por_la_misma_puerta(
    request, entregable, encargado, persona, esperado
):
    medio = services.medio_pregunta_subir(
        informe=entregable, pregunta=pregunta(entregable), archivo=pdf(), usuario=encargado
    )
    respuesta = cliente(request.getfixturevalue(persona)).get(
        reverse("compromisos:medio_descargar", args=[medio.pk])
    )
    assert respuesta.status_code == esperado
    if esperado == 200:
        assert respuesta["X-Content-Type-Options"] == "nosniff"
        assert b"".join(respuesta.streaming_content) == pdf_minimo("Acta de la mesa regional")
