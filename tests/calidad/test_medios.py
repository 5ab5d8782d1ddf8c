"""The files of an element and of a measure's progress: replaced by a new version or withdrawn,
never overwritten nor lost; who did it and when is recorded and logged."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bitacora.models import Evento
from calidad import services
from calidad.models import MedioCalidad
from demo.archivos import pdf_minimo
from tests.calidad.conftest import responder_todo
from tests.conftest import cliente

pytestmark = pytest.mark.django_db


def pdf(nombre: str, texto: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(nombre, pdf_minimo(texto), content_type="application/pdf")


def detalle(autoevaluacion) -> str:
    return reverse("calidad:autoevaluacion_detalle", args=[autoevaluacion.pk])


def test_el_gore_reemplaza_y_retira_un_medio_sin_perder_ninguno(autoevaluacion, equipo_gore):
    respuesta = autoevaluacion.respuestas.first()
    original = services.medio_subir(
        respuesta=respuesta, archivo=pdf("acta.pdf", "v1"), usuario=equipo_gore
    )
    c = cliente(equipo_gore)
    pagina = c.get(detalle(autoevaluacion)).content.decode()
    assert reverse("calidad:medio_reemplazar", args=[original.pk]) in pagina
    assert reverse("calidad:medio_eliminar", args=[original.pk]) in pagina

    r = c.post(
        reverse("calidad:medio_reemplazar", args=[original.pk]),
        {f"v{original.pk}-archivo": pdf("acta_firmada.pdf", "v2")},
    )
    assert r.status_code == 302 and r.url.endswith(f"#elemento-{respuesta.pk}")
    nuevo = MedioCalidad.objects.get(reemplaza=original)
    assert nuevo.nombre_original == "acta_firmada.pdf" and nuevo.respuesta_id == respuesta.pk
    original.refresh_from_db()
    assert original.eliminado_en is None and default_storage.exists(original.archivo.name)
    assert Evento.objects.filter(accion="calidad_medio.reemplazar").count() == 1
    pagina = c.get(detalle(autoevaluacion)).content.decode()
    assert "(versión nueva de «acta.pdf»)" in pagina
    assert "Versiones anteriores y archivos retirados (1)" in pagina
    assert reverse("calidad:medio_descargar", args=[original.pk]) in pagina  # still downloadable
    # The earlier version is not replaced twice.
    r = c.post(
        reverse("calidad:medio_reemplazar", args=[original.pk]),
        {f"v{original.pk}-archivo": pdf("otra.pdf", "v3")},
        follow=True,
    )
    assert "«acta.pdf» ya no es la versión vigente: se retiró o se reemplazó." in (
        r.content.decode()
    )
    assert MedioCalidad.objects.count() == 2

    # Withdrawn after a confirmation page: kept, with who and when, and logged.
    url = reverse("calidad:medio_eliminar", args=[nuevo.pk])
    confirmacion = c.get(url)
    assert confirmacion.status_code == 200
    assert "¿Retirar «acta_firmada.pdf»?" in confirmacion.content.decode()
    nuevo.refresh_from_db()
    assert nuevo.eliminado_en is None
    assert c.post(url).status_code == 302
    nuevo.refresh_from_db()
    assert nuevo.eliminado_por == equipo_gore and nuevo.eliminado_en is not None
    assert default_storage.exists(nuevo.archivo.name)
    assert Evento.objects.filter(accion="calidad_medio.eliminar", usuario=equipo_gore).count() == 1
    pagina = c.get(detalle(autoevaluacion)).content.decode()
    assert "Versiones anteriores y archivos retirados (2)" in pagina
    assert "retirado el " in pagina and " por equipo_gore" in pagina


def test_enviada_una_vez_sus_archivos_se_reemplazan_pero_no_se_retiran(
    autoevaluacion, equipo_gore, evaluador
):
    respuesta = autoevaluacion.respuestas.first()
    medio = services.medio_subir(
        respuesta=respuesta, archivo=pdf("acta.pdf", "v1"), usuario=equipo_gore
    )
    responder_todo(autoevaluacion, equipo_gore)
    a = services.documento_transicionar(objeto=autoevaluacion, accion="enviar", usuario=equipo_gore)
    # While the evaluador has it, nothing changes.
    with pytest.raises(ValidationError, match="no está abierta"):
        services.medio_reemplazar(medio=medio, archivo=pdf("b.pdf", "b"), usuario=equipo_gore)
    services.documento_transicionar(
        objeto=a, accion="observar", usuario=evaluador, comentario="Falta la firma."
    )
    c = cliente(equipo_gore)
    pagina = c.get(detalle(autoevaluacion)).content.decode()
    assert reverse("calidad:medio_reemplazar", args=[medio.pk]) in pagina
    assert reverse("calidad:medio_eliminar", args=[medio.pk]) not in pagina
    r = c.post(reverse("calidad:medio_eliminar", args=[medio.pk]), follow=True)
    assert (
        "La autoevaluación ya se envió al evaluador: sus archivos no se retiran, se reemplazan "
        "por una versión nueva." in r.content.decode()
    )
    medio.refresh_from_db()
    assert medio.eliminado_en is None
    nuevo = services.medio_reemplazar(
        medio=medio, archivo=pdf("acta_firmada.pdf", "v2"), usuario=equipo_gore
    )
    assert nuevo.reemplaza == medio


def test_un_reemplazo_sin_archivo_o_invalido_se_explica_y_no_cambia_nada(
    autoevaluacion, equipo_gore
):
    medio = services.medio_subir(
        respuesta=autoevaluacion.respuestas.first(),
        archivo=pdf("acta.pdf", "v1"),
        usuario=equipo_gore,
    )
    c = cliente(equipo_gore)
    url = reverse("calidad:medio_reemplazar", args=[medio.pk])
    r = c.post(url, {}, follow=True)
    assert "Elija el archivo de la nueva versión." in r.content.decode()
    falso = SimpleUploadedFile("informe.pdf", b"MZ\x90\x00 no es un PDF")
    r = c.post(url, {f"v{medio.pk}-archivo": falso}, follow=True)
    assert r.status_code == 200
    assert MedioCalidad.objects.count() == 1
    # Same content as the version in force: not stored twice.
    r = c.post(url, {f"v{medio.pk}-archivo": pdf("copia.pdf", "v1")}, follow=True)
    assert "ya está adjunto como «acta.pdf»" in r.content.decode()
    assert MedioCalidad.objects.count() == 1


@pytest.fixture
def plan_validado(validada, equipo_gore, analista_calidad):
    plan = services.plan_crear(autoevaluacion=validada, usuario=equipo_gore)
    services.plan_metodologia_guardar(plan=plan, metodologia="Comité.", usuario=equipo_gore)
    services.medida_crear(
        plan=plan,
        elemento=validada.respuestas.select_related("elemento").last().elemento,
        descripcion="Tablero regional",
        tipo="inmediata",
        responsable="DIPLADE",
        plazo=datetime.date(2012, 6, 1),
        costo=1,
        metodologia="",
        puntaje_esperado=1,
        usuario=equipo_gore,
    )
    plan = services.documento_transicionar(objeto=plan, accion="enviar", usuario=equipo_gore)
    return services.documento_transicionar(objeto=plan, accion="validar", usuario=analista_calidad)


def test_la_evidencia_de_una_medida_se_reemplaza_y_se_retira(
    plan_validado, equipo_gore, analista_calidad, equipo_otro
):
    medida = plan_validado.medidas.get()
    c = cliente(equipo_gore)
    c.post(
        reverse("calidad:medida_avanzar", args=[medida.pk]),
        {f"a{medida.pk}-avance": 30, f"a{medida.pk}-archivo": pdf("avance.pdf", "30")},
    )
    medio = MedioCalidad.objects.get(medida=medida)
    r = c.post(
        reverse("calidad:medio_reemplazar", args=[medio.pk]),
        {f"v{medio.pk}-archivo": pdf("avance_corregido.pdf", "31")},
    )
    assert r.status_code == 302 and r.url.endswith(f"#medida-{medida.pk}")
    nuevo = MedioCalidad.objects.get(reemplaza=medio)
    assert (
        cliente(analista_calidad)
        .post(reverse("calidad:medio_eliminar", args=[nuevo.pk]))
        .status_code
        == 403
    )
    assert (
        cliente(equipo_otro).post(reverse("calidad:medio_eliminar", args=[nuevo.pk])).status_code
        == 404
    )
    assert c.post(reverse("calidad:medio_eliminar", args=[nuevo.pk])).status_code == 302
    nuevo.refresh_from_db()
    assert nuevo.eliminado_por == equipo_gore
    pagina = c.get(reverse("calidad:plan_detalle", args=[plan_validado.pk])).content.decode()
    assert "Versiones anteriores y archivos retirados (2)" in pagina


def test_la_tarjeta_hace_las_mismas_consultas_con_1_o_8_archivos_con_versiones(
    autoevaluacion, equipo_gore, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    respuestas = list(autoevaluacion.respuestas.all())
    services.medio_subir(respuesta=respuestas[0], archivo=pdf("a.pdf", "a"), usuario=equipo_gore)
    c = cliente(equipo_gore)
    c.get(detalle(autoevaluacion))
    with CaptureQueriesContext(connection) as pocos:
        c.get(detalle(autoevaluacion))
    for indice, respuesta in enumerate(respuestas[1:4]):
        m = services.medio_subir(
            respuesta=respuesta, archivo=pdf(f"b{indice}.pdf", f"b{indice}"), usuario=equipo_gore
        )
        m = services.medio_reemplazar(
            medio=m, archivo=pdf(f"c{indice}.pdf", f"c{indice}"), usuario=equipo_gore
        )
        if indice == 0:
            services.medio_eliminar(medio=m, usuario=equipo_gore)
    with django_assert_num_queries(len(pocos)):
        pagina = c.get(detalle(autoevaluacion)).content.decode()
    assert pagina.count("Versiones anteriores y archivos retirados") == 3


def test_el_plan_hace_las_mismas_consultas_con_1_o_4_archivos_con_versiones(
    plan_validado, equipo_gore, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    medida = plan_validado.medidas.get()
    services.medio_subir(medida=medida, archivo=pdf("a.pdf", "a"), usuario=equipo_gore)
    c = cliente(equipo_gore)
    url = reverse("calidad:plan_detalle", args=[plan_validado.pk])
    c.get(url)
    with CaptureQueriesContext(connection) as pocos:
        c.get(url)
    m = services.medio_subir(medida=medida, archivo=pdf("b.pdf", "b"), usuario=equipo_gore)
    m = services.medio_reemplazar(medio=m, archivo=pdf("c.pdf", "c"), usuario=equipo_gore)
    services.medio_eliminar(medio=m, usuario=equipo_gore)
    with django_assert_num_queries(len(pocos)):
        pagina = c.get(url).content.decode()
    assert "Versiones anteriores y archivos retirados (2)" in pagina
