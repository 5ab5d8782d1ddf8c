"""Saving a draft in one tab while another tab sends the informe: a message, never a 500."""

import json

import pytest
from django.db import connection
from django.urls import reverse

from compromisos.models import InformeAvance
from tests.compromisos.test_portal_informes import aprobada, datos_avances, informe  # noqa: F401
from tests.conftest import cliente
from validacion.services import revision_transicionar

pytestmark = pytest.mark.django_db

TEXTO = "Texto escrito en la otra pestaña que no debe perderse"


def guardar(c, abierto: InformeAvance, **extra):
    avance = abierto.avances.first()
    datos = datos_avances(abierto, **{f"avance-{avance.pk}-desarrollo_alcanzado": TEXTO})
    return c.post(reverse("compromisos:informe_editar", args=[abierto.pk]), datos, **extra)


class EnviarAlLeerDentroDelServicio:
    """Sends the informe just before the save service reads it locked: the race of two tabs.

    The send runs for real, on this connection, when the first query on the informe inside a
    transaction of the service is about to run, so the view has already seen a draft.
    """

    def __init__(self, abierto: InformeAvance, encargado) -> None:
        self.informe, self.encargado, self.hecho = abierto, encargado, False
        self.profundidad = len(connection.savepoint_ids)

    def __call__(self, execute, sql, params, many, context):
        dentro_del_servicio = len(connection.savepoint_ids) > self.profundidad
        if (
            not self.hecho
            and dentro_del_servicio
            and sql.lstrip().upper().startswith("SELECT")
            and '"compromisos_informeavance"' in sql
        ):
            self.hecho = True
            revision_transicionar(objeto=self.informe, accion="enviar", usuario=self.encargado)
        return execute(sql, params, many, context)


def test_guardar_despues_de_enviar_muestra_lo_escrito_y_no_guarda(informe, encargado):  # noqa: F811
    c = cliente(encargado)
    revision_transicionar(objeto=informe, accion="enviar", usuario=encargado)
    respuesta = guardar(c, informe)
    assert respuesta.status_code == 409
    contenido = respuesta.content.decode()
    assert "El informe ya fue enviado; sus cambios no se guardaron" in contenido
    assert TEXTO in contenido
    assert not informe.avances.filter(desarrollo_alcanzado=TEXTO).exists()


def test_guardar_en_el_mismo_instante_del_envio_no_da_500(informe, encargado):  # noqa: F811
    c = cliente(encargado)
    enviar = EnviarAlLeerDentroDelServicio(informe, encargado)
    with connection.execute_wrapper(enviar):
        respuesta = guardar(c, informe)
    assert enviar.hecho
    assert respuesta.status_code == 409
    contenido = respuesta.content.decode()
    assert "El informe ya fue enviado; sus cambios no se guardaron" in contenido
    assert TEXTO in contenido
    # (The send ran inside the save's transaction here, so its rollback undid both.)
    assert not informe.avances.filter(desarrollo_alcanzado=TEXTO).exists()


def test_el_guardado_previo_a_una_subida_informa_el_envio(informe, encargado):  # noqa: F811
    c = cliente(encargado)
    enviar = EnviarAlLeerDentroDelServicio(informe, encargado)
    with connection.execute_wrapper(enviar):
        respuesta = guardar(c, informe, headers={"X-Requested-With": "XMLHttpRequest"})
    assert respuesta.status_code == 409
    datos = json.loads(respuesta.content)
    assert datos["guardado"] is False
    assert "ya fue enviado" in datos["error"]
