"""Shared fixtures: reference data and the personas of the SRM.

Personas: `encargado` (Gobernación Provincial de Osorno), `encargado_otro` (Llanquihue),
`analista` (Osorno in its cartera), `analista_otro` (no cartera), `consultora` (assigned
Osorno only), `jefatura`, `admin`, `sin_rol`.
"""

import datetime
import hashlib
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.test import Client

from compromisos.models import (
    AvanceCompromiso,
    Compromiso,
    FormulacionPMG,
    Hito,
    InformeAvance,
    LineaFormulacion,
    MedioVerificacion,
    Proceso,
)
from demo.archivos import pdf_minimo
from programa.models import ProgramaMarco, SistemaPMG
from programa.services import programa_copiar
from servicios.models import Cartera, Membresia, Region, Servicio

# A real Celery worker for the tests marked celery_worker (see tests/celery_real.py).
from tests.celery_real import broker_redis, lanzar_worker, worker_celery  # noqa: E402, F401

ANIO = 2026
REFERENCIAS = [
    "regiones",
    "tipos_servicio",
    "ministerios",
    "servicios",
    "nombres_anteriores",
    "programa_marco_2011",
    "universo_2011",
    "cumplimiento_2011",
    "formulacion_osorno_2011",
    "entregables_2011",
    "feriados",
    "formulario_gestion_territorial_etapa4",
]


@pytest.fixture(autouse=True)
def _ajustes_de_prueba(settings, tmp_path):
    """Uploaded files of a test go to its own folder; passwords hash fast."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _cache_vacia():
    """No test sees pages cached by another (tablero/cache.py), nor catalog fragments kept in
    the process: a memo filled by earlier tests would be emptied in the middle of a page and
    make its query count depend on the tests run before it."""
    from srm.catalogo import _DEL_PROCESO

    cache.clear()
    _DEL_PROCESO.clear()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Reference data is loaded once; tests run in transactions that roll back over it."""
    with django_db_blocker.unblock():
        call_command("loaddata", *REFERENCIAS, verbosity=0)


@pytest.fixture
def referencias(db):
    # Transactional tests (run last by pytest-django) flush the database: load again then.
    if not Region.objects.exists():
        call_command("loaddata", *REFERENCIAS, verbosity=0)


def cliente(usuario=None) -> Client:
    """A test client, signed in as `usuario` when given."""
    c = Client()
    if usuario is not None:
        c.force_login(usuario)
    return c


def observar(documento, analista, texto: str = "Adjunte el acta firmada."):
    """Return a document under review to the servicio, with the remark that requires."""
    from validacion.services import observacion_crear, revision_transicionar

    if isinstance(documento, InformeAvance):
        observacion_crear(informe=documento, texto=texto, usuario=analista)
        return revision_transicionar(objeto=documento, accion="observar", usuario=analista)
    return revision_transicionar(
        objeto=documento, accion="observar", usuario=analista, comentario=texto
    )


def falla_en_bd(objeto) -> bool:
    """True when the database itself refuses to save `objeto` (a constraint holds)."""
    try:
        with transaction.atomic():
            objeto.save()
    except IntegrityError:
        return True
    return False


def crear_usuario(username: str, grupo: str | None):
    usuario = get_user_model().objects.create_user(
        username=username, password="clave-segura-2026", email=f"{username}@ejemplo.cl"
    )
    if grupo:
        usuario.groups.add(Group.objects.get(name=grupo))
    return usuario


@pytest.fixture
def osorno(referencias) -> Servicio:
    return Servicio.objects.get(nombre="Gobernación Provincial de Osorno")


@pytest.fixture
def llanquihue(referencias) -> Servicio:
    return Servicio.objects.get(nombre="Gobernación Provincial de Llanquihue")


@pytest.fixture
def proceso(referencias) -> Proceso:
    proceso = Proceso.objects.create(anio=ANIO)
    for etapa, mes, dia in [
        ("avance_1", 6, 30),
        ("avance_2", 8, 31),
        ("avance_3", 10, 30),
        ("final", 12, 11),
    ]:
        Hito.objects.create(
            proceso=proceso,
            etapa=etapa,
            nombre=dict(Hito.Etapa.choices)[etapa],
            fecha_limite=datetime.date(ANIO, mes, dia),
        )
    return proceso


@pytest.fixture
def encargado(osorno):
    usuario = crear_usuario("encargado", "servicio")
    Membresia.objects.create(usuario=usuario, servicio=osorno)
    return usuario


