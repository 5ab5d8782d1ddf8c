"""Hostile input never makes a 5xx: every URL pattern, each role, odd query strings and bodies.

The walk covers the SRM's own URL patterns (read from the resolver, so a new view is walked
without editing this file) and the Django admin of every registered model. Each request carries
one hostile value in every parameter name the SRM reads: unicode digits that `str.isdigit()`
accepts and `int()` refuses, a NUL byte (PostgreSQL refuses it in text) with a line break (a
header cannot hold one), a number past 64 bits,
a text past any column's length, an impossible date.
"""

import pytest
from django.contrib import admin as admin_django
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import cliente, crear_informe
from validacion.services import revision_transicionar

pytestmark = pytest.mark.django_db

HOSTILES = ["²", "a\x00\r\nb", "9" * 25, "x" * 3000, "2026-02-30"]

# Every name a view, a filter or a form of the SRM reads, plus the admin's own.
PARAMETROS_GET = [
    *("anio", "periodo", "ministerio", "tipo", "region", "estado", "cartera", "atraso"),
    *("pagina", "formato", "hito", "ids", "mios", "orden", "servicio", "conteo", "celda"),
    *("q", "o", "p", "e", "year", "month", "day", "proceso", "etapa", "servicio__id__exact"),
    *("estado__exact", "anio__exact", "fecha_limite__year", "creado__year", "creado__month"),
]
PARAMETROS_POST = [
    *("comentario", "motivo", "fundamento", "resultado", "medios", "informes", "texto"),
    *("avance", "medio", "tipo", "fecha", "descripcion", "version", "volver", "anio"),
    *("desde_anterior", "siguiente", "justificacion_faltantes", "resumen_diario", "periodo"),
    *("medio_comprometido", "servicio", "ministerio", "region", "formato", "email"),
    *("username", "password", "old_password", "new_password1", "new_password2"),
    *("action", "_selected_action", "index", "select_across", "_save", "nombre", "codigo"),
    *("lineas-TOTAL_FORMS", "lineas-INITIAL_FORMS", "lineas-0-ponderador", "lineas-0-etapa"),
    *("exenciones-TOTAL_FORMS", "exenciones-INITIAL_FORMS", "exenciones-0-etapa"),
    *("hitos-TOTAL_FORMS", "hitos-INITIAL_FORMS", "hitos-0-fecha_comprometida"),
    *("medios-TOTAL_FORMS", "medios-INITIAL_FORMS", "medios-0-id", "medios-0-tipo"),
    *("compromiso-codigo", "compromiso-nombre", "compromiso-regiones", "compromiso-meta"),
    *("resumen-resumen_logros", "fecha_limite", "etapa", "proceso", "usuario", "rol"),
]


@pytest.fixture
def datos(
    informe_osorno, encargado, analista, consultora, jefatura, admin, llanquihue
) -> dict[str, object]:
    """An informe under review, a draft informe and their rows: the objects the URLs name."""
    formulacion = informe_osorno.formulacion
    enviado = revision_transicionar(objeto=informe_osorno, accion="enviar", usuario=encargado)
    en_revision = revision_transicionar(objeto=enviado, accion="tomar", usuario=analista)
    borrador = crear_informe(formulacion, periodo="avance_2")
    from validacion.services import observacion_crear

    observacion = observacion_crear(informe=en_revision, texto="Falta el acta.", usuario=analista)
    avance = borrador.avances.first()
    return {
        "formulacion": formulacion,
        "servicio": formulacion.servicio,
        "informe": en_revision,
        "borrador": borrador,
        "avance": avance,
        "medio": avance.medios.first(),
        "medio_en_revision": en_revision.avances.first().medios.first(),
        "compromiso": formulacion.compromisos.first(),
        "observacion": observacion,
        "anio": formulacion.proceso.anio,
    }


