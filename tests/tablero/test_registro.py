"""The event log page (tablero:registro): who did what, on which servicio and year, when, in
sentences; its filters, its Excel copy, who may read it, and the actions logged for it."""

import datetime
import io
import zoneinfo

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from bitacora.models import Evento
from bitacora.services import evento_registrar
from compromisos import services as compromisos_services
from compromisos.models import Hito, Proceso
from servicios.models import Cartera
from srm.excel import FILA_ENCABEZADO
from tests.compromisos.test_portal_formulacion import (
    compromiso_post,
    datos_formset,
    enviar_formulacion,
    exencion,
    linea,
)
from tests.conftest import ANIO, cliente, crear_formulacion

pytestmark = pytest.mark.django_db

URL = "/tablero/registro/"
URLS_PROBADAS = {"tablero:registro"}
SANTIAGO = zoneinfo.ZoneInfo("America/Santiago")


def pagina(usuario, **filtros) -> str:
    respuesta = cliente(usuario).get(reverse("tablero:registro"), filtros)
    assert respuesta.status_code == 200
    return respuesta.content.decode()


def filas(usuario, **filtros) -> list[Evento]:
    return list(cliente(usuario).get(URL, filtros).context["pagina"])


@pytest.fixture
def eventos(informe_osorno, informe_llanquihue, encargado, encargado_otro):
    """One event on Osorno's informe and one on Llanquihue's, both of the year."""
    compromisos_services.informe_enviar(
        informe=informe_osorno, usuario=encargado, justificacion_faltantes=""
    )
    compromisos_services.informe_enviar(
        informe=informe_llanquihue, usuario=encargado_otro, justificacion_faltantes=""
    )
    return informe_osorno, informe_llanquihue


class TestPermisos:
    def test_la_direccion_es_la_del_tablero(self):
        assert reverse("tablero:registro") == URL

    def test_anonimo_va_al_ingreso(self, client):
        respuesta = client.get(URL)
        assert respuesta.status_code == 302 and respuesta.url.startswith(reverse("login"))

    @pytest.mark.parametrize("persona", ["encargado", "consultora", "sin_rol"])
    def test_servicio_consultora_y_sin_rol_reciben_403(self, request, persona, eventos):
        c = cliente(request.getfixturevalue(persona))
        assert c.get(URL).status_code == 403
        assert c.get(URL, {"formato": "xlsx"}).status_code == 403

    def test_no_acepta_post(self, jefatura):
        assert cliente(jefatura).post(URL).status_code == 405

    @pytest.mark.parametrize("persona", ["jefatura", "admin"])
    def test_jefatura_y_admin_leen_todo(self, request, persona, eventos):
        servicios = {e.servicio.nombre for e in filas(request.getfixturevalue(persona))}
        assert {
            "Gobernación Provincial de Osorno",
            "Gobernación Provincial de Llanquihue",
        } <= servicios

    def test_analista_lee_solo_su_cartera(self, analista, eventos):
        informe_osorno, _ = eventos
        leidas = filas(analista)
        assert leidas and {e.servicio_id for e in leidas} == {
            informe_osorno.formulacion.servicio_id
        }
        contenido = pagina(analista)
        assert "Gobernación Provincial de Llanquihue" not in contenido.split("<tbody>")[1]

    def test_analista_de_otra_cartera_no_ve_nada(self, analista_otro, eventos):
        assert filas(analista_otro) == []

    def test_la_cartera_es_por_anio(self, analista, osorno, encargado, eventos):
        otro_anio = crear_formulacion(osorno, Proceso.objects.create(anio=ANIO + 1))
        evento_registrar(
            usuario=encargado, accion="formulacion.enviar", objeto=otro_anio, servicio_id=osorno.pk
        )
        assert ANIO + 1 not in {e.anio for e in filas(analista)}

    def test_eventos_sin_servicio_son_solo_de_jefatura_y_admin(self, analista, jefatura, proceso):
        evento_registrar(
            usuario=jefatura, accion="calendario.copiar", objeto=proceso, servicio_id=None
        )
        assert filas(analista) == []
        assert [e.accion for e in filas(jefatura)] == ["calendario.copiar"]

    def test_la_barra_y_el_inicio_del_admin_llevan_al_registro(self, admin, encargado, proceso):
        enlace = f'href="{URL}"'
        assert enlace in cliente(admin).get(reverse("inicio")).content.decode()
        assert enlace not in cliente(encargado).get(reverse("inicio")).content.decode()


