"""Every page: anonymous → login, another servicio → 404, own data → 200, fixed query counts."""

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import cliente, crear_formulacion, crear_informe

pytestmark = pytest.mark.django_db


@pytest.fixture
def objetos(informe_osorno, informe_llanquihue):
    """URL kwargs of each object page: (own Osorno object, Llanquihue object)."""
    return {
        "servicios:servicio_detalle": (
            informe_osorno.formulacion.servicio_id,
            informe_llanquihue.formulacion.servicio_id,
        ),
        "compromisos:formulacion_detalle": (
            informe_osorno.formulacion_id,
            informe_llanquihue.formulacion_id,
        ),
        "compromisos:informe_detalle": (informe_osorno.pk, informe_llanquihue.pk),
    }


PAGINAS_DE_OBJETO = [
    "servicios:servicio_detalle",
    "compromisos:formulacion_detalle",
    "compromisos:informe_detalle",
]
PAGINAS_SIMPLES = ["inicio", "servicios:servicio_lista"]
# Django's own auth and admin pages are tested by Django; ours are listed above.
PROPIAS_DE_DJANGO = {
    "login",
    "logout",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "password_change",
    "password_change_done",
}


def nombres_de_url(resolver=None, prefijo=""):
    for patron in (resolver or get_resolver()).url_patterns:
        if isinstance(patron, URLResolver):
            if patron.app_name == "admin":
                continue
            yield from nombres_de_url(
                patron, f"{patron.namespace}:" if patron.namespace else prefijo
            )
        elif isinstance(patron, URLPattern) and patron.name:
            yield prefijo + patron.name


def test_cada_url_del_srm_tiene_prueba_de_permisos():
    from tests.asistencia.test_permisos_y_listas import URLS_PROBADAS as URLS_DE_ASISTENCIA
    from tests.calidad.test_vistas import URLS_PROBADAS as URLS_DE_CALIDAD
    from tests.compromisos.test_evidencia import URLS_PROBADAS as URLS_DE_EVIDENCIA
    from tests.compromisos.test_medios_de_pregunta import URLS_PROBADAS as URLS_DE_PREGUNTAS
    from tests.compromisos.test_portal_permisos import URLS_PROBADAS
    from tests.formularios.test_portal import URLS_PROBADAS as URLS_DE_FORMULARIOS
    from tests.metas.test_vistas import URLS_PROBADAS as URLS_DE_METAS
    from tests.programa.test_decreto_descarga import URLS_PROBADAS as URLS_DEL_DECRETO
    from tests.reportes.test_vistas import URLS_PROBADAS as URLS_DE_REPORTES
    from tests.tablero.test_permisos import URLS_PROBADAS as URLS_DEL_TABLERO
    from tests.validacion.test_guardas_y_formulaciones import URLS_PROBADAS as URLS_DE_GUARDAS
    from tests.validacion.test_requisitos import URLS_PROBADAS as URLS_DE_REQUISITOS
    from tests.validacion.test_revision import URLS_PROBADAS as URLS_DE_REVISION
    from tests.validacion.test_validacion_final import URLS_PROBADAS as URLS_DE_VALIDACION

    probadas = {
        *PAGINAS_DE_OBJETO,
        *PAGINAS_SIMPLES,
        *PROPIAS_DE_DJANGO,
        *URLS_PROBADAS,
        *URLS_DE_EVIDENCIA,
        *URLS_DE_PREGUNTAS,
        *URLS_DE_REVISION,
        *URLS_DE_VALIDACION,
        *URLS_DE_GUARDAS,
        *URLS_DE_REQUISITOS,
        *URLS_DE_REPORTES,
        *URLS_DEL_TABLERO,
        *URLS_DE_ASISTENCIA,
        *URLS_DE_METAS,
        *URLS_DE_CALIDAD,
        *URLS_DEL_DECRETO,
        *URLS_DE_FORMULARIOS,
    }
    sin_prueba = set(nombres_de_url()) - probadas
    assert not sin_prueba, f"URLs sin prueba de permisos: {sorted(sin_prueba)}"


