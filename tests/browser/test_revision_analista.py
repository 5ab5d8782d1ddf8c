"""The demo analista opens the queue, takes an informe, observes it and approves another."""

import pytest
from playwright.sync_api import expect

from compromisos.models import InformeAvance
from servicios.models import Cartera

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_analista_revisa_desde_la_bandeja(
    datos_demo, live_server, pagina, ingresar, revisar_accesibilidad
):
    ingresar(pagina, live_server, "analista")
    pagina.get_by_role("link", name="Revisión").click()
    expect(pagina.locator("h1")).to_have_text("Revisión de informes y formulaciones")
    revisar_accesibilidad(pagina)

    # Llanquihue (servicio2) sent its informe de avance 3 and waits in the analista's cartera.
    enviado = InformeAvance.objects.get(
        formulacion__servicio__membresias__usuario__username="servicio2", periodo="avance_3"
    )
    assert enviado.estado == "enviado"
    assert Cartera.objects.filter(
        usuario__username="analista", servicio=enviado.formulacion.servicio
    ).exists()
    fila = pagina.get_by_role("row").filter(has_text=enviado.formulacion.servicio.nombre)
    fila.get_by_role("link", name=f"Informe de avance 3 {enviado.formulacion.proceso.anio}").click()
    expect(pagina.get_by_text(enviado.formulacion.servicio.nombre).first).to_be_visible()
    pagina.get_by_role("button", name="Tomar en revisión").click()
    expect(pagina.get_by_text("Informe tomado en revisión.")).to_be_visible()
    revisar_accesibilidad(pagina)

    primero = enviado.avances.order_by("compromiso__codigo").first()
    pagina.locator(f"#observar-{primero.pk}").fill(
        "El acta no tiene la firma del Gobierno Regional."
    )
    pagina.get_by_role(
        "button", name=f"Agregar observación sobre {primero.compromiso.codigo}"
    ).click()
    expect(pagina.get_by_text("Observación registrada.")).to_be_visible()
    # Observar asks for confirmation first (issue 13, point 3).
    pagina.get_by_role("button", name="Observar…").click()
    revisar_accesibilidad(pagina)
    pagina.get_by_role("button", name="Sí, observar").click()
    expect(
        pagina.get_by_text("Informe devuelto al servicio con sus observaciones.")
    ).to_be_visible()
    enviado.refresh_from_db()
    assert enviado.estado == "observado"