class TestPagina:
    def test_quien_que_donde_y_cuando_en_palabras(self, jefatura, eventos, encargado):
        encargado.first_name, encargado.last_name = "Ana", "Muñoz"
        encargado.save()
        evento = Evento.objects.get(accion="informe.enviar", usuario=encargado)
        contenido = pagina(jefatura).split("<tbody>")[1]
        fila = contenido[contenido.index("Ana Muñoz") - 300 :][:900]
        assert "envió el informe" in fila and "informe.enviar" not in fila
        assert "Gobernación Provincial de Osorno" in fila and str(ANIO) in fila
        assert timezone.localtime(evento.momento, SANTIAGO).strftime("%d-%m-%Y %H:%M") in fila

    def test_filtros_por_servicio_anio_accion_persona_y_fechas(
        self, jefatura, eventos, encargado, osorno
    ):
        assert {e.servicio_id for e in filas(jefatura, servicio=osorno.pk)} == {osorno.pk}
        assert filas(jefatura, anio=ANIO) and not filas(jefatura, anio=ANIO - 15)
        assert {e.accion for e in filas(jefatura, accion="informe.enviar")} == {"informe.enviar"}
        assert {e.usuario_id for e in filas(jefatura, persona=encargado.pk)} == {encargado.pk}
        hoy = timezone.localdate()
        assert filas(jefatura, desde=hoy.isoformat(), hasta=hoy.isoformat())
        manana = (hoy + datetime.timedelta(days=1)).isoformat()
        assert filas(jefatura, desde=manana) == []
        ayer = (hoy - datetime.timedelta(days=1)).isoformat()
        assert filas(jefatura, hasta=ayer) == []

    def test_filtro_de_seguridad(self, jefatura, eventos, encargado, informe_llanquihue):
        cliente(encargado).get(reverse("compromisos:informe_detalle", args=[informe_llanquihue.pk]))
        assert {e.accion for e in filas(jefatura, seguridad="on")} == {"seguridad.fuera_de_alcance"}

    def test_la_fecha_del_filtro_es_el_dia_de_chile(self, jefatura, encargado, proceso):
        # 23:30 in Santiago on 1 March is already 2 March in UTC: it belongs to 1 March.
        tarde = datetime.datetime(ANIO, 3, 1, 23, 30, tzinfo=SANTIAGO)
        evento_registrar(
            usuario=encargado,
            accion="calendario.copiar",
            objeto=proceso,
            servicio_id=None,
            momento=tarde,
        )
        assert filas(jefatura, desde=f"{ANIO}-03-01", hasta=f"{ANIO}-03-01")
        assert not filas(jefatura, desde=f"{ANIO}-03-02", hasta=f"{ANIO}-03-02")
        assert "01-03-2026 23:30" in pagina(jefatura)

    def test_excel_con_las_mismas_frases_y_los_filtros(self, jefatura, eventos, osorno):
        respuesta = cliente(jefatura).get(URL, {"servicio": osorno.pk, "formato": "xlsx"})
        assert respuesta["Content-Disposition"].startswith(
            'attachment; filename="registro_todos-los-anios_servicio-gobernacion-provincial-de-osorno_'
        )
        libro = openpyxl.load_workbook(io.BytesIO(respuesta.content))
        filtros = dict(libro["Filtros"].iter_rows(min_row=FILA_ENCABEZADO + 1, values_only=True))
        assert filtros["Servicio"] == "Gobernación Provincial de Osorno"
        assert filtros["Año"] == "Todos"
        membrete = [fila[0] for fila in libro["Registro"].iter_rows(max_row=4, values_only=True)]
        assert membrete[1] == "Año: todos · Periodo: todo el año"
        assert membrete[2] == "Filtros: Servicio: Gobernación Provincial de Osorno"
        encabezado, *datos = libro["Registro"].iter_rows(min_row=FILA_ENCABEZADO, values_only=True)
        assert encabezado[:3] == ("Fecha y hora (Chile)", "Persona", "Acción")
        esperados = Evento.objects.filter(servicio=osorno).order_by("-momento", "-pk")
        assert [fila[2] for fila in datos] == [
            {"informe.enviar": "envió el informe"}[e.accion] for e in esperados
        ]
        primero = esperados.first()
        assert datos[0][0] == timezone.localtime(primero.momento, SANTIAGO).replace(
            tzinfo=None, microsecond=datos[0][0].microsecond
        )
        assert datos[0][5] == "Gobernación Provincial de Osorno" and datos[0][6] == ANIO