@pytest.mark.parametrize("nombre", PAGINAS_DE_OBJETO)
def test_anonimo_va_al_ingreso(nombre, objetos):
    respuesta = Client().get(reverse(nombre, args=[objetos[nombre][0]]))
    assert respuesta.status_code == 302 and respuesta.url.startswith(reverse("login"))


@pytest.mark.parametrize("nombre", PAGINAS_SIMPLES)
def test_anonimo_va_al_ingreso_en_paginas_simples(nombre):
    respuesta = Client().get(reverse(nombre))
    assert respuesta.status_code == 302 and respuesta.url.startswith(reverse("login"))


@pytest.mark.parametrize("nombre", PAGINAS_DE_OBJETO)
def test_encargado_ve_lo_propio_y_recibe_404_en_lo_ajeno(nombre, objetos, encargado):
    propio, ajeno = objetos[nombre]
    c = cliente(encargado)
    assert c.get(reverse(nombre, args=[propio])).status_code == 200
    respuesta = c.get(reverse(nombre, args=[ajeno]))
    assert respuesta.status_code == 404
    assert "no existe, o no está disponible" in respuesta.content.decode()


@pytest.mark.parametrize("nombre", PAGINAS_DE_OBJETO)
def test_consultora_recibe_404_fuera_de_lo_asignado(nombre, objetos, consultora):
    propio, ajeno = objetos[nombre]
    c = cliente(consultora)
    assert c.get(reverse(nombre, args=[propio])).status_code == 200
    assert c.get(reverse(nombre, args=[ajeno])).status_code == 404


@pytest.mark.parametrize("persona", ["analista", "jefatura", "admin"])
@pytest.mark.parametrize("nombre", PAGINAS_DE_OBJETO)
def test_subdere_lee_todo(request, persona, nombre, objetos):
    c = cliente(request.getfixturevalue(persona))
    for pk in objetos[nombre]:
        assert c.get(reverse(nombre, args=[pk])).status_code == 200


@pytest.mark.parametrize("nombre", PAGINAS_DE_OBJETO)
def test_usuario_sin_rol_no_ve_nada(nombre, objetos, sin_rol):
    assert cliente(sin_rol).get(reverse(nombre, args=[objetos[nombre][0]])).status_code == 404


def test_lista_de_servicios_del_encargado_muestra_solo_el_suyo(encargado, osorno, llanquihue):
    contenido = cliente(encargado).get(reverse("servicios:servicio_lista")).content.decode()
    assert osorno.nombre in contenido and llanquihue.nombre not in contenido


def test_lista_de_servicios_filtra_por_tipo_y_region(jefatura, osorno):
    url = reverse("servicios:servicio_lista") + f"?tipo={osorno.tipo_id}&region={osorno.region_id}"
    contenido = cliente(jefatura).get(url).content.decode()
    assert "Gobernación Provincial de Osorno" in contenido
    assert "Gobierno Regional de Los Lagos" not in contenido


def test_formulacion_muestra_la_tabla_del_seed_001(jefatura):
    from compromisos.models import FormulacionPMG

    osorno_2011 = FormulacionPMG.objects.get(
        servicio__nombre="Gobernación Provincial de Osorno", proceso__anio=2011
    )
    contenido = (
        cliente(jefatura)
        .get(reverse("compromisos:formulacion_detalle", args=[osorno_2011.pk]))
        .content.decode()
    )
    for texto in [
        "MINISTERIO DEL INTERIOR".title(),
        "Sistema Seguridad de la Información",
        "50,00 %",
        "100,00 %",
        "Gobierno Electrónico - Tecnologías de Información",
        "Eximir",
    ]:
        assert texto.lower() in contenido.lower(), texto


