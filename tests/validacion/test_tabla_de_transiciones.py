"""Every action, from every state, by every persona: allowed exactly where the rules say."""

import itertools

import pytest
from django.core.exceptions import PermissionDenied

from bitacora.models import Evento
from compromisos.models import EstadoRevision as E
from validacion.services import TransicionNoPermitida, observacion_crear, revision_transicionar

pytestmark = pytest.mark.django_db

# Written out by hand from the issue, not derived from the code under test.
QUIEN_PUEDE = {
    "enviar": {"encargado"},
    "tomar": {"analista"},
    "observar": {"analista"},
    "aprobar": {"analista"},
    "reabrir": {"admin"},
}
DESDE_DONDE = {
    ("borrador", "enviar"): "enviado",
    ("observado", "enviar"): "enviado",
    ("enviado", "tomar"): "en_revision",
    ("en_revision", "observar"): "observado",
    ("en_revision", "aprobar"): "aprobado",
    ("aprobado", "reabrir"): "observado",
}
CAMINO = {
    E.BORRADOR: [],
    E.ENVIADO: ["enviar"],
    E.EN_REVISION: ["enviar", "tomar"],
    E.OBSERVADO: ["enviar", "tomar", "observar"],
    E.APROBADO: ["enviar", "tomar", "aprobar"],
}
PERSONAS = [
    "encargado",
    "encargado_otro",
    "analista",
    "analista_otro",
    "consultora",
    "jefatura",
    "admin",
]


def llevar(informe, estado, encargado, analista):
    for accion in CAMINO[estado]:
        if accion == "observar":
            observacion_crear(informe=informe, texto="Corrija.", usuario=analista)
        actor = encargado if accion == "enviar" else analista
        informe = revision_transicionar(objeto=informe, accion=accion, usuario=actor)
    return informe


@pytest.mark.parametrize(
    ("estado", "accion", "persona"),
    list(itertools.product(CAMINO, QUIEN_PUEDE, PERSONAS)),
)
def test_transicion(
    request, informe_osorno, encargado, encargado_otro, analista, estado, accion, persona
):
    informe = llevar(informe_osorno, estado, encargado, analista)
    if accion == "observar" and informe.estado == E.EN_REVISION:
        observacion_crear(informe=informe, texto="Falta el acta.", usuario=analista)
    usuario = request.getfixturevalue(persona)
    ultimo_evento = Evento.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    permitido = persona in QUIEN_PUEDE[accion] and (estado, accion) in DESDE_DONDE

    if permitido:
        resultado = revision_transicionar(
            objeto=informe, accion=accion, usuario=usuario, comentario="Motivo."
        )
        assert resultado.estado == DESDE_DONDE[(estado, accion)]
        assert Evento.objects.filter(accion=f"informe.{accion}").exists()
    else:
        with pytest.raises((PermissionDenied, TransicionNoPermitida)):
            revision_transicionar(
                objeto=informe, accion=accion, usuario=usuario, comentario="Motivo."
            )
        informe.refresh_from_db()
        assert informe.estado == estado
        assert not Evento.objects.filter(pk__gt=ultimo_evento).exists()