def test_excel_filtrado_por_persona_la_nombra(jefatura, encargado, osorno):
    evento_registrar(
        usuario=encargado, accion="informe.enviar", objeto=osorno, servicio_id=osorno.pk, anio=ANIO
    )
    respuesta = cliente(jefatura).get(URL, {"persona": encargado.pk, "formato": "xlsx"})
    assert respuesta.status_code == 200
    libro = openpyxl.load_workbook(io.BytesIO(respuesta.content))
    filtros = dict(libro["Filtros"].iter_rows(min_row=FILA_ENCABEZADO + 1, values_only=True))
    assert filtros["Persona"] == (encargado.get_full_name() or encargado.username)


def _poblar(cantidad: int, jefatura, encargado, osorno, llanquihue):
    for numero in range(cantidad):
        for servicio in (osorno, llanquihue):
            evento_registrar(
                usuario=encargado if numero % 2 else jefatura,
                accion="informe.enviar",
                objeto=servicio,
                servicio_id=servicio.pk,
                anio=ANIO,
            )


@pytest.mark.parametrize("persona", ["jefatura", "analista"])
def test_el_registro_hace_las_mismas_consultas_con_pocos_o_muchos_eventos(
    request,
    persona,
    jefatura,
    analista,
    encargado,
    osorno,
    llanquihue,
    proceso,
    django_assert_num_queries,
):
    usuario = request.getfixturevalue(persona)
    c = cliente(usuario)
    _poblar(2, jefatura, encargado, osorno, llanquihue)
    c.get(URL)  # the years of the year filter are kept with the catalogs (tablero/cache.py)
    # base (session, user, groups), count, page of events (with person
    # and servicio), the servicio choices, the person choices
    with django_assert_num_queries(3 + 4):
        assert c.get(URL).status_code == 200
    _poblar(60, jefatura, encargado, osorno, llanquihue)
    with django_assert_num_queries(3 + 4):
        assert c.get(URL).status_code == 200
    # a chosen servicio adds its own lookup (the filter's validation)
    with django_assert_num_queries(3 + 5):
        assert c.get(URL, {"pagina": 2, "servicio": osorno.pk}).status_code == 200


GOBIERNO_ELECTRONICO = "Gobierno Electrónico - Tecnologías de Información"


def frases(usuario, **filtros) -> list[str]:
    """The log page's "what" column, as read: sentence and details."""
    from compromisos.templatetags.srm_formato import evento_detalle, evento_legible

    return [
        f"{evento_legible(e)}: {evento_detalle(e)}" if evento_detalle(e) else evento_legible(e)
        for e in filas(usuario, **filtros)
    ]


