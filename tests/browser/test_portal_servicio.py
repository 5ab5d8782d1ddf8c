"""The encargado/a PMG does the year's reporting in the browser: formulación, compromiso,
informe with two uploaded medios, submission."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from compromisos.models import FormulacionPMG, Hito, InformeAvance, MedioVerificacion, Proceso
from compromisos.selectors import proceso_vigente
from demo.archivos import pdf_minimo, png_minimo
from srm import catalogo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OSORNO = "Gobernación Provincial de Osorno"


@pytest.fixture
def anio_siguiente_abierto(datos_demo):
    """SUBDERE has opened next year's process, and this year's informe final is open today."""
    vigente = proceso_vigente()
    Proceso.objects.create(anio=vigente.anio + 1)
    hoy = timezone.localdate()
    Hito.objects.filter(proceso=vigente, etapa="final").update(
        fecha_inicio=hoy - datetime.timedelta(days=2),
        fecha_limite=hoy + datetime.timedelta(days=10),
    )
    # An update sends no post_save (the admin saves each hito): move the catalog version
    # as that save would, or the pages keep the deadlines they read (srm/catalogo.py).
    catalogo.invalidar()
    return vigente


def test_servicio_formula_informa_sube_medios_y_envia(
    anio_siguiente_abierto, live_server, pagina, ingresar, revisar_accesibilidad, tmp_path
):
    vigente = anio_siguiente_abierto
    siguiente = vigente.anio + 1
    ingresar(pagina, live_server, "servicio")

    # Formulación of next year, carried over from this one.
    pagina.get_by_role("link", name="Mi servicio").click()
    pagina.get_by_role("link", name=OSORNO).click()
    pagina.get_by_role(
        "button", name=f"Iniciar formulación {siguiente} a partir de la anterior"
    ).click()
    expect(pagina.locator("h1")).to_contain_text(f"año {siguiente}")
    revisar_accesibilidad(pagina)

    # A new compromiso with a hito and a promised medio.
    pagina.get_by_role("link", name="Agregar compromiso").click()
    pagina.locator("[name='compromiso-codigo']").fill("C10")
    pagina.locator("[name='compromiso-nombre']").fill(
        "Convenio de programación con el Gobierno Regional de Los Lagos"
    )
    pagina.locator("[name='compromiso-descripcion']").fill(
        "Diseñar y firmar el convenio de programación de inversiones."
    )
    pagina.locator("[name='compromiso-tipo_medida']").select_option("descentralizacion")
    pagina.locator("[name='compromiso-complejidad']").select_option("mediana")
    pagina.locator("[name='compromiso-ambito']").select_option("infraestructura")
    pagina.get_by_label("X Los Lagos", exact=True).check()
    pagina.locator("input[name='hitos-0-descripcion']").fill("Firma del convenio")
    pagina.locator("input[name='hitos-0-fecha_comprometida']").fill(f"{siguiente}-09-30")
    pagina.locator("input[name='medios-0-descripcion']").fill("Convenio firmado")
    revisar_accesibilidad(pagina)
    pagina.get_by_role("button", name="Guardar compromiso").click()
    expect(pagina.get_by_text("Compromiso C10 guardado.")).to_be_visible()
    expect(pagina.get_by_role("heading", name="C10 · Convenio de programación")).to_be_visible()

    # Send it; it is locked afterwards.
    pagina.get_by_role("link", name="Enviar a SUBDERE…").click()
    pagina.get_by_role("button", name="Sí, enviar a SUBDERE").click()
    expect(pagina.get_by_text("Formulación enviada a SUBDERE")).to_be_visible()
    expect(pagina.get_by_role("link", name="Agregar compromiso")).to_have_count(0)
    assert (
        FormulacionPMG.objects.get(servicio__nombre=OSORNO, proceso__anio=siguiente).estado
        == "enviado"
    )

    # This year's informe final: fill it, upload two medios to the first compromiso, send it.
    pagina.get_by_role("link", name="Inicio", exact=True).click()
    # A link when the informe already exists; a button that opens it otherwise.
    completar = pagina.get_by_role("link", name="Completar informe final")
    if not completar.count():
        completar = pagina.get_by_role("button", name="Completar informe final")
    completar.click()
    expect(pagina.locator("h1")).to_contain_text(f"Informe final {vigente.anio}")
    informe = InformeAvance.objects.get(
        formulacion__servicio__nombre=OSORNO, formulacion__proceso=vigente, periodo="final"
    )
    for avance in informe.avances.all():
        pagina.locator(f"input[name='avance-{avance.pk}-porcentaje']").fill("100")
        pagina.locator(f"textarea[name='avance-{avance.pk}-desarrollo_alcanzado']").fill(
            f"Se cumplió {avance.compromiso.codigo} con la firma del convenio."
        )
    pagina.locator("textarea[name='resumen-principales_logros']").fill(
        "Convenios firmados con el GORE."
    )
    pagina.get_by_role("button", name="Guardar borrador").click()
    expect(pagina.get_by_text("Borrador guardado.")).to_be_visible()

    primero = informe.avances.order_by("compromiso__codigo").first()
    acta, foto = tmp_path / "Acta mesa técnica.pdf", tmp_path / "Foto jornada.png"
    acta.write_bytes(pdf_minimo("Acta de la mesa técnica provincial"))
    foto.write_bytes(png_minimo(semilla=7))
    tarjeta = pagina.locator(f"#avance-{primero.pk}").locator("xpath=ancestor::section")
    tarjeta.locator("input[type=file][name='archivos']").set_input_files([str(acta), str(foto)])
    tarjeta.get_by_role("button", name="Subir").click()
    expect(
        pagina.get_by_text(f"2 archivos adjuntos a {primero.compromiso.codigo}.")
    ).to_be_visible()
    expect(pagina.get_by_role("link", name="Acta mesa técnica.pdf", exact=True)).to_be_visible()
    expect(pagina.get_by_role("link", name="Foto jornada.png", exact=True)).to_be_visible()
    assert MedioVerificacion.objects.filter(avance=primero, eliminado_en__isnull=True).count() == 2
    revisar_accesibilidad(pagina)

    pagina.get_by_role("button", name="Guardar y revisar envío…").click()
    justificacion = pagina.get_by_label(
        "Justificación de los medios comprometidos que no se adjuntan"
    )
    if justificacion.count():
        justificacion.fill(
            "Los convenios restantes se firman en enero; se adjuntarán en la validación."
        )
    pagina.get_by_role("button", name="Sí, enviar a SUBDERE").click()
    expect(pagina.get_by_text("Informe final enviado a SUBDERE.")).to_be_visible()
    expect(pagina.locator(".badge", has_text="Enviado").first).to_be_visible()
    expect(
        pagina.get_by_text("Enviado a SUBDERE: en modo lectura hasta su revisión.")
    ).to_be_visible()
    informe.refresh_from_db()
    assert informe.estado == "enviado"
