"""Who sees and does what in asistencia (404 for another servicio, 403 for the wrong role),
and the lists' query counts fixed at two sizes."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from asistencia import services
from asistencia.models import Actividad, Contacto, Inscripcion
from compromisos.models import Proceso
from demo.archivos import pdf_minimo
from servicios.models import Cartera, Membresia, Servicio
from tests.conftest import cliente, crear_formulacion, crear_usuario

pytestmark = pytest.mark.django_db


@pytest.fixture
def consulta(osorno, encargado, analista):
    return services.consulta_crear(
        servicio=osorno, anio=2026, asunto="Plazo", texto="¿Hasta cuándo?", usuario=encargado
    )


@pytest.fixture
def actividad(osorno, analista):
    inicio = timezone.make_aware(datetime.datetime(2026, 12, 20, 10))
    return services.actividad_planificar(
        usuario=analista,
        anio=2026,
        tipo="bilateral",
        tema="Reunión bilateral",
        inicio=inicio,
        fin=inicio + datetime.timedelta(hours=1),
        responsable=analista,
        servicios=[osorno],
    )


def test_otro_servicio_no_ve_la_consulta(consulta, encargado_otro):
    url = reverse("asistencia:consulta_detalle", args=[consulta.pk])
    assert cliente(encargado_otro).get(url).status_code == 404
    assert cliente(encargado_otro).post(url, {"texto": "hola"}).status_code == 404
    assert consulta.mensajes.count() == 1


def test_la_consultora_no_ve_consultas(consulta, consultora):
    url = reverse("asistencia:consulta_detalle", args=[consulta.pk])
    assert cliente(consultora).get(url).status_code == 403


def test_jefatura_lee_pero_no_responde(consulta, jefatura):
    url = reverse("asistencia:consulta_detalle", args=[consulta.pk])
    assert cliente(jefatura).get(url).status_code == 200
    assert cliente(jefatura).post(url, {"texto": "hola"}).status_code == 403


def test_un_analista_fuera_de_la_cartera_no_responde(consulta, analista_otro):
    url = reverse("asistencia:consulta_detalle", args=[consulta.pk])
    assert cliente(analista_otro).post(url, {"texto": "hola"}).status_code == 403


def test_solo_un_servicio_pregunta(analista):
    assert cliente(analista).get(reverse("asistencia:consulta_nueva")).status_code == 403


def test_otro_servicio_no_ve_la_actividad_ni_se_inscribe(actividad, encargado_otro, encargado):
    url = reverse("asistencia:actividad_detalle", args=[actividad.pk])
    assert cliente(encargado).get(url).status_code == 200
    assert cliente(encargado_otro).get(url).status_code == 404
    ics = reverse("asistencia:actividad_ics", args=[actividad.pk])
    assert cliente(encargado_otro).get(ics).status_code == 404
    convocado = actividad.convocados.get()
    inscribir = reverse("asistencia:inscribir", args=[convocado.pk])
    assert cliente(encargado_otro).post(inscribir, {"nombre": "X"}).status_code == 404
    assert not Inscripcion.objects.exists()


def test_el_servicio_no_ve_las_inscripciones_de_otro(
    osorno, llanquihue, analista, encargado, encargado_otro
):
    inicio = timezone.make_aware(datetime.datetime(2026, 12, 20, 10))
    actividad = services.actividad_planificar(
        usuario=analista,
        anio=2026,
        tipo="jornada",
        tema="Jornada",
        inicio=inicio,
        fin=inicio,
        responsable=analista,
        servicios=[osorno, llanquihue],
    )
    otro = actividad.convocados.get(servicio=llanquihue)
    services.inscripcion_crear(
        convocado=otro, nombre="Persona de Llanquihue", usuario=encargado_otro
    )
    pagina = cliente(encargado).get(reverse("asistencia:actividad_detalle", args=[actividad.pk]))
    assert "Persona de Llanquihue" not in pagina.content.decode()
    assert "Gobernación Provincial de Llanquihue" not in pagina.content.decode()


@pytest.mark.parametrize(
    "nombre", ["asistencia", "acta_enviar", "acuerdo_nuevo", "actividad_convocar"]
)
def test_el_servicio_no_gestiona_la_actividad(actividad, encargado, nombre):
    url = reverse(f"asistencia:{nombre}", args=[actividad.pk])
    assert cliente(encargado).post(url, {"acta": "x", "presentes": []}).status_code == 403
    actividad.refresh_from_db()
    assert actividad.estado == Actividad.Estado.PLANIFICADA and not actividad.acta


def test_planificar_es_de_subdere(encargado, jefatura):
    url = reverse("asistencia:actividad_nueva")
    assert cliente(encargado).get(url).status_code == 403
    assert cliente(jefatura).get(url).status_code == 403


def test_contactos_solo_del_analista_de_la_cartera(osorno, llanquihue, analista, encargado):
    assert (
        cliente(encargado)
        .get(reverse("asistencia:contacto_nuevo", args=[osorno.pk, 2026]))
        .status_code
        == 403
    )
    # Another servicio: invisible to a servicio user (404) before any role question.
    assert (
        cliente(encargado)
        .get(reverse("asistencia:contacto_nuevo", args=[llanquihue.pk, 2026]))
        .status_code
        == 404
    )
    assert (
        cliente(analista)
        .get(reverse("asistencia:contacto_nuevo", args=[llanquihue.pk, 2026]))
        .status_code
        == 403
    )


def test_el_servicio_ve_solo_sus_contactos_en_la_ficha(
    osorno, llanquihue, analista, encargado, encargado_otro
):
    Cartera.objects.create(
        anio=2026, rol=Cartera.Rol.ANALISTA, usuario=analista, servicio=llanquihue
    )
    for servicio, tema in [(osorno, "Tema de Osorno"), (llanquihue, "Tema de Llanquihue")]:
        services.contacto_registrar(
            servicio=servicio,
            anio=2026,
            canal="llamada",
            fecha=datetime.date(2026, 7, 1),
            tema=tema,
            usuario=analista,
        )
    ficha = cliente(encargado).get(reverse("servicios:servicio_detalle", args=[osorno.pk]))
    assert "Tema de Osorno" in ficha.content.decode()
    assert "Tema de Llanquihue" not in ficha.content.decode()
    assert (
        cliente(encargado)
        .get(reverse("servicios:servicio_detalle", args=[llanquihue.pk]))
        .status_code
        == 404
    )


def test_documentos_y_cifras(encargado, consultora, jefatura):
    assert cliente(encargado).get(reverse("asistencia:cifras")).status_code == 403
    assert cliente(consultora).get(reverse("asistencia:documentos")).status_code == 403
    assert cliente(jefatura).post(reverse("asistencia:documentos"), {}).status_code == 403
    assert cliente(jefatura).get(reverse("asistencia:cifras")).status_code == 200


# --- Query counts at two sizes ---------------------------------------------------------------


def poblar(n: int, analista) -> None:
    """n servicios, each with a formulación, a consulta, a contact, an activity with a
    registration, an acuerdo and a read document."""
    proceso = Proceso.objects.get(anio=2026)
    servicios = list(Servicio.objects.exclude(formulaciones__proceso=proceso).order_by("pk")[:n])
    documento = services.documento_crear(
        anio=2026,
        tipo="guia",
        titulo=f"Guía {n}",
        archivo=SimpleUploadedFile("g.pdf", pdf_minimo(f"{n}-{len(servicios)}")),
        usuario=analista,
    )
    services.documento_publicar(documento=documento, usuario=analista)
    version = documento.versiones.get()
    for servicio in servicios:
        crear_formulacion(servicio, proceso, compromisos=1)
        usuario = crear_usuario(f"enc{servicio.pk}", "servicio")
        Membresia.objects.create(usuario=usuario, servicio=servicio)
        Cartera.objects.get_or_create(
            anio=2026, rol=Cartera.Rol.ANALISTA, usuario=analista, servicio=servicio
        )
        analista.__dict__.pop("_srm_cartera", None)  # the door's cache of the cartera
        consulta = services.consulta_crear(
            servicio=servicio, anio=2026, asunto="P", texto="T", usuario=usuario
        )
        services.consulta_escribir(consulta=consulta, texto="R", usuario=analista)
        Contacto.objects.create(
            servicio=servicio,
            anio=2026,
            analista=analista,
            canal="correo",
            fecha=datetime.date(2026, 7, 1),
            tema="x",
        )
        inicio = timezone.make_aware(datetime.datetime(2026, 12, 20, 10))
        actividad = services.actividad_planificar(
            usuario=analista,
            anio=2026,
            tipo="jornada",
            tema="J",
            inicio=inicio,
            fin=inicio,
            responsable=analista,
            servicios=[servicio],
        )
        convocado = actividad.convocados.get()
        services.inscripcion_crear(convocado=convocado, nombre="N", usuario=usuario)
        services.acuerdo_crear(
            actividad=actividad,
            descripcion="A",
            responsable="R",
            plazo=datetime.date(2026, 12, 30),
            servicio=servicio,
            usuario=analista,
        )
        services.documento_abrir(version=version, usuario=usuario)


# Session and user, then the page's own reads.
PAGINAS = [
    ("asistencia:inicio", "analista", 7),
    ("asistencia:inicio", "jefatura", 7),
    ("asistencia:cifras", "jefatura", 12),
    ("asistencia:documentos", "analista", 5),
]


@pytest.mark.parametrize("nombre,quien,esperadas", PAGINAS)
def test_consultas_fijas_en_dos_tamanos(nombre, quien, esperadas, proceso, analista, jefatura):
    usuario = {"analista": analista, "jefatura": jefatura}[quien]
    conteos = []
    for n in (2, 6):
        poblar(n if not conteos else n - 2, analista)
        c = cliente(usuario)
        with CaptureQueriesContext(connection) as consultas:
            respuesta = c.get(reverse(nombre) + "?anio=2026")
        assert respuesta.status_code == 200
        conteos.append(len(consultas))
    assert conteos == [esperadas, esperadas]


def test_el_servicio_ve_su_inicio_con_consultas_fijas(proceso, analista):
    poblar(2, analista)
    encargado = Membresia.objects.order_by("pk").first().usuario
    c = cliente(encargado)
    with CaptureQueriesContext(connection) as antes:
        contenido = c.get(reverse("asistencia:inicio") + "?anio=2026").content.decode()
    assert contenido.count('<td><a href="/asistencia/consultas/') == 1
    poblar(4, analista)
    with CaptureQueriesContext(connection) as despues:
        c.get(reverse("asistencia:inicio") + "?anio=2026")
    assert len(antes) == len(despues) == 8


def test_publicar_una_consulta(consulta, analista, encargado, encargado_otro, analista_otro):
    services.consulta_escribir(consulta=consulta, texto="Respuesta", usuario=analista)
    url = reverse("asistencia:consulta_publicar", args=[consulta.pk])
    datos = {"pregunta": "P", "respuesta": "R"}
    assert cliente(encargado_otro).post(url, datos).status_code == 404
    assert cliente(encargado).post(url, datos).status_code == 403
    assert cliente(analista_otro).post(url, datos).status_code == 403
    consulta.refresh_from_db()
    assert consulta.publicada_en is None


def test_cerrar_un_acuerdo(actividad, analista, encargado, encargado_otro, osorno):
    acuerdo = services.acuerdo_crear(
        actividad=actividad,
        descripcion="A",
        responsable="R",
        plazo=datetime.date(2026, 12, 30),
        servicio=osorno,
        usuario=analista,
    )
    url = reverse("asistencia:acuerdo_cerrar", args=[acuerdo.pk])
    assert cliente(encargado_otro).post(url, {"cierre": "x"}).status_code == 403
    assert cliente(encargado).post(url, {"cierre": "x"}).status_code == 403
    acuerdo.refresh_from_db()
    assert acuerdo.abierto


def test_publicar_un_documento_es_de_subdere(analista, encargado, jefatura):
    documento = services.documento_crear(
        anio=2026,
        tipo="guia",
        titulo="Guía",
        archivo=SimpleUploadedFile("g.pdf", pdf_minimo("g")),
        usuario=analista,
    )
    url = reverse("asistencia:documento_publicar", args=[documento.pk])
    assert cliente(encargado).post(url).status_code == 403
    assert cliente(jefatura).post(url).status_code == 403
    documento.refresh_from_db()
    assert documento.publicado_en is None


@pytest.mark.parametrize(
    "nombre", ["asistencia:inicio", "asistencia:preguntas_frecuentes", "asistencia:documentos"]
)
def test_la_consultora_no_usa_asistencia(nombre, consultora):
    assert cliente(consultora).get(reverse(nombre)).status_code == 403


def test_anonimo_va_al_ingreso(actividad, consulta):
    for nombre, args in [
        ("asistencia:inicio", []),
        ("asistencia:actividad_detalle", [actividad.pk]),
        ("asistencia:consulta_detalle", [consulta.pk]),
        ("asistencia:cifras", []),
    ]:
        respuesta = cliente().get(reverse(nombre, args=args))
        assert respuesta.status_code == 302 and respuesta.url.startswith(reverse("login"))


# Every URL of the app has a test of who is refused (tests/srm/test_vistas.py reads this).
URLS_PROBADAS = {
    f"asistencia:{nombre}"
    for nombre in (
        "inicio",
        "consulta_nueva",
        "consulta_detalle",
        "consulta_publicar",
        "preguntas_frecuentes",
        "actividad_nueva",
        "actividad_detalle",
        "actividad_ics",
        "actividad_convocar",
        # 403 for a servicio and jefatura, 404 for no such activity: tests/asistencia/test_cancelar.py
        "actividad_editar",
        "actividad_cancelar",
        "asistencia",
        "acuerdo_nuevo",
        "acta_enviar",
        "inscribir",
        "acuerdo_cerrar",
        "contacto_nuevo",
        "documentos",
        "documento_detalle",
        "documento_publicar",
        "version_descargar",
        "cifras",
    )
}