class TestAccionesRegistradas:
    """Each action of issue 13 appears in the page, in a sentence with its details."""

    def test_formulacion_iniciada_desde_el_anio_anterior(
        self, jefatura, formulacion_osorno, encargado, osorno
    ):
        Proceso.objects.create(anio=ANIO + 1)
        cliente(encargado).post(
            reverse("compromisos:formulacion_iniciar", args=[osorno.pk, ANIO + 1]),
            {"desde_anterior": "1"},
        )
        assert frases(jefatura) == [f"inició la formulación: a partir de la de {ANIO}"]
        assert filas(jefatura)[0].anio == ANIO + 1

    def test_sistemas_y_exenciones_agregados_modificados_y_quitados(
        self, programa_2026, jefatura, formulacion_osorno, encargado
    ):
        c = cliente(encargado)
        enviar_formulacion(
            c,
            formulacion_osorno,
            [linea("Descentralización", "60.00"), linea("Equidad de Género", "40.00")],
            [exencion(GOBIERNO_ELECTRONICO)],
        )
        enviar_formulacion(
            c,
            formulacion_osorno,
            [linea("Descentralización", "100.00", etapa=2)],
            [exencion(GOBIERNO_ELECTRONICO, justificacion="Otro motivo.")],
        )
        # Newest first; within a save, exenciones after sistemas.
        assert frases(jefatura) == [
            "modificó un sistema eximido o con modificación de etapa: "
            f"«{GOBIERNO_ELECTRONICO}» (justificación: Motivo. → Otro motivo.)",
            "quitó un sistema de la formulación: «Equidad de Género»",
            "modificó un sistema de la formulación: «Descentralización» "
            "(etapa comprometida: 1 → 2; ponderador: 60,00 → 100,00)",
            f"agregó un sistema eximido o con modificación de etapa: «{GOBIERNO_ELECTRONICO}»",
            "agregó un sistema a la formulación: «Equidad de Género»",
            "modificó un sistema de la formulación: «Descentralización» "
            "(ponderador: 100,00 → 60,00)",
            # The year's catalogue the servicio formulates from (fixture programa_2026).
            "copió el programa marco de otro año: de 2011 a 2026 (6 sistemas)",
        ]

    def test_compromiso_creado_modificado_y_eliminado(
        self, jefatura, formulacion_osorno, encargado
    ):
        c = cliente(encargado)
        c.post(
            reverse("compromisos:compromiso_crear", args=[formulacion_osorno.pk]),
            compromiso_post(),
        )
        compromiso = formulacion_osorno.compromisos.get(codigo="C09")
        medio = compromiso.medios_comprometidos.get()
        respuesta = c.post(
            reverse("compromisos:compromiso_editar", args=[compromiso.pk]),
            compromiso_post(
                **{"compromiso-meta": "Dos convenios"},
                **datos_formset(
                    "medios",
                    [{"descripcion": "Convenio firmado", "tipo": "convenio", "id": str(medio.pk)}],
                    iniciales=1,
                ),
            ),
        )
        assert respuesta.status_code == 302, respuesta.content.decode()[:3000]
        c.post(reverse("compromisos:compromiso_eliminar", args=[compromiso.pk]))
        assert frases(jefatura) == [
            "eliminó un compromiso: C09 «Convenio de programación con el GORE»",
            "modificó un compromiso: C09 (meta)",
            "creó un compromiso: C09",
        ]

    def test_informe_abierto(self, jefatura, formulacion_osorno, encargado, analista):
        from validacion.services import revision_transicionar

        formulacion = formulacion_osorno
        for accion, usuario in [("enviar", encargado), ("tomar", analista), ("aprobar", analista)]:
            formulacion = revision_transicionar(objeto=formulacion, accion=accion, usuario=usuario)
        Hito.objects.filter(etapa="avance_1").update(fecha_inicio=datetime.date(ANIO - 1, 1, 1))
        cliente(encargado).post(
            reverse("compromisos:informe_abrir", args=[formulacion_osorno.pk, "avance_1"])
        )
        assert frases(jefatura, accion="informe.abrir") == ["abrió el informe"]

    def test_prorroga_desde_la_administracion_guarda_la_anterior(
        self, jefatura, admin, informe_osorno
    ):
        compromisos_services.informe_prorrogar(
            informe=informe_osorno, hasta=datetime.date(ANIO, 7, 15), usuario=admin
        )
        compromisos_services.informe_prorrogar(
            informe=informe_osorno, hasta=datetime.date(ANIO, 7, 20), usuario=admin
        )
        assert frases(jefatura) == [
            "cambió la prórroga del informe: hasta el 20-07-2026 (antes: 15-07-2026)",
            "cambió la prórroga del informe: hasta el 15-07-2026",
        ]

    def test_hitos_y_carteras_desde_la_administracion(
        self, jefatura, admin, proceso, osorno, analista_otro
    ):
        analista_otro.first_name, analista_otro.last_name = "Berta", "Soto"
        analista_otro.save()
        c = cliente(admin)
        respuesta = c.post(
            reverse("admin:compromisos_hito_add"),
            {
                "proceso": proceso.pk,
                "etapa": "otro",
                "nombre": "Jornada de capacitación",
                "fecha_limite": f"{ANIO}-04-10",
            },
        )
        assert respuesta.status_code == 302
        hito = Hito.objects.get(nombre="Jornada de capacitación")
        c.post(reverse("admin:compromisos_hito_delete", args=[hito.pk]), {"post": "yes"})
        respuesta = c.post(
            reverse("admin:servicios_cartera_add"),
            {"anio": ANIO, "rol": "analista", "usuario": analista_otro.pk, "servicio": osorno.pk},
        )
        assert respuesta.status_code == 302
        cartera = Cartera.objects.get(usuario=analista_otro)
        c.post(reverse("admin:servicios_cartera_delete", args=[cartera.pk]), {"post": "yes"})
        assert frases(jefatura) == [
            "quitó el servicio de la cartera de un/a analista: Berta Soto",
            "asignó el servicio a la cartera de un/a analista: Berta Soto",
            "eliminó un hito del calendario: plazo 10-04-2026",
            "agregó un hito al calendario: plazo 10-04-2026",
        ]
        assert [e.servicio_id for e in filas(jefatura)[:2]] == [osorno.pk, osorno.pk]

    def test_registro_en_dipres_con_su_fecha(self, jefatura, analista, formulacion_osorno):
        from validacion.models import ValidacionServicio
        from validacion.validacion_final import dipres_registrar

        ValidacionServicio.objects.create(
            formulacion=formulacion_osorno,
            estado="ratificada",
            resultado="cumple",
            ratificada_por=analista,
            ratificada_en=timezone.now(),
        )
        hoy = timezone.localdate()
        dipres_registrar(formulacion=formulacion_osorno, fecha=hoy, usuario=analista)
        assert frases(jefatura) == [f"registró la validación en DIPRES: con fecha {hoy:%d-%m-%Y}"]
        assert filas(jefatura)[0].anio == ANIO

    def test_subida_rechazada_en_el_registro_de_seguridad(
        self, jefatura, analista, informe_osorno, encargado
    ):
        avance = informe_osorno.avances.first()
        falso = SimpleUploadedFile("acta.pdf", b"MZ\x90\x00" + b"\x00" * 200)
        cliente(encargado).post(
            reverse("compromisos:medio_subir", args=[avance.pk]),
            {"archivos": [falso], "tipo": "acta", "descripcion": ""},
        )
        (frase,) = frases(jefatura, seguridad="on")
        assert frase.startswith("intentó adjuntar un archivo que el SRM rechazó: «acta.pdf»: ")
        # The analista of the servicio reads it too.
        assert [e.accion for e in filas(analista, seguridad="on")] == ["medio.rechazar"]

    def test_accesos_denegados_en_el_registro_de_seguridad(
        self, jefatura, analista, encargado, informe_osorno, informe_llanquihue
    ):
        c = cliente(encargado)
        # Another servicio's informe: 404 to the person, the attempt in the log.
        assert (
            c.get(reverse("compromisos:informe_detalle", args=[informe_llanquihue.pk])).status_code
            == 404
        )
        # A SUBDERE action on its own informe: 403.
        compromisos_services.informe_enviar(
            informe=informe_osorno, usuario=encargado, justificacion_faltantes=""
        )
        assert (
            c.post(
                reverse("validacion:informe_transicionar", args=[informe_osorno.pk, "tomar"])
            ).status_code
            == 403
        )
        # A page of the wrong role with no object: 403, no servicio.
        assert c.get(URL).status_code == 403
        ruta_404 = reverse("compromisos:informe_detalle", args=[informe_llanquihue.pk])
        ruta_403 = reverse("validacion:informe_transicionar", args=[informe_osorno.pk, "tomar"])
        assert frases(jefatura, seguridad="on") == [
            f"intentó una acción que su rol o su cartera no permiten: GET {URL}: "
            "Su rol (Servicio público) no permite esta acción.",
            f"intentó una acción que su rol o su cartera no permiten: POST {ruta_403}: "
            "Su rol (Servicio público) no permite esta acción.",
            f"pidió datos fuera de su alcance o inexistentes: GET {ruta_404}: "
            "fuera de su alcance o inexistente",
        ]
        eventos = filas(jefatura, seguridad="on")
        assert [e.servicio_id for e in eventos] == [
            None,
            informe_osorno.formulacion.servicio_id,
            informe_llanquihue.formulacion.servicio_id,
        ]
        assert all(e.usuario == encargado for e in eventos)
        # Osorno's analista reads the attempt on Osorno only.
        assert [e.servicio_id for e in filas(analista, seguridad="on")] == [
            informe_osorno.formulacion.servicio_id
        ]