def argumentos(nombre: str, parametros: list[str], datos: dict) -> list[dict]:
    """The kwargs to reverse `nombre` with: real objects, then hostile path values."""
    por_nombre = {
        "compromisos:informe_detalle": {"pk": datos["informe"].pk},
        "compromisos:informe_editar": {"pk": datos["borrador"].pk},
        "compromisos:informe_enviar": {"pk": datos["borrador"].pk},
        "compromisos:compromiso_editar": {"pk": datos["compromiso"].pk},
        "compromisos:compromiso_eliminar": {"pk": datos["compromiso"].pk},
        "compromisos:medio_reemplazar": {"pk": datos["medio"].pk},
        "compromisos:medio_eliminar": {"pk": datos["medio"].pk},
        "compromisos:medio_descargar": {"pk": datos["medio"].pk},
        "compromisos:medio_ver": {"pk": datos["medio"].pk},
        "validacion:informe_revisar": {"pk": datos["informe"].pk},
        "validacion:informe_transicionar": {"pk": datos["informe"].pk, "accion": "aprobar"},
        "validacion:observacion_crear": {"pk": datos["informe"].pk},
        "validacion:observacion_resolver": {"pk": datos["observacion"].pk},
        "validacion:observacion_responder": {"pk": datos["observacion"].pk},
        "validacion:medio_calificar": {"pk": datos["medio_en_revision"].pk},
        "validacion:iniciativa_validar": {"pk": datos["compromiso"].pk},
        "validacion:validacion_accion": {
            "formulacion_pk": datos["formulacion"].pk,
            "accion": "dipres",
        },
        "validacion:formulacion_transicionar": {"pk": datos["formulacion"].pk, "accion": "tomar"},
        "servicios:servicio_detalle": {"pk": datos["servicio"].pk},
        "compromisos:formulacion_iniciar": {"servicio_pk": datos["servicio"].pk, "anio": 2027},
        "compromisos:informe_abrir": {
            "formulacion_pk": datos["formulacion"].pk,
            "periodo": "avance_3",
        },
        "password_reset_confirm": {"uidb64": "MQ", "token": "x" * 40},
    }
    comunes = {
        "pk": datos["formulacion"].pk,
        "formulacion_pk": datos["formulacion"].pk,
        "avance_pk": datos["avance"].pk,
        "servicio_pk": datos["servicio"].pk,
        "anio": datos["anio"],
    }
    reales = por_nombre.get(nombre) or {p: comunes.get(p, 1) for p in parametros}
    if not reales:
        return [{}]
    hostiles = {p: ("²" if isinstance(v, str) else 9 * 10**18) for p, v in reales.items()}
    return [reales, hostiles]


def patrones(resolver=None, prefijo: str = ""):
    """(name, kwarg names) of every named URL pattern of the SRM, the admin aside."""
    for patron in (resolver or get_resolver()).url_patterns:
        if isinstance(patron, URLResolver):
            if patron.app_name == "admin":
                continue
            yield from patrones(patron, f"{patron.namespace}:" if patron.namespace else prefijo)
        elif isinstance(patron, URLPattern) and patron.name:
            yield prefijo + patron.name, list(patron.pattern.converters)


def urls_del_admin(datos: dict) -> list[str]:
    urls = [reverse("admin:index")]
    for modelo in admin_django.site._registry:
        opciones = modelo._meta
        base = f"admin:{opciones.app_label}_{opciones.model_name}"
        urls += [reverse(f"{base}_changelist"), reverse(f"{base}_add")]
        primero = modelo._default_manager.order_by("pk").first()
        if primero is not None:
            urls.append(reverse(f"{base}_change", args=[primero.pk]))
    return urls


def sin_excepciones(usuario=None) -> Client:
    c = cliente(usuario)
    # A view that raises is what we look for: count it as a 500 instead of stopping the walk.
    c.raise_request_exception = False
    return c


def recorrer(
    c: Client, url: str, *, con_post: bool, fallas: list[str], quien: str, valores=HOSTILES
) -> None:
    for valor in valores:
        peticiones = [("GET", c.get, dict.fromkeys(PARAMETROS_GET, valor))]
        if con_post:
            peticiones.append(("POST", c.post, dict.fromkeys(PARAMETROS_POST, valor)))
        for metodo, enviar, parametros in peticiones:
            respuesta = enviar(url, parametros)
            if respuesta.status_code >= 500:
                error = getattr(respuesta, "exc_info", None)
                motivo = repr(error[1])[:200] if error else ""
                fallas.append(f"{quien} {metodo} {url} {valor[:12]!r}: {motivo}")