class TestInicio:
    def test_encargado_ve_su_proximo_plazo_y_sus_informes(self, encargado, informe_osorno):
        contenido = cliente(encargado).get(reverse("inicio")).content.decode()
        assert "Gobernación Provincial de Osorno" in contenido
        assert "Próximo plazo" in contenido
        assert "Informe de avance 1" in contenido

    def test_analista_ve_los_informes_enviados_de_su_cartera(
        self, analista, encargado, encargado_otro, informe_osorno, informe_llanquihue
    ):
        from validacion.services import revision_transicionar

        revision_transicionar(objeto=informe_osorno, accion="enviar", usuario=encargado)
        revision_transicionar(objeto=informe_llanquihue, accion="enviar", usuario=encargado_otro)
        respuesta = cliente(analista).get(reverse("inicio"))
        contenido = respuesta.content.decode()
        assert "Gobernación Provincial de Osorno" in contenido
        assert "Gobernación Provincial de Llanquihue" not in contenido
        assert respuesta.context["cartera"]["servicios"] == 1

    def test_consultora_ve_sus_asignaciones(self, consultora, informe_osorno, informe_llanquihue):
        contenido = cliente(consultora).get(reverse("inicio")).content.decode()
        assert "Validaciones asignadas" in contenido
        assert "Gobernación Provincial de Osorno" in contenido
        assert "Gobernación Provincial de Llanquihue" not in contenido

    def test_jefatura_ve_el_anio_de_un_vistazo(
        self, jefatura, analista, informe_osorno, informe_llanquihue
    ):
        from servicios.models import Cartera

        # Carteras of other years do not count (nor repeat rows).
        for anio in (2024, 2025):
            for servicio in (
                informe_osorno.formulacion.servicio,
                informe_llanquihue.formulacion.servicio,
            ):
                Cartera.objects.create(
                    anio=anio, rol="analista", usuario=analista, servicio=servicio
                )
        respuesta = cliente(jefatura).get(reverse("inicio"))
        panorama = respuesta.context["panorama"]
        avance_1 = next(f for f in panorama["periodos"] if f["periodo"] == "avance_1")
        assert avance_1["total"] == 2 and dict(avance_1["estados"])["Borrador"] == 2
        assert panorama["formulaciones"] == {
            "total": 2,
            "aprobadas": 0,
            # the analista's cartera of the year: Osorno
            "servicios_con_analista": 1,
        }
        assert panorama["total_compromisos"] == 4
        # Each row's states add up to its total, which stands right after them; the late ones
        # are a part of that total, in the last column.
        for fila in panorama["periodos"]:
            assert sum(cantidad for _, cantidad in fila["estados"]) == fila["total"]
        encabezado = re.search(r"<thead>.*?</thead>", respuesta.content.decode(), re.S)[0]
        assert (
            encabezado.index("Aprobado")
            < encabezado.index("Total")
            < encabezado.index("De ellos, fuera de plazo")
        )

    def test_admin_ve_accesos_de_configuracion(self, admin, proceso):
        contenido = cliente(admin).get(reverse("inicio")).content.decode()
        assert f"Proceso {proceso.anio}" in contenido and reverse("admin:index") in contenido

    def test_sin_proceso_configurado_se_explica_al_admin(self, admin):
        from compromisos.models import FormulacionPMG, Proceso

        FormulacionPMG.objects.all().delete()
        Proceso.objects.all().delete()
        contenido = cliente(admin).get(reverse("inicio")).content.decode()
        assert "Aún no hay un proceso PMG configurado" in contenido
        assert reverse("admin:compromisos_proceso_add") in contenido

    def test_usuario_sin_rol_recibe_explicacion(self, sin_rol):
        assert (
            "sin rol asignado" in cliente(sin_rol).get(reverse("inicio")).content.decode().lower()
        )


