"""Two analysts act on the same informe at the same moment: one succeeds, the other is told."""

import threading

import pytest
from django.db import connections

from bitacora.models import Evento
from compromisos.models import InformeAvance
from validacion.services import TransicionNoPermitida, revision_transicionar

pytestmark = pytest.mark.django_db(transaction=True)


# On PostgreSQL the second waits on the row lock; on SQLite on the IMMEDIATE transaction.
def test_dos_analistas_a_la_vez_solo_uno_toma_el_informe(informe_osorno, encargado, analista):
    enviado = revision_transicionar(objeto=informe_osorno, accion="enviar", usuario=encargado)
    copias = [InformeAvance.objects.get(pk=enviado.pk) for _ in range(2)]
    barrera = threading.Barrier(2)
    resultados: list[str] = []

    def tomar(copia):
        try:
            barrera.wait()
            revision_transicionar(objeto=copia, accion="tomar", usuario=analista)
            resultados.append("ok")
        except TransicionNoPermitida as error:
            resultados.append(str(error))
        finally:
            connections.close_all()

    hilos = [threading.Thread(target=tomar, args=(copia,)) for copia in copias]
    for hilo in hilos:
        hilo.start()
    for hilo in hilos:
        hilo.join(timeout=30)

    assert sorted(resultados)[-1] == "ok" and resultados.count("ok") == 1, resultados
    assert any("Otra persona" in r for r in resultados)
    enviado.refresh_from_db()
    assert enviado.estado == "en_revision" and enviado.version == 3
    assert Evento.objects.filter(accion="informe.tomar", objeto_id=enviado.pk).count() == 1
