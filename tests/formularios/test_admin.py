"""Administración builds form templates in the browser (Django admin) and copies them."""

import pytest
from django.urls import reverse

from bitacora.models import Evento
from formularios.models import Plantilla, Pregunta, Seccion
from tests.conftest import cliente

pytestmark = pytest.mark.django_db


def _inline(prefijo: str, filas: list[dict], iniciales: int = 0) -> dict:
    datos = {
        f"{prefijo}-TOTAL_FORMS": str(len(filas)),
        f"{prefijo}-INITIAL_FORMS": str(iniciales),
        f"{prefijo}-MIN_NUM_FORMS": "0",
        f"{prefijo}-MAX_NUM_FORMS": "1000",
    }
    for numero, fila in enumerate(filas):
        datos.update({f"{prefijo}-{numero}-{campo}": valor for campo, valor in fila.items()})
    return datos


def test_el_admin_arma_una_plantilla_con_una_seccion_y_una_pregunta(admin):
    c = cliente(admin)
    respuesta = c.post(
        reverse("admin:formularios_plantilla_add"),
        {
            "codigo": "factibilidad-2027",
            "encabezado": "PMG DESCENTRALIZACIÓN",
            "nombre": "Informe de factibilidad",
            "descripcion": "",
            **_inline(
                "secciones",
                [{"orden": "1", "numero": "I.", "titulo": "Diagnóstico", "padre": "", "clave": ""}],
            ),
        },
    )
    assert respuesta.status_code == 302, respuesta.content.decode()[:2000]
    plantilla = Plantilla.objects.get(codigo="factibilidad-2027")
    seccion = Seccion.objects.get(plantilla=plantilla)
    assert str(seccion) == "I. Diagnóstico"

    url = reverse("admin:formularios_seccion_change", args=[seccion.pk])
    pregunta = {
        "orden": "1",
        "numero": "1.1",
        "titulo": "Prioridad del servicio",
        "texto": "¿Qué prioridad tiene la medida?",
        "ayuda": "Según el programa de trabajo.",
        "tipo": "opcion",
        "opciones_texto": "Alta\nMedia",
        "obligatoria": "on",
        "etiqueta_desarrollo": "Descripción del desarrollo alcanzado",
        "etiqueta_recomendaciones": "Recomendaciones para el año siguiente",
        "medios_requeridos": "0",
        "descripcion_medios": "",
        "clave": "",
    }
    base = {
        "plantilla": str(plantilla.pk),
        "padre": "",
        "orden": "1",
        "numero": "I.",
        "titulo": "Diagnóstico",
        "descripcion": "",
        "clave": "",
    }
    # A choice with one option is refused with a clear message, nothing saved.
    respuesta = c.post(
        url, {**base, **_inline("preguntas", [{**pregunta, "opciones_texto": "Alta"}])}
    )
    assert respuesta.status_code == 200
    assert "al menos dos opciones" in respuesta.content.decode()
    assert not Pregunta.objects.filter(seccion=seccion).exists()
    respuesta = c.post(url, {**base, **_inline("preguntas", [pregunta])})
    assert respuesta.status_code == 302, respuesta.content.decode()[:3000]
    creada = Pregunta.objects.get(seccion=seccion)
    assert creada.opciones == ["Alta", "Media"]
    assert creada.tipo == "opcion"

    # Copied deep under a new código.
    respuesta = c.post(
        reverse("admin:formularios_plantilla_changelist"),
        {"action": "copiar_plantilla", "_selected_action": [str(plantilla.pk)]},
    )
    assert respuesta.status_code == 302
    copia = Plantilla.objects.get(codigo="factibilidad-2027-copia")
    assert Pregunta.objects.get(seccion__plantilla=copia).texto == "¿Qué prioridad tiene la medida?"
    assert Pregunta.objects.get(seccion__plantilla=plantilla) == creada
    assert Evento.objects.filter(accion="plantilla.copiar", usuario=admin).count() == 1


def test_las_paginas_del_admin_muestran_la_semilla_003(admin, plantilla_003):
    c = cliente(admin)
    pagina = c.get(reverse("admin:formularios_plantilla_change", args=[plantilla_003.pk]))
    assert pagina.status_code == 200
    assert "OBJETIVO N°1:" in pagina.content.decode()
    seccion = Seccion.objects.get(plantilla=plantilla_003, clave="objetivo-1")
    pagina = c.get(reverse("admin:formularios_seccion_change", args=[seccion.pk]))
    assert "Perspectiva territorial del programa" in pagina.content.decode()
    assert c.get(reverse("admin:formularios_plantilla_add")).status_code == 200
    # A template with filled forms cannot be deleted (they keep their answers).
    from formularios.services import llenado_crear

    llenado_crear(plantilla_003)
    borrar = reverse("admin:formularios_plantilla_delete", args=[plantilla_003.pk])
    assert c.get(borrar).status_code == 403


def test_la_copia_de_la_semilla_003_conserva_el_arbol(admin, plantilla_003):
    from formularios.services import plantilla_copiar

    copia = plantilla_copiar(plantilla=plantilla_003, codigo="etapa-4-2008", usuario=admin)
    originales = Seccion.objects.filter(plantilla=plantilla_003)
    copiadas = Seccion.objects.filter(plantilla=copia)
    assert sorted(
        (s.numero, s.titulo, s.padre.numero if s.padre else None) for s in originales
    ) == sorted((s.numero, s.titulo, s.padre.numero if s.padre else None) for s in copiadas)
    assert all(s.padre is None or s.padre.plantilla_id == copia.pk for s in copiadas)
    assert Pregunta.objects.filter(seccion__plantilla=copia).count() == 9


@pytest.mark.parametrize("persona", ["encargado", "analista", "jefatura"])
def test_otros_roles_no_entran(request, persona, plantilla_003):
    c = cliente(request.getfixturevalue(persona))
    for url in (
        reverse("admin:formularios_plantilla_changelist"),
        reverse("admin:formularios_plantilla_change", args=[plantilla_003.pk]),
    ):
        assert c.get(url).status_code in (302, 403)
    from formularios.services import plantilla_copiar
    from srm.permisos import AccesoDenegado

    with pytest.raises(AccesoDenegado):
        plantilla_copiar(
            plantilla=plantilla_003, codigo="x", usuario=request.getfixturevalue(persona)
        )