def _poblar(cantidad: int, proceso, encargado, analista, consultora):
    """`cantidad` extra servicios, each with a formulación and a submitted informe in every cartera."""
    from servicios.models import Cartera, Membresia, Servicio
    from validacion.services import revision_transicionar

    servicios = (
        Servicio.objects.filter(tipo__codigo="servicio-nacional")
        .exclude(formulaciones__proceso=proceso)
        .order_by("pk")[:cantidad]
    )
    for servicio in servicios:
        Membresia.objects.create(usuario=encargado, servicio=servicio)
        Cartera.objects.create(
            anio=proceso.anio, rol="analista", usuario=analista, servicio=servicio
        )
        Cartera.objects.create(
            anio=proceso.anio, rol="consultora", usuario=consultora, servicio=servicio
        )
        informe = crear_informe(
            crear_formulacion(servicio, proceso, compromisos=3), medios_por_avance=2
        )
        for atributo in ("_srm_servicios", "_srm_cartera"):
            encargado.__dict__.pop(atributo, None)
            analista.__dict__.pop(atributo, None)
        revision_transicionar(objeto=informe, accion="enviar", usuario=encargado)


# Queries of each home page, whatever the number of servicios and informes.
# Every page: session read, user, groups (role) = 3; the session's idle-timeout renewal
# (savepoint, update, release) happens at most once a minute (srm.middleware), at login in
# these tests.
CONSULTAS_BASE = 3
# With the catalogs already read: the years (for the selector, and which years are open), the
# calendar of each year (hitos, their tipos), its deliverable kinds and the holidays are kept
# under the catalog version (srm/catalogo.py); the first view after a catalog is written reads
# them again (the years: one query; per year, the calendar two and the kinds one; the holidays
# one, when there are consultas to count días hábiles for).
CONSULTAS_INICIO = {
    # informes waiting in the cartera, formulaciones waiting or with their validation waiting
    # (one query), the cartera in figures; issue 19: the cartera's unanswered consultas
    "analista": CONSULTAS_BASE + 4,
    # formulaciones asignadas with their informe final and validation
    "consultora": CONSULTAS_BASE + 1,
    # informes by periodo and estado; formulaciones, servicios with analista and compromisos
    "jefatura": CONSULTAS_BASE + 2,
    "admin": CONSULTAS_BASE + 2,
}


@pytest.mark.parametrize("persona", sorted(CONSULTAS_INICIO))
def test_inicio_hace_las_mismas_consultas_con_1_o_6_servicios(
    request, persona, proceso, encargado, analista, consultora, django_assert_num_queries
):
    usuario = request.getfixturevalue(persona)
    c = cliente(usuario)
    _poblar(1, proceso, encargado, analista, consultora)
    c.get(reverse("inicio"))  # reads the catalogs
    with django_assert_num_queries(CONSULTAS_INICIO[persona]):
        assert c.get(reverse("inicio")).status_code == 200
    _poblar(6, proceso, encargado, analista, consultora)
    with django_assert_num_queries(CONSULTAS_INICIO[persona]):
        assert c.get(reverse("inicio")).status_code == 200


def test_lista_de_servicios_hace_las_mismas_consultas_en_cada_pagina(
    jefatura, django_assert_num_queries
):
    c = cliente(jefatura)
    # base, count, page of servicios (with ministerio, tipo, región), filter choices ×3
    with django_assert_num_queries(CONSULTAS_BASE + 5):
        c.get(reverse("servicios:servicio_lista"))
    with django_assert_num_queries(CONSULTAS_BASE + 5):
        c.get(reverse("servicios:servicio_lista") + "?pagina=3")
    # A year's State adds one: the former names of the page's servicios (prefetched).
    with django_assert_num_queries(CONSULTAS_BASE + 6):
        c.get(reverse("servicios:servicio_lista") + "?anio=2011")
    with django_assert_num_queries(CONSULTAS_BASE + 6):
        c.get(reverse("servicios:servicio_lista") + "?anio=2011&pagina=3")