def test_ninguna_url_responde_5xx_con_entradas_hostiles(
    datos, encargado, analista, consultora, jefatura, admin
):
    personas = {
        "anónimo": None,
        "encargado": encargado,
        "analista": analista,
        "consultora": consultora,
        "jefatura": jefatura,
        "admin": admin,
    }
    urls = []
    for nombre, parametros in patrones():
        for numero, kwargs in enumerate(argumentos(nombre, parametros, datos)):
            # A hostile path is tried with one hostile body: the path is what it tests.
            valores = HOSTILES if numero == 0 else HOSTILES[:1]
            urls.append((nombre, reverse(nombre, kwargs=kwargs), valores))
    fallas: list[str] = []
    for quien, usuario in personas.items():
        c = sin_excepciones(usuario)
        for nombre, url, valores in urls:
            # Logging out would walk the rest as anonymous; it reads no parameter.
            con_post = not (nombre == "logout" and usuario is not None)
            recorrer(c, url, con_post=con_post, fallas=fallas, quien=quien, valores=valores)
    c = sin_excepciones(admin)
    for url in urls_del_admin(datos):
        # Forms read ids, text and numbers; only the changelists' filters read dates.
        valores = HOSTILES[:4] if url.endswith(("/add/", "/change/")) else HOSTILES
        recorrer(c, url, con_post=True, fallas=fallas, quien="admin", valores=valores)
    assert not fallas, "\n".join(fallas)


# The cases the review found, each with the answer a person sees.


@pytest.mark.parametrize("pagina", ["", "servicios/", "compromisos/", "hitos/"])
def test_tablero_con_anio_en_digitos_unicode_muestra_el_anio_actual(jefatura, proceso, pagina):
    respuesta = cliente(jefatura).get(f"/tablero/{pagina}", {"anio": "²"})
    assert respuesta.status_code == 200


def test_tomar_informes_con_ids_invalidos_se_explica(datos, analista):
    respuesta = cliente(analista).post(
        reverse("validacion:bandeja_tomar"), {"informes": ["²", "9" * 25]}, follow=True
    )
    assert (
        "La selección no es válida: marque los documentos de nuevo." in respuesta.content.decode()
    )


def test_veredicto_fuera_de_las_opciones_se_explica(datos, analista):
    medio = datos["medio_en_revision"]
    respuesta = cliente(analista).post(
        reverse("validacion:medio_calificar", args=[medio.pk]),
        {"resultado": "borrado", "motivo": "x"},
        follow=True,
    )
    assert "Elija aceptado, observado o rechazado." in respuesta.content.decode()
    assert not medio.veredictos.exists()


@pytest.mark.parametrize("campo", ["comentario", "motivo"])
def test_un_byte_nul_en_un_texto_se_explica(datos, analista, campo):
    informe, medio = datos["informe"], datos["medio_en_revision"]
    if campo == "comentario":
        url = reverse("validacion:informe_transicionar", args=[informe.pk, "reabrir"])
        cuerpo = {"comentario": "a\x00b", "version": informe.version}
    else:
        url = reverse("validacion:medio_calificar", args=[medio.pk])
        cuerpo = {"resultado": "rechazado", "motivo": "a\x00b"}
    respuesta = cliente(analista).post(url, cuerpo, follow=True)
    assert respuesta.status_code == 200
    assert "caracteres nulos" in respuesta.content.decode()


def test_iniciativa_con_medios_invalidos_se_explica(datos, consultora):
    respuesta = cliente(consultora).post(
        reverse("validacion:iniciativa_validar", args=[datos["compromiso"].pk]),
        {"resultado": "cumple", "fundamento": "Listo.", "medios": ["²"]},
        follow=True,
    )
    assert "La lista de medios examinados no es válida." in respuesta.content.decode()


def test_admin_con_servicio_invalido_en_la_direccion_abre_el_formulario(admin):
    respuesta = cliente(admin).get(reverse("admin:servicios_cartera_add"), {"servicio": "abc"})
    assert respuesta.status_code == 200


def test_admin_con_anio_enorme_en_el_filtro_de_fechas_se_explica(admin):
    respuesta = cliente(admin).get(
        reverse("admin:reportes_reporte_changelist"), {"creado__year": "99999999999"}
    )
    assert respuesta.status_code == 302 and respuesta.url.endswith("?e=1")
