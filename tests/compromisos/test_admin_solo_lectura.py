"""The Django admin does not change what is under review or approved (no event would say so)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from compromisos.models import AvanceCompromiso, LineaFormulacion
from tests.conftest import cliente
from validacion.services import revision_transicionar

pytestmark = pytest.mark.django_db


def aprobar(documento, encargado, analista):
    documento = revision_transicionar(objeto=documento, accion="enviar", usuario=encargado)
    documento = revision_transicionar(objeto=documento, accion="tomar", usuario=analista)
    return revision_transicionar(objeto=documento, accion="aprobar", usuario=analista)


def test_el_avance_de_un_informe_aprobado_no_se_cambia_en_el_admin(
    informe_osorno, encargado, analista, admin
):
    aprobar(informe_osorno, encargado, analista)
    avance = informe_osorno.avances.first()
    url = reverse("admin:compromisos_avancecompromiso_change", args=[avance.pk])
    c = cliente(admin)
    pagina = c.get(url)
    assert pagina.status_code == 200
    assert 'name="porcentaje"' not in pagina.content.decode()
    respuesta = c.post(
        url,
        {
            "compromiso": avance.compromiso_id,
            "informe": avance.informe_id,
            "porcentaje": "5",
            "_save": "Guardar",
        },
    )
    assert respuesta.status_code == 403
    assert AvanceCompromiso.objects.get(pk=avance.pk).porcentaje == 30
    borrar = reverse("admin:compromisos_avancecompromiso_delete", args=[avance.pk])
    assert c.post(borrar, {"post": "yes"}).status_code == 403


def test_los_ponderadores_de_una_formulacion_aprobada_no_se_cambian_en_el_admin(
    formulacion_osorno, encargado, analista, admin
):
    aprobar(formulacion_osorno, encargado, analista)
    linea = formulacion_osorno.lineas.get()
    c = cliente(admin)
    url = reverse("admin:compromisos_lineaformulacion_change", args=[linea.pk])
    datos = {
        "formulacion": formulacion_osorno.pk,
        "area": linea.area,
        "sistema": linea.sistema,
        "etapa": "2",
        "prioridad": linea.prioridad,
        "ponderador": "50",
    }
    assert c.post(url, datos).status_code == 403
    # Nor through the formulación's own page, whose lines are an inline there.
    pagina = c.get(reverse("admin:compromisos_formulacionpmg_change", args=[formulacion_osorno.pk]))
    assert 'name="lineas-0-ponderador"' not in pagina.content.decode()
    # A new line cannot join the approved formulación either.
    respuesta = c.post(reverse("admin:compromisos_lineaformulacion_add"), datos)
    assert respuesta.status_code == 200
    assert "está en revisión o aprobado" in respuesta.content.decode()
    assert list(
        LineaFormulacion.objects.filter(formulacion=formulacion_osorno).values_list(
            "ponderador", flat=True
        )
    ) == [Decimal("100.00")]


def test_en_borrador_el_admin_sigue_editando(formulacion_osorno, admin):
    linea = formulacion_osorno.lineas.get()
    pagina = cliente(admin).get(
        reverse("admin:compromisos_lineaformulacion_change", args=[linea.pk])
    )
    assert 'name="ponderador"' in pagina.content.decode()


def test_el_borrado_masivo_no_se_ofrece(admin, formulacion_osorno):
    pagina = cliente(admin).get(reverse("admin:compromisos_lineaformulacion_changelist"))
    assert "delete_selected" not in pagina.content.decode()