def con_observacion(informe, autor):
    """An observación with one answer (test data, written directly: no review flow needed here)."""
    from validacion.models import Observacion

    observacion = Observacion.objects.create(informe=informe, texto="Revise el acta.", autor=autor)
    observacion.respuestas.create(autor=autor, texto="Corregido.")
    return informe


def test_informe_hace_las_mismas_consultas_con_2_o_8_compromisos(
    analista, osorno, proceso, encargado, django_assert_num_queries
):
    pequeno = con_observacion(
        crear_informe(crear_formulacion(osorno, proceso, compromisos=2), medios_por_avance=1),
        analista,
    )
    c = cliente(analista)
    # The deadline's hito is catalog data (srm/catalogo.py): read by the first view after a
    # catalog write (here, creating the year), kept for the next ones.
    c.get(reverse("compromisos:informe_detalle", args=[pequeno.pk]))
    # base, informe with servicio and proceso, avances, every file of the informe (current
    # ones and their earlier versions), promised medios, promised medios delivered in the
    # year, compromisos sin avance, snapshots, observaciones, their answers, the timeline; the
    # committed etapa of the Descentralización line (none here: no catalogue; with one, see
    # tests/validacion/test_requisitos.py)
    with django_assert_num_queries(CONSULTAS_BASE + 11):
        c.get(reverse("compromisos:informe_detalle", args=[pequeno.pk]))
    from compromisos.models import Proceso

    grande = crear_informe(
        crear_formulacion(osorno, Proceso.objects.create(anio=2027), compromisos=8),
        medios_por_avance=3,
    )
    for _ in range(3):
        con_observacion(grande, analista)
    c.get(reverse("compromisos:informe_detalle", args=[grande.pk]))
    with django_assert_num_queries(CONSULTAS_BASE + 11):
        c.get(reverse("compromisos:informe_detalle", args=[grande.pk]))


def test_edicion_del_informe_hace_las_mismas_consultas_con_2_u_8_compromisos(
    osorno, proceso, encargado, django_assert_num_queries
):
    from compromisos.models import MedioComprometido, Proceso

    def informe_con(compromisos: int, medios: int, anio: int):
        formulacion = crear_formulacion(
            osorno, Proceso.objects.get_or_create(anio=anio)[0], compromisos
        )
        for compromiso in formulacion.compromisos.all():
            MedioComprometido.objects.create(compromiso=compromiso, descripcion="Acta", tipo="acta")
        informe = crear_informe(formulacion, medios_por_avance=medios)
        for _ in range(compromisos):
            con_observacion(informe, encargado)
        return informe

    c = cliente(encargado)
    pequeno, grande = informe_con(2, 1, 2026), informe_con(8, 3, 2027)
    # The deadline's hito is catalog data (srm/catalogo.py): read by the first view after a
    # catalog write (here, creating the years), kept for the next ones.
    for informe in (pequeno, grande):
        c.get(reverse("compromisos:informe_editar", args=[informe.pk]))
    # base, membership (own servicio), informe, avances, every file of the informe, promised
    # medios, promised medios delivered in the year, SUBDERE's verdicts on the files,
    # observaciones, their answers, timeline; the committed etapa of the Descentralización
    # line (none here: no catalogue; with one, see tests/validacion/test_requisitos.py)
    for informe in (pequeno, grande):
        with django_assert_num_queries(CONSULTAS_BASE + 11):
            assert (
                c.get(reverse("compromisos:informe_editar", args=[informe.pk])).status_code == 200
            )


