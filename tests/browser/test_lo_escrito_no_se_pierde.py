"""A refused review action keeps what the analista typed and takes the focus to the reason
(issue 13, point 8): the review forms answer with a redirect, so the page puts it back."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from compromisos.models import InformeAvance
from validacion import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def foco(pagina) -> str:
    return pagina.evaluate("() => document.activeElement.id")


def esperar_foco(pagina, id_: str) -> None:
    """The focus lands on `id_` once the page has loaded (and scrolled to its fragment)."""
    pagina.wait_for_load_state("load")
    pagina.wait_for_function(
        "(id) => document.activeElement && document.activeElement.id === id", arg=id_
    )


# A paragraph pasted from a Word review note, longer than a verdict's reason may be.
MOTIVO_LARGO = "El acta no identifica a los asistentes del Gobierno Regional. " * 70


def test_un_veredicto_rechazado_conserva_lo_escrito_y_enfoca_el_motivo(
    datos_demo, live_server, pagina, ingresar, revisar_accesibilidad
):
    informe = InformeAvance.objects.get(
        formulacion__servicio__membresias__usuario__username="servicio2", periodo="avance_3"
    )
    analista = get_user_model().objects.get(username="analista")
    services.revision_transicionar(objeto=informe, accion="tomar", usuario=analista)
    medio = informe.avances.order_by("compromiso__codigo").first().medios.order_by("pk").first()
    assert medio is not None, "the demo's informe carries files"
    veredictos_antes = medio.veredictos.count()
    ingresar(pagina, live_server, "analista")
    pagina.goto(f"{live_server.url}/revision/informes/{informe.pk}/")
    resultado, motivo = (
        pagina.locator(f"#resultado-{medio.pk}"),
        pagina.locator(f"#motivo-{medio.pk}"),
    )

    # Too long: refused by the server, with the text and the choice put back.
    resultado.select_option("observado")
    motivo.fill(MOTIVO_LARGO)
    motivo.press("Enter")
    resumen = pagina.locator("#resumen-mensajes")
    expect(resumen).to_contain_text("4000 caracteres")
    esperar_foco(pagina, "resumen-mensajes")
    # The reason is in view, not only focused: the redirect's fragment does not hide it.
    arriba = pagina.evaluate(
        "() => document.getElementById('resumen-mensajes').getBoundingClientRect().top"
    )
    assert 0 <= arriba < pagina.viewport_size["height"]
    expect(resultado).to_have_value("observado")
    expect(motivo).to_have_value(MOTIVO_LARGO)
    aviso = resumen.get_by_role("link", name="corríjalo y envíelo de nuevo")
    expect(aviso).to_have_attribute("href", f"#resultado-{medio.pk}")
    aviso.click()
    assert foco(pagina) == f"resultado-{medio.pk}"
    revisar_accesibilidad(pagina)
    assert medio.veredictos.count() == veredictos_antes, "nothing saved from the refused form"

    # Corrected and sent again: saved, and nothing is put back on the next page.
    motivo.fill("El acta no identifica a los asistentes del Gobierno Regional.")
    motivo.press("Enter")
    expect(
        pagina.get_by_text(f"Veredicto registrado para «{medio.nombre_original}».")
    ).to_be_visible()
    expect(pagina.locator("#resumen-mensajes")).to_have_count(0)
    assert medio.veredictos.latest("pk").resultado == "observado"
    pagina.reload()
    expect(pagina.locator("[data-resumen-errores]")).to_have_count(0)
