"""The whole loop with the demo users, each step checked on screen:
servicio answers and resubmits → analista approves → servicio sends the informe final →
analista approves it → consultora validates → analista ratifies."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from compromisos.models import Hito, InformeAvance
from compromisos.selectors import proceso_vigente
from srm import catalogo
from validacion.models import ValidacionServicio

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OSORNO = "Gobernación Provincial de Osorno"


def como(pagina, live_server, ingresar, usuario):
    pagina.context.clear_cookies()
    ingresar(pagina, live_server, usuario)


def enviar_desde_la_edicion(pagina):
    pagina.get_by_role("button", name="Guardar y revisar envío…").click()
    justificacion = pagina.get_by_label(
        "Justificación de los medios comprometidos que no se adjuntan"
    )
    if justificacion.count():
        justificacion.fill("Se adjuntarán en el informe siguiente.")
    pagina.get_by_role("button", name="Sí, enviar a SUBDERE").click()


def revisar_y_aprobar(pagina, nombre_informe, anio):
    pagina.get_by_role("link", name="Revisión").click()
    fila = pagina.get_by_role("row").filter(has_text=OSORNO).filter(has_text=nombre_informe)
    fila.get_by_role("link", name=f"{nombre_informe} {anio}").click()
    pagina.get_by_role("button", name="Tomar en revisión").click()
    expect(pagina.get_by_text("Informe tomado en revisión.")).to_be_visible()
    # Aprobar asks for confirmation; remarks still pending are closed with a reason.
    pagina.get_by_role("button", name="Aprobar…").click()
    motivo = pagina.get_by_label("Motivo para cerrar las observaciones sin resolver")
    if motivo.count():
        motivo.fill("Corregido en el reenvío.")
    pagina.get_by_role("button", name="Sí, aprobar").click()
    expect(pagina.get_by_text("Informe aprobado.")).to_be_visible()


def test_ciclo_completo_de_revision_y_validacion(
    datos_demo, live_server, pagina, ingresar, revisar_accesibilidad
):
    vigente = proceso_vigente()
    hoy = timezone.localdate()
    Hito.objects.filter(proceso=vigente, etapa="final").update(
        fecha_inicio=hoy - datetime.timedelta(days=2),
        fecha_limite=hoy + datetime.timedelta(days=10),
    )
    # An update sends no post_save (the admin saves each hito): move the catalog version
    # as that save would, or the pages keep the deadlines they read (srm/catalogo.py).
    catalogo.invalidar()
    avance_3 = InformeAvance.objects.get(
        formulacion__servicio__nombre=OSORNO, formulacion__proceso=vigente, periodo="avance_3"
    )
    assert avance_3.estado == "observado"

    # 1. The servicio answers each observación, corrects and resubmits.
    como(pagina, live_server, ingresar, "servicio")
    pagina.get_by_role("link", name="Corregir informe de avance 3").click()
    for _ in range(avance_3.observaciones.count()):
        pagina.get_by_label("Responder a esta observación").first.fill(
            "Se adjunta la versión firmada."
        )
        pagina.get_by_role("button", name="Enviar respuesta").first.click()
        expect(pagina.get_by_text("Respuesta registrada.")).to_be_visible()
    revisar_accesibilidad(pagina)
    enviar_desde_la_edicion(pagina)
    expect(pagina.get_by_text("Informe de avance 3 enviado a SUBDERE.")).to_be_visible()

    # 2. The analista takes it and approves it.
    como(pagina, live_server, ingresar, "analista")
    revisar_y_aprobar(pagina, "Informe de avance 3", vigente.anio)
    revisar_accesibilidad(pagina)

    # 3. The servicio fills and sends its informe final; 4. the analista approves it.
    como(pagina, live_server, ingresar, "servicio")
    pagina.get_by_role("button", name="Completar informe final").click()
    final = InformeAvance.objects.get(formulacion=avance_3.formulacion, periodo="final")
    for avance in final.avances.all():
        pagina.locator(f"input[name='avance-{avance.pk}-porcentaje']").fill("100")
    pagina.locator("textarea[name='resumen-principales_logros']").fill("Convenios firmados.")
    enviar_desde_la_edicion(pagina)
    expect(pagina.get_by_text("Informe final enviado a SUBDERE.")).to_be_visible()
    como(pagina, live_server, ingresar, "analista")
    revisar_y_aprobar(pagina, "Informe final", vigente.anio)

    # 5. The consultora validates every iniciativa and sends the validation.
    como(pagina, live_server, ingresar, "consultora")
    pagina.get_by_role("link", name=OSORNO).click()
    expect(pagina.locator("h1")).to_have_text(f"Validación final {vigente.anio}")
    for compromiso in avance_3.formulacion.compromisos.order_by("codigo"):
        seccion = pagina.locator(f"#iniciativa-{compromiso.pk}")
        seccion.get_by_label("Cumple", exact=True).check()
        seccion.get_by_label("Fundamento").fill("Los medios acreditan la implementación.")
        seccion.get_by_role("button", name=f"Guardar validación de {compromiso.codigo}").click()
        expect(pagina.get_by_text(f"Validación de {compromiso.codigo} guardada.")).to_be_visible()
    revisar_accesibilidad(pagina)
    pagina.get_by_role("button", name="Enviar validación a SUBDERE").click()
    expect(pagina.get_by_text("Validación enviada a SUBDERE.")).to_be_visible()

    # 6. The analista ratifies it; the servicio's result is on screen.
    como(pagina, live_server, ingresar, "analista")
    pagina.goto(live_server.url + f"/revision/validacion-final/{avance_3.formulacion_id}/")
    pagina.get_by_role("button", name="Ratificar").click()
    expect(pagina.get_by_text("Validación ratificada.")).to_be_visible()
    expect(pagina.get_by_text("Resultado del servicio: Cumple")).to_be_visible()
    assert ValidacionServicio.objects.get(formulacion=avance_3.formulacion).resultado == "cumple"