@pytest.fixture
def encargado_otro(llanquihue):
    usuario = crear_usuario("encargado_otro", "servicio")
    Membresia.objects.create(usuario=usuario, servicio=llanquihue)
    return usuario


@pytest.fixture
def analista(osorno, proceso):
    usuario = crear_usuario("analista", "analista")
    Cartera.objects.create(anio=ANIO, rol=Cartera.Rol.ANALISTA, usuario=usuario, servicio=osorno)
    return usuario


@pytest.fixture
def analista_otro(referencias):
    return crear_usuario("analista_otro", "analista")


@pytest.fixture
def consultora(osorno, proceso):
    usuario = crear_usuario("consultora", "consultora")
    Cartera.objects.create(anio=ANIO, rol=Cartera.Rol.CONSULTORA, usuario=usuario, servicio=osorno)
    return usuario


@pytest.fixture
def jefatura(referencias):
    return crear_usuario("jefatura", "jefatura")


@pytest.fixture
def admin(referencias):
    usuario = crear_usuario("admin_srm", "admin")
    usuario.is_staff = True
    usuario.save(update_fields=["is_staff"])
    return usuario


@pytest.fixture
def sin_rol(referencias):
    return crear_usuario("sin_rol", None)


@pytest.fixture
def programa_2026(referencias, admin) -> ProgramaMarco:
    """The test year's programa marco: a copy of 2011's catalogue (fixtures/), made by the admin."""
    return programa_copiar(origen=ProgramaMarco.objects.get(anio=2011), anio=ANIO, usuario=admin)


def crear_formulacion(servicio: Servicio, proceso: Proceso, compromisos: int = 2) -> FormulacionPMG:
    formulacion = FormulacionPMG.objects.create(servicio=servicio, proceso=proceso)
    linea = LineaFormulacion.objects.create(
        formulacion=formulacion,
        # The year's catalogue, when the test loaded one (fixture programa_2026).
        sistema_catalogo=SistemaPMG.objects.filter(
            area__marco__programa__anio=proceso.anio, nombre="Descentralización"
        ).first(),
        area="Planificación / Control de Gestión",
        sistema="Descentralización",
        etapa=1,
        prioridad="ALTA",
        ponderador=Decimal("100.00"),
    )
    for numero in range(1, compromisos + 1):
        Compromiso.objects.create(
            formulacion=formulacion,
            # Iniciativas of the Descentralización line, as services.compromiso_guardar does.
            linea=linea,
            codigo=f"C{numero:02d}",
            nombre=f"Compromiso {numero}",
            descripcion="Descripción",
            tipo_medida="descentralizacion",
            complejidad="inmediata",
            ambito="infraestructura",
        )
    return formulacion


def crear_informe(
    formulacion: FormulacionPMG, periodo: str = "avance_1", medios_por_avance: int = 1
) -> InformeAvance:
    informe = InformeAvance.objects.create(formulacion=formulacion, periodo=periodo)
    subidor = Membresia.objects.filter(servicio=formulacion.servicio).first()
    for compromiso in formulacion.compromisos.all():
        avance = AvanceCompromiso.objects.create(
            informe=informe, compromiso=compromiso, porcentaje=30
        )
        for numero in range(medios_por_avance):
            contenido = pdf_minimo(f"{informe.pk}-{compromiso.pk}-{numero}")
            MedioVerificacion.objects.create(
                avance=avance,
                archivo=ContentFile(contenido, name="acta.pdf"),
                nombre_original=f"acta {numero}.pdf",
                tamano=len(contenido),
                sha256=hashlib.sha256(contenido).hexdigest(),
                subido_por=subidor.usuario,
            )
    return informe


@pytest.fixture
def formulacion_osorno(osorno, proceso, encargado) -> FormulacionPMG:
    return crear_formulacion(osorno, proceso)


@pytest.fixture
def formulacion_llanquihue(llanquihue, proceso, encargado_otro) -> FormulacionPMG:
    return crear_formulacion(llanquihue, proceso)


@pytest.fixture
def informe_osorno(formulacion_osorno) -> InformeAvance:
    return crear_informe(formulacion_osorno)


@pytest.fixture
def informe_llanquihue(formulacion_llanquihue) -> InformeAvance:
    return crear_informe(formulacion_llanquihue)


@pytest.fixture
def al_final_todas_las_migraciones():
    """For the migration tests (tests/migraciones.py): back to the latest schema at the end."""
    from tests.migraciones import migrar_a_lo_ultimo

    yield
    migrar_a_lo_ultimo()
