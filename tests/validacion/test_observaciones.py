"""Observaciones: SUBDERE writes them in review; the servicio sees every round and answers."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from bitacora.models import Evento
from tests.conftest import cliente
from validacion.models import Observacion
from validacion.services import (
    TransicionNoPermitida,
    observacion_crear,
    observacion_responder,
    revision_transicionar,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def en_revision(informe_osorno, encargado, analista):
    informe = revision_transicionar(objeto=informe_osorno, accion="enviar", usuario=encargado)
    return revision_transicionar(objeto=informe, accion="tomar", usuario=analista)


@pytest.fixture
def observado(en_revision, analista):
    avance = en_revision.avances.first()
    observacion_crear(
        informe=en_revision, texto="Falta el acta firmada.", usuario=analista, avance=avance
    )
    return revision_transicionar(objeto=en_revision, accion="observar", usuario=analista)


def test_observacion_en_revision_queda_en_la_ronda_del_envio(en_revision, analista):
    observacion = observacion_crear(
        informe=en_revision, texto="Revise el porcentaje.", usuario=analista
    )
    assert observacion.ronda == 1 and observacion.estado == "abierta"
    assert Evento.objects.filter(accion="observacion.crear", objeto_id=observacion.pk).exists()


def test_no_se_observa_un_borrador(informe_osorno, analista):
    with pytest.raises(TransicionNoPermitida):
        observacion_crear(informe=informe_osorno, texto="x", usuario=analista)


def test_el_servicio_no_escribe_observaciones(en_revision, encargado):
    with pytest.raises(PermissionDenied):
        observacion_crear(informe=en_revision, texto="x", usuario=encargado)


def test_servicio_responde_y_la_observacion_queda_respondida(observado, encargado):
    observacion = Observacion.objects.get()
    respuesta = cliente(encargado).post(
        reverse("validacion:observacion_responder", args=[observacion.pk]),
        {"texto": "Se adjunta el acta firmada."},
    )
    assert respuesta.status_code == 302
    observacion.refresh_from_db()
    assert observacion.estado == "respondida"
    assert observacion.respuestas.get().texto == "Se adjunta el acta firmada."


def test_respuesta_vacia_se_explica(observado, encargado):
    observacion = Observacion.objects.get()
    respuesta = cliente(encargado).post(
        reverse("validacion:observacion_responder", args=[observacion.pk]),
        {"texto": "  "},
        follow=True,
    )
    assert "Escriba su respuesta" in respuesta.content.decode()
    assert not observacion.respuestas.exists()


def test_otro_servicio_recibe_404_y_subdere_403(observado, encargado_otro, jefatura):
    url = reverse("validacion:observacion_responder", args=[Observacion.objects.get().pk])
    assert cliente(encargado_otro).post(url, {"texto": "x"}).status_code == 404
    assert cliente(jefatura).post(url, {"texto": "x"}).status_code == 403
    assert cliente(jefatura).get(url).status_code == 405


def test_no_se_responde_mientras_subdere_revisa(en_revision, analista, encargado):
    observacion = observacion_crear(informe=en_revision, texto="x", usuario=analista)
    with pytest.raises(TransicionNoPermitida):
        observacion_responder(observacion=observacion, texto="Respuesta", usuario=encargado)


def test_el_servicio_ve_todas_las_rondas_y_corrige(observado, encargado, analista):
    c = cliente(encargado)
    pagina = c.get(reverse("compromisos:informe_editar", args=[observado.pk])).content.decode()
    assert (
        "Ronda 1" in pagina
        and "Falta el acta firmada." in pagina
        and "Responder a esta observación" in pagina
    )
    c.post(reverse("compromisos:informe_enviar", args=[observado.pk]))
    observado.refresh_from_db()
    informe = revision_transicionar(objeto=observado, accion="tomar", usuario=analista)
    observacion_crear(informe=informe, texto="Ahora falta la firma del GORE.", usuario=analista)
    revision_transicionar(objeto=informe, accion="observar", usuario=analista)
    pagina = c.get(reverse("compromisos:informe_detalle", args=[informe.pk])).content.decode()
    seccion = pagina[pagina.index("Observaciones de SUBDERE") :]
    assert seccion.index("Ronda 2") < seccion.index("Ronda 1")
    assert "Ahora falta la firma del GORE." in pagina and "Falta el acta firmada." in pagina
