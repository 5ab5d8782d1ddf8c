"""The requisitos técnicos of the committed etapa in the analyst's review: an error keeps what
was typed; met with its file, not met with its reason (issue 15, point 3)."""

import os

import pytest
from playwright.sync_api import expect

from compromisos.models import EstadoRevision, InformeAvance
from tests.browser.conftest import url
from validacion.models import VeredictoRequisito
from validacion.services import revision_transicionar

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_analista_califica_los_requisitos_de_la_etapa(
    datos_demo, live_server, pagina, ingresar, revisar_accesibilidad
):
    from django.contrib.auth import get_user_model

    informe = InformeAvance.objects.get(
        formulacion__servicio__membresias__usuario__username="servicio2", periodo="avance_3"
    )
    analista = get_user_model().objects.get(username="analista")
    if informe.estado == EstadoRevision.ENVIADO:
        revision_transicionar(objeto=informe, accion="tomar", usuario=analista)
    ingresar(pagina, live_server, "analista")
    pagina.goto(url(live_server, "validacion:informe_revisar", informe.pk))
    seccion = pagina.locator("#requisitos")
    expect(seccion.get_by_role("heading", name="Requisitos técnicos de la etapa comprometida"))
    requisitos = seccion.locator("[id^='requisito-']")
    assert requisitos.count() >= 1
    revisar_accesibilidad(pagina)

    primero = requisitos.first
    # Not met without a reason: the page comes back with the error on top and the choice kept.
    primero.get_by_label("No cumplido").check()
    primero.get_by_role("button", name="Guardar el requisito 1").click()
    expect(pagina.get_by_role("alert").first).to_contain_text("Diga por qué no se cumple")
    primero = pagina.locator("#requisitos [id^='requisito-']").first
    expect(primero.get_by_label("No cumplido")).to_be_checked()
    revisar_accesibilidad(pagina)

    # Met, with the first file of the informe.
    primero.get_by_label("Cumplido", exact=True).check()
    primero.locator("input[type=checkbox]").first.check()
    primero.get_by_role("button", name="Guardar el requisito 1").click()
    expect(pagina.get_by_text("Requisito calificado.")).to_be_visible()
    expect(pagina.locator("#requisitos [id^='requisito-']").first).to_contain_text("Cumplido según")
    if os.environ.get("SRM_CAPTURAS"):
        pagina.locator("#requisitos").screenshot(path=os.environ["SRM_CAPTURAS"])
    veredicto = VeredictoRequisito.objects.get()
    assert veredicto.cumple and veredicto.usuario == analista and veredicto.medios.count() == 1
