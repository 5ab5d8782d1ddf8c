"""A review decision applies only to the version of the document the analyst was shown."""

import re

import pytest
from django.urls import reverse

from tests.conftest import cliente, observar
from validacion.services import revision_transicionar

pytestmark = pytest.mark.django_db


@pytest.fixture
def en_revision(informe_osorno, encargado, analista):
    enviado = revision_transicionar(objeto=informe_osorno, accion="enviar", usuario=encargado)
    return revision_transicionar(objeto=enviado, accion="tomar", usuario=analista)


def version_del_formulario(pagina: str, accion: str) -> str:
    formulario = re.search(rf'<form[^>]*/{accion}/"[^>]*>(.*?)</form>', pagina, re.DOTALL)
    return re.search(r'name="version" value="(\d+)"', formulario.group(1)).group(1)


def test_aprobar_lo_que_cambio_desde_que_se_abrio_se_rechaza(en_revision, analista, encargado):
    pestana = cliente(analista)
    pagina = pestana.get(reverse("validacion:informe_revisar", args=[en_revision.pk]))
    version_vista = version_del_formulario(pagina.content.decode(), "aprobar")
    # Meanwhile, in another tab: observed, rewritten by the servicio, resent and taken again.
    observado = observar(en_revision, analista)
    avance = observado.avances.first()
    avance.desarrollo_alcanzado = "Texto que la pestaña del analista nunca mostró."
    avance.save()
    reenviado = revision_transicionar(objeto=observado, accion="enviar", usuario=encargado)
    revision_transicionar(objeto=reenviado, accion="tomar", usuario=analista)

    respuesta = pestana.post(
        reverse("validacion:informe_transicionar", args=[en_revision.pk, "aprobar"]),
        {"version": version_vista},
        follow=True,
    )
    contenido = respuesta.content.decode()
    assert "El informe cambió desde que lo abrió" in contenido
    enlace = reverse("validacion:informe_revisar", args=[en_revision.pk]) + "#historia-titulo"
    assert f'<a href="{enlace}">Vea los cambios</a>' in contenido
    en_revision.refresh_from_db()
    assert en_revision.estado == "en_revision"


def test_aprobar_lo_que_se_ve_funciona(en_revision, analista):
    pestana = cliente(analista)
    pagina = pestana.get(reverse("validacion:informe_revisar", args=[en_revision.pk]))
    pestana.post(
        reverse("validacion:informe_transicionar", args=[en_revision.pk, "aprobar"]),
        {
            "version": version_del_formulario(pagina.content.decode(), "aprobar"),
            "confirmado": "1",  # the confirmation step (issue 13) carries the same version on
        },
    )
    en_revision.refresh_from_db()
    assert en_revision.estado == "aprobado"


def test_una_decision_sin_version_no_se_registra(en_revision, analista):
    respuesta = cliente(analista).post(
        reverse("validacion:informe_transicionar", args=[en_revision.pk, "aprobar"]), follow=True
    )
    assert "cambió desde que lo abrió" in respuesta.content.decode()
    en_revision.refresh_from_db()
    assert en_revision.estado == "en_revision"


def test_la_formulacion_tambien_lleva_su_version(formulacion_osorno, encargado, analista):
    enviada = revision_transicionar(objeto=formulacion_osorno, accion="enviar", usuario=encargado)
    en_revision = revision_transicionar(objeto=enviada, accion="tomar", usuario=analista)
    pestana = cliente(analista)
    detalle = reverse("compromisos:formulacion_detalle", args=[en_revision.pk])
    version_vista = version_del_formulario(pestana.get(detalle).content.decode(), "aprobar")
    observada = revision_transicionar(
        objeto=en_revision, accion="observar", usuario=analista, comentario="Corrija C01."
    )
    reenviada = revision_transicionar(objeto=observada, accion="enviar", usuario=encargado)
    revision_transicionar(objeto=reenviada, accion="tomar", usuario=analista)
    respuesta = pestana.post(
        reverse("validacion:formulacion_transicionar", args=[en_revision.pk, "aprobar"]),
        {"version": version_vista},
        follow=True,
    )
    assert "La formulación cambió desde que la abrió" in respuesta.content.decode()
    en_revision.refresh_from_db()
    assert en_revision.estado == "en_revision"
