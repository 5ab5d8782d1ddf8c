"""The quality system's pages: who sees what (404 for another GORE, 403 for the wrong role),
what a form does with bad input, and query counts fixed at two sizes."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from calidad import services
from calidad.models import Autoevaluacion, EstadoAutoevaluacion
from demo.archivos import pdf_minimo
from servicios.models import Cartera, Membresia, Servicio
from tests.calidad.conftest import ANIO_CALIDAD, calificar_todo, crear_modelo, responder_todo
from tests.conftest import cliente, crear_usuario

pytestmark = pytest.mark.django_db

# Every URL of the app has its refusals tested here (tests/srm/test_vistas.py checks the list).
URLS_PROBADAS = {
    "calidad:inicio",
    "calidad:panorama",
    "calidad:comparacion",
    "calidad:autoevaluacion_iniciar",
    "calidad:autoevaluacion_detalle",
    "calidad:autoevaluacion_transicionar",
    "calidad:acreditacion_registrar",
    "calidad:plan_crear",
    "calidad:respuesta_guardar",
    "calidad:respuesta_calificar",
    "calidad:respuesta_medio",
    "calidad:medio_descargar",
    "calidad:medio_reemplazar",
    "calidad:medio_eliminar",
    "calidad:plan_detalle",
    "calidad:plan_metodologia",
    "calidad:medida_crear",
    "calidad:plan_transicionar",
    "calidad:medida_avanzar",
    "calidad:incentivo_otorgar",
}


@pytest.fixture
def con_plan(validada, equipo_gore):
    """Los Lagos validated (200 points) with a plan in draft, one measure, one file."""
    import datetime

    plan = services.plan_crear(autoevaluacion=validada, usuario=equipo_gore)
    respuesta = validada.respuestas.select_related("elemento").last()
    medida = services.medida_crear(
        plan=plan,
        elemento=respuesta.elemento,
        descripcion="Medida",
        tipo="inmediata",
        responsable="DIPLADE",
        plazo=datetime.date(2012, 6, 1),
        costo=1,
        metodologia="",
        puntaje_esperado=1,
        usuario=equipo_gore,
    )
    # A file of an element, stored as it was before the autoevaluación was sent.
    from django.core.files.base import ContentFile

    from calidad.models import MedioCalidad

    medio = MedioCalidad(
        servicio_id=validada.servicio_id,
        anio=validada.anio,
        respuesta=respuesta,
        nombre_original="acta.pdf",
        tamano=1,
        sha256="0" * 64,
        subido_por=equipo_gore,
    )
    medio.archivo.save("medio.pdf", ContentFile(pdf_minimo("acta")), save=False)
    medio.save()
    return {"autoevaluacion": validada, "plan": plan, "medida": medida, "medio": medio}


def urls_de(datos: dict) -> dict[str, tuple[str, str]]:
    """(url, method) of each page for the objects of `datos`."""
    a, plan, medida = datos["autoevaluacion"], datos["plan"], datos["medida"]
    respuesta = a.respuestas.first()
    return {
        "calidad:autoevaluacion_iniciar": (
            reverse("calidad:autoevaluacion_iniciar", args=[a.servicio_id, 2012]),
            "post",
        ),
        "calidad:autoevaluacion_detalle": (
            reverse("calidad:autoevaluacion_detalle", args=[a.pk]),
            "get",
        ),
        "calidad:autoevaluacion_transicionar": (
            reverse("calidad:autoevaluacion_transicionar", args=[a.pk, "devolver"]),
            "post",
        ),
        "calidad:acreditacion_registrar": (
            reverse("calidad:acreditacion_registrar", args=[a.pk]),
            "post",
        ),
        "calidad:plan_crear": (reverse("calidad:plan_crear", args=[a.pk]), "post"),
        "calidad:respuesta_guardar": (
            reverse("calidad:respuesta_guardar", args=[respuesta.pk]),
            "post",
        ),
        "calidad:respuesta_calificar": (
            reverse("calidad:respuesta_calificar", args=[respuesta.pk]),
            "post",
        ),
        "calidad:respuesta_medio": (
            reverse("calidad:respuesta_medio", args=[respuesta.pk]),
            "post",
        ),
        "calidad:plan_detalle": (reverse("calidad:plan_detalle", args=[plan.pk]), "get"),
        "calidad:plan_metodologia": (reverse("calidad:plan_metodologia", args=[plan.pk]), "post"),
        "calidad:medida_crear": (reverse("calidad:medida_crear", args=[plan.pk]), "post"),
        "calidad:plan_transicionar": (
            reverse("calidad:plan_transicionar", args=[plan.pk, "validar"]),
            "post",
        ),
        "calidad:medida_avanzar": (reverse("calidad:medida_avanzar", args=[medida.pk]), "post"),
        "calidad:medio_reemplazar": (
            reverse("calidad:medio_reemplazar", args=[datos["medio"].pk]),
            "post",
        ),
        "calidad:medio_eliminar": (
            reverse("calidad:medio_eliminar", args=[datos["medio"].pk]),
            "get",
        ),
    }


def test_anonimo_va_al_ingreso(con_plan):
    c = cliente()
    for url, metodo in urls_de(con_plan).values():
        respuesta = getattr(c, metodo)(url)
        assert respuesta.status_code == 302 and "/ingresar/" in respuesta["Location"], url
    for nombre in ("calidad:inicio", "calidad:panorama", "calidad:comparacion"):
        assert "/ingresar/" in c.get(reverse(nombre))["Location"]


def test_el_equipo_de_otro_gore_recibe_404_en_todo(con_plan, equipo_otro, autoevaluacion_otra):
    c = cliente(equipo_otro)
    for nombre, (url, metodo) in urls_de(con_plan).items():
        assert getattr(c, metodo)(url).status_code == 404, nombre
    # Its own is there.
    assert (
        c.get(reverse("calidad:autoevaluacion_detalle", args=[autoevaluacion_otra.pk])).status_code
        == 200
    )


def test_el_evaluador_no_asignado_recibe_404(con_plan, gore_otro):
    otro = crear_usuario("evaluador_otro", "evaluador")
    Cartera.objects.create(
        anio=ANIO_CALIDAD, rol=Cartera.Rol.EVALUADOR, usuario=otro, servicio=gore_otro
    )
    c = cliente(otro)
    for nombre, (url, metodo) in urls_de(con_plan).items():
        assert getattr(c, metodo)(url).status_code == 404, nombre


def test_el_evaluador_no_ve_el_pmg_de_su_gore(con_plan, evaluador, gore):
    c = cliente(evaluador)
    assert c.get(reverse("servicios:servicio_detalle", args=[gore.pk])).status_code == 404
    assert (
        c.get(
            reverse("calidad:autoevaluacion_detalle", args=[con_plan["autoevaluacion"].pk])
        ).status_code
        == 200
    )


ROL_EQUIVOCADO = {
    # page: a persona who sees the object but may not take that action → 403
    "calidad:autoevaluacion_iniciar": "analista_calidad",
    "calidad:autoevaluacion_transicionar": "equipo_gore",
    "calidad:acreditacion_registrar": "evaluador",
    "calidad:plan_crear": "evaluador",
    "calidad:respuesta_guardar": "evaluador",
    "calidad:respuesta_calificar": "equipo_gore",
    "calidad:respuesta_medio": "jefatura",
    "calidad:plan_metodologia": "analista_calidad",
    "calidad:medida_crear": "jefatura",
    "calidad:plan_transicionar": "equipo_gore",
    "calidad:medida_avanzar": "analista_calidad",
    "calidad:medio_reemplazar": "evaluador",
    "calidad:medio_eliminar": "jefatura",
}


@pytest.mark.parametrize("nombre", sorted(ROL_EQUIVOCADO))
def test_el_rol_equivocado_recibe_403(request, con_plan, nombre):
    persona = request.getfixturevalue(ROL_EQUIVOCADO[nombre])
    url, metodo = urls_de(con_plan)[nombre]
    assert getattr(cliente(persona), metodo)(url).status_code == 403


@pytest.mark.parametrize("nombre", ["calidad:panorama", "calidad:comparacion"])
def test_las_vistas_de_subdere_rechazan_al_gore_y_al_evaluador(
    nombre, equipo_gore, evaluador, jefatura, consultora
):
    assert cliente(equipo_gore).get(reverse(nombre)).status_code == 403
    assert cliente(evaluador).get(reverse(nombre)).status_code == 403
    assert cliente(jefatura).get(reverse(nombre)).status_code == 200


def test_la_consultora_no_entra_al_sistema_de_calidad(consultora):
    assert cliente(consultora).get(reverse("calidad:inicio")).status_code == 403


def test_get_en_una_accion_responde_405(con_plan, equipo_gore):
    url, _ = urls_de(con_plan)["calidad:respuesta_guardar"]
    assert cliente(equipo_gore).get(url).status_code == 405


def test_medio_se_descarga_como_adjunto_y_solo_para_quien_lo_ve(
    autoevaluacion, equipo_gore, equipo_otro, evaluador, jefatura
):
    medio = services.medio_subir(
        respuesta=autoevaluacion.respuestas.first(),
        archivo=SimpleUploadedFile("acta.pdf", pdf_minimo("x")),
        usuario=equipo_gore,
    )
    url = reverse("calidad:medio_descargar", args=[medio.pk])
    respuesta = cliente(evaluador).get(url)
    assert respuesta.status_code == 200
    assert respuesta["Content-Disposition"].startswith("attachment")
    assert respuesta["X-Content-Type-Options"] == "nosniff"
    assert cliente(jefatura).get(url).status_code == 200
    assert cliente(equipo_otro).get(url).status_code == 404


def test_un_nivel_invalido_se_explica_y_el_texto_no_se_pierde(autoevaluacion, equipo_gore):
    respuesta = autoevaluacion.respuestas.first()
    prefijo = f"r{respuesta.pk}"
    pagina = cliente(equipo_gore).post(
        reverse("calidad:respuesta_guardar", args=[respuesta.pk]),
        {
            f"{prefijo}-texto": "Nuestro enfoque escrito con cuidado",
            f"{prefijo}-nivel_propuesto": "9",
        },
    )
    assert pagina.status_code == 400
    contenido = pagina.content.decode()
    assert "Nuestro enfoque escrito con cuidado" in contenido
    assert 'role="alert"' in contenido and "Nivel propuesto" in contenido


def test_el_gore_guarda_y_envia_desde_las_paginas(autoevaluacion, equipo_gore, evaluador):
    c = cliente(equipo_gore)
    respuestas = list(autoevaluacion.respuestas.all())
    for respuesta in respuestas:
        prefijo = f"r{respuesta.pk}"
        r = c.post(
            reverse("calidad:respuesta_guardar", args=[respuesta.pk]),
            {f"{prefijo}-texto": "Texto", f"{prefijo}-nivel_propuesto": "3"},
        )
        assert r.status_code == 302
    r = c.post(
        reverse("calidad:autoevaluacion_transicionar", args=[autoevaluacion.pk, "enviar"]),
        {"version": autoevaluacion.version},
    )
    assert r.status_code == 302
    autoevaluacion.refresh_from_db()
    assert autoevaluacion.estado == EstadoAutoevaluacion.ENVIADA
    # A stale page's action is told, not applied.
    r = cliente(evaluador).post(
        reverse("calidad:autoevaluacion_transicionar", args=[autoevaluacion.pk, "observar"]),
        {"version": autoevaluacion.version - 1, "comentario": "x"},
    )
    assert r.status_code == 400
    assert "Otra persona modificó" in r.content.decode()


def test_una_accion_desconocida_responde_404(autoevaluacion, equipo_gore):
    url = reverse("calidad:autoevaluacion_transicionar", args=[autoevaluacion.pk, "borrar"])
    assert cliente(equipo_gore).post(url).status_code == 404


def test_el_supuesto_de_los_criterios_5_a_7_se_dice_en_pantalla(autoevaluacion, equipo_gore):
    contenido = (
        cliente(equipo_gore)
        .get(reverse("calidad:autoevaluacion_detalle", args=[autoevaluacion.pk]))
        .content.decode()
    )
    assert contenido.count(">supuesto</span>") == 3
    assert "no da el puntaje de los criterios 5 a 7" in contenido


# --------------------------------------------------------------------------- query counts


def _gores(cantidad: int, admin) -> list[Autoevaluacion]:
    """`cantidad` GORE with an evaluated autoevaluación of ANIO_CALIDAD."""
    evaluador = crear_usuario(f"evaluador_{cantidad}", "evaluador")
    autoevaluaciones = []
    for indice, gore in enumerate(
        Servicio.objects.filter(tipo__codigo="gobierno-regional").order_by("pk")[:cantidad]
    ):
        equipo = crear_usuario(f"equipo_{cantidad}_{indice}", "servicio")
        Membresia.objects.create(usuario=equipo, servicio=gore)
        Cartera.objects.create(
            anio=ANIO_CALIDAD, rol=Cartera.Rol.EVALUADOR, usuario=evaluador, servicio=gore
        )
        evaluador.__dict__.pop("_srm_cartera", None)
        a = services.autoevaluacion_iniciar(servicio=gore, anio=ANIO_CALIDAD, usuario=equipo)
        responder_todo(a, equipo)
        a = services.documento_transicionar(objeto=a, accion="enviar", usuario=equipo)
        calificar_todo(a, evaluador)
        autoevaluaciones.append(
            services.documento_transicionar(objeto=a, accion="evaluar", usuario=evaluador)
        )
    return autoevaluaciones


@pytest.mark.parametrize("cantidad", [2, 6])
def test_panorama_hace_las_mismas_consultas_con_2_o_6_gore(
    cantidad, admin, jefatura, django_assert_num_queries
):
    crear_modelo(ANIO_CALIDAD, admin)
    _gores(cantidad, admin)
    c = cliente(jefatura)
    # session, user, groups (role), years of the models, the model of the year, its criteria,
    # the autoevaluaciones with GORE, plan and accreditation, the sums per GORE and criterion.
    with django_assert_num_queries(8):
        respuesta = c.get(reverse("calidad:panorama"), {"anio": ANIO_CALIDAD})
    assert respuesta.status_code == 200
    assert len(respuesta.context["filas"]) == cantidad


@pytest.mark.parametrize("cantidad", [2, 6])
def test_comparacion_hace_las_mismas_consultas_con_2_o_6_gore(
    cantidad, admin, jefatura, django_assert_num_queries
):
    crear_modelo(ANIO_CALIDAD, admin)
    _gores(cantidad, admin)
    c = cliente(jefatura)
    # session, user, groups, the years, the later model, its criteria, the sums per GORE,
    # year and criterion.
    with django_assert_num_queries(7):
        respuesta = c.get(reverse("calidad:comparacion"))
    assert len(respuesta.context["filas"]) == cantidad


@pytest.mark.parametrize("elementos", [1, 4])
def test_tarjeta_hace_las_mismas_consultas_con_1_o_4_elementos_por_criterio(
    elementos, admin, gore, evaluador, django_assert_num_queries
):
    modelo = crear_modelo(ANIO_CALIDAD, admin, elementos_por_criterio=elementos)
    equipo = crear_usuario("equipo", "servicio")
    Membresia.objects.create(usuario=equipo, servicio=gore)
    a = services.autoevaluacion_iniciar(servicio=gore, anio=modelo.anio, usuario=equipo)
    responder_todo(a, equipo)
    services.documento_transicionar(objeto=a, accion="enviar", usuario=equipo)
    c = cliente(evaluador)
    # session, user, groups, the autoevaluación, the cartera (door), the answers with their
    # elements, their files, the plan, the accreditation (none yet: no incentives to read),
    # the sums per criterion, the criteria, the observaciones.
    with django_assert_num_queries(12):
        respuesta = c.get(reverse("calidad:autoevaluacion_detalle", args=[a.pk]))
    assert respuesta.status_code == 200
    assert len(respuesta.context["filas"]) == 8 * elementos


def test_el_evaluador_no_ve_servicios_en_la_barra(evaluador, autoevaluacion):
    """Its scope holds only the quality system's rows: «Servicios» would be an empty list."""
    from srm import permisos

    servicios = reverse("servicios:servicio_lista")
    assert not permisos.puede(evaluador, "servicio.listar")
    pagina = cliente(evaluador).get(reverse("calidad:inicio")).content.decode()
    assert f'href="{servicios}"' not in pagina
    assert f'href="{reverse("calidad:inicio")}"' in pagina
    assert cliente(evaluador).get(servicios).status_code == 403
