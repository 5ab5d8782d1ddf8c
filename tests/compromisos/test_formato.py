"""Template helpers of srm_formato."""

import pytest
from django.urls import clear_script_prefix, reverse, set_script_prefix

from compromisos.templatetags.srm_formato import url_id


@pytest.mark.parametrize(
    "nombre",
    ["compromisos:medio_descargar", "validacion:medio_calificar", "validacion:informe_revisar"],
)
@pytest.mark.parametrize("pk", [1, 7, 918, 918273645, 12345678901])
def test_url_id_es_la_misma_direccion_que_reverse(nombre, pk):
    assert url_id(nombre, pk) == reverse(nombre, args=[pk])


def test_url_id_respeta_el_prefijo_del_sitio():
    url_id("compromisos:medio_descargar", 3)  # kept for the root prefix
    set_script_prefix("/srm/")
    try:
        assert url_id("compromisos:medio_descargar", 3) == "/srm/compromisos/medios/3/descargar/"
    finally:
        clear_script_prefix()
    assert url_id("compromisos:medio_descargar", 3) == "/compromisos/medios/3/descargar/"