def test_inicio_del_servicio_no_crece_con_informes_ni_compromisos(
    osorno, proceso, encargado, django_assert_num_queries
):
    from compromisos.models import Hito

    c = cliente(encargado)
    formulacion = crear_formulacion(osorno, proceso, compromisos=2)
    crear_informe(formulacion, "avance_1", medios_por_avance=1)
    c.get(reverse("inicio"))  # reads the catalogs (CONSULTAS_INICIO)
    # base, servicios, their formulaciones of the open years and of the year chosen, their
    # informes (read once for the pending work and the year's section), membership; issue 19:
    # its unanswered consultas and its next convocatoria. The years, the calendar (the
    # periods' and next hitos, the pending work's deadlines) and the deliverable kinds are
    # kept with the catalogs.
    with django_assert_num_queries(CONSULTAS_BASE + 6):
        assert c.get(reverse("inicio")).status_code == 200
    for numero in range(3, 10):
        formulacion.compromisos.create(
            codigo=f"C{numero:02d}",
            nombre="Otro",
            descripcion="-",
            tipo_medida="descentralizacion",
            complejidad="mayor",
            ambito="cultura",
        )
    for periodo in ("avance_2", "avance_3", "final"):
        crear_informe(formulacion, periodo, medios_por_avance=3)
    Hito.objects.create(
        proceso=proceso,
        etapa="otro",
        nombre="Jornada",
        fecha_limite=proceso.hitos.last().fecha_limite,
    )
    c.get(reverse("inicio"))  # a hito is a catalog: the calendar is read again
    with django_assert_num_queries(CONSULTAS_BASE + 6):
        assert c.get(reverse("inicio")).status_code == 200


def test_inicio_de_una_cuenta_de_servicio_sin_servicio_lo_dice(proceso, django_assert_num_queries):
    from tests.conftest import crear_usuario

    c = cliente(crear_usuario("sin_servicio", "servicio"))
    c.get(reverse("inicio"))  # reads the catalogs
    # base, servicios (none: no formulaciones, informes nor membership to read), unanswered
    # consultas, next convocatoria
    with django_assert_num_queries(CONSULTAS_BASE + 3):
        respuesta = c.get(reverse("inicio"))
    assert respuesta.status_code == 200
    assert "Su cuenta no está asociada a ningún servicio." in respuesta.content.decode()


def test_formulacion_hace_las_mismas_consultas_con_2_o_9_compromisos(
    jefatura, encargado, analista, osorno, proceso, django_assert_num_queries
):
    from compromisos.models import HitoCompromiso, MedioComprometido, Proceso
    from servicios.models import Cartera
    from validacion.services import revision_transicionar

    def formulacion_con(compromisos: int, anio: int):
        formulacion = crear_formulacion(
            osorno, Proceso.objects.get_or_create(anio=anio)[0], compromisos
        )
        for compromiso in formulacion.compromisos.all():
            compromiso.regiones.set([osorno.region])
            HitoCompromiso.objects.create(
                compromiso=compromiso,
                descripcion="Firma",
                fecha_comprometida=proceso.hitos.first().fecha_limite,
            )
            MedioComprometido.objects.create(compromiso=compromiso, descripcion="Acta", tipo="acta")
        return formulacion

    c = cliente(jefatura)
    # base, formulación with servicio and proceso, lines (their total of ponderadores is added
    # up from them), exenciones, compromisos with origin, their regiones, hitos and promised
    # medios, the formulación's own observaciones; once approved, the periods' informes. The
    # periods' hitos and the year's deliverable kinds (issue 16) are kept with the catalogs
    # (three queries more on the first view of a year after a catalog is written)
    for formulacion in (formulacion_con(2, 2026), formulacion_con(9, 2027)):
        url = reverse("compromisos:formulacion_detalle", args=[formulacion.pk])
        c.get(url)
        with django_assert_num_queries(CONSULTAS_BASE + 8):
            c.get(url)
        Cartera.objects.get_or_create(
            anio=formulacion.proceso.anio, rol="analista", usuario=analista, servicio=osorno
        )
        analista.__dict__.pop("_srm_cartera", None)
        for accion, usuario in (("enviar", encargado), ("tomar", analista), ("aprobar", analista)):
            formulacion = revision_transicionar(objeto=formulacion, accion=accion, usuario=usuario)
        c.get(url)
        with django_assert_num_queries(CONSULTAS_BASE + 9):
            assert "Informes " in c.get(url).content.decode()
