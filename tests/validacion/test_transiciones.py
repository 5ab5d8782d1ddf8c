"""State transitions: who may move what, from where, once, with a log line."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from bitacora.models import Evento
from compromisos.models import EstadoRevision as E
from compromisos.models import InformeAvance
from tests.conftest import observar
from validacion.services import TransicionNoPermitida, observacion_resolver, revision_transicionar

pytestmark = pytest.mark.django_db


def transicionar(informe, accion, usuario, **extra):
    return revision_transicionar(objeto=informe, accion=accion, usuario=usuario, **extra)


def test_ciclo_completo_enviar_tomar_observar_reenviar_aprobar(informe_osorno, encargado, analista):
    informe = transicionar(informe_osorno, "enviar", encargado)
    informe = transicionar(informe, "tomar", analista)
    informe = observar(informe, analista, "Falta el acta firmada.")
    informe = transicionar(informe, "enviar", encargado)
    informe = transicionar(informe, "tomar", analista)
    # The remark still open must be settled (or closed with a reason) before approving.
    observacion_resolver(observacion=informe.observaciones.get(), usuario=analista)
    informe = transicionar(informe, "aprobar", analista)
    assert informe.estado == E.APROBADO
    eventos = Evento.objects.filter(objeto_id=informe.pk, accion__startswith="informe.").order_by(
        "momento", "pk"
    )
    assert [(e.desde, e.hacia) for e in eventos] == [
        ("borrador", "enviado"),
        ("enviado", "en_revision"),
        ("en_revision", "observado"),
        ("observado", "enviado"),
        ("enviado", "en_revision"),
        ("en_revision", "aprobado"),
    ]
    assert informe.observaciones.get().texto == "Falta el acta firmada."
    assert (
        eventos[0].usuario == encargado
        and eventos[0].servicio_id == informe.formulacion.servicio_id
    )


@pytest.mark.parametrize(
    ("persona", "accion"),
    [
        ("analista", "enviar"),
        ("jefatura", "enviar"),
        ("consultora", "enviar"),
        ("encargado_otro", "enviar"),
        ("encargado", "tomar"),
        ("analista_otro", "tomar"),
        ("jefatura", "tomar"),
    ],
)
def test_rol_o_servicio_equivocado_no_cambia_nada(
    request, informe_osorno, encargado, persona, accion
):
    if accion == "tomar":
        informe_osorno = transicionar(informe_osorno, "enviar", encargado)
    usuario = request.getfixturevalue(persona)
    estado_antes = informe_osorno.estado
    eventos_antes = Evento.objects.count()
    with pytest.raises(PermissionDenied):
        transicionar(informe_osorno, accion, usuario)
    informe_osorno.refresh_from_db()
    assert informe_osorno.estado == estado_antes
    assert Evento.objects.count() == eventos_antes


def test_estado_equivocado_se_explica_y_no_cambia_nada(informe_osorno, analista):
    with pytest.raises(TransicionNoPermitida, match="«aprobar» un documento en estado «borrador»"):
        transicionar(informe_osorno, "aprobar", analista)
    informe_osorno.refresh_from_db()
    assert informe_osorno.estado == E.BORRADOR


def test_segunda_persona_con_version_vieja_es_avisada(informe_osorno, encargado, analista):
    enviado = transicionar(informe_osorno, "enviar", encargado)
    copia_de_otro_analista = InformeAvance.objects.get(pk=enviado.pk)
    transicionar(enviado, "tomar", analista)
    with pytest.raises(TransicionNoPermitida, match="Otra persona"):
        transicionar(copia_de_otro_analista, "tomar", analista)
    assert Evento.objects.filter(accion="informe.tomar").count() == 1


def test_envio_despues_del_plazo_queda_marcado(informe_osorno, encargado):
    tarde = timezone.make_aware(datetime.datetime(2026, 7, 2, 10, 0))
    informe = transicionar(informe_osorno, "enviar", encargado, momento=tarde)
    assert informe.es_atrasado and informe.enviado_en == tarde


def test_envio_dentro_del_plazo_o_de_la_prorroga(informe_osorno, encargado):
    InformeAvance.objects.filter(pk=informe_osorno.pk).update(
        prorroga_hasta=datetime.date(2026, 7, 10)
    )
    informe_osorno.refresh_from_db()
    informe = transicionar(
        informe_osorno,
        "enviar",
        encargado,
        momento=timezone.make_aware(datetime.datetime(2026, 7, 9, 23, 0)),
    )
    assert not informe.es_atrasado


def test_solo_admin_reabre_un_informe_aprobado(informe_osorno, encargado, analista, admin):
    informe = transicionar(informe_osorno, "enviar", encargado)
    informe = transicionar(informe, "tomar", analista)
    informe = transicionar(informe, "aprobar", analista)
    with pytest.raises(PermissionDenied):
        transicionar(informe, "reabrir", analista)
    with pytest.raises(TransicionNoPermitida, match="por qué se reabre"):
        transicionar(informe, "reabrir", admin)
    reabierto = transicionar(informe, "reabrir", admin, comentario="Error en el acta aprobada.")
    assert reabierto.estado == E.OBSERVADO


def test_formulacion_sigue_el_mismo_ciclo(formulacion_osorno, encargado, analista):
    formulacion = revision_transicionar(
        objeto=formulacion_osorno, accion="enviar", usuario=encargado
    )
    assert formulacion.estado == E.ENVIADO and formulacion.enviada_en is not None
    formulacion = revision_transicionar(objeto=formulacion, accion="tomar", usuario=analista)
    assert (
        revision_transicionar(objeto=formulacion, accion="aprobar", usuario=analista).estado
        == E.APROBADO
    )


class TestRegistroSoloAgrega:
    def test_un_evento_no_se_modifica(self, informe_osorno, encargado):
        transicionar(informe_osorno, "enviar", encargado)
        evento = Evento.objects.get()
        evento.accion = "otra"
        with pytest.raises(TypeError):
            evento.save()
        with pytest.raises(TypeError):
            evento.delete()

    def test_ni_en_bloque(self, informe_osorno, encargado):
        transicionar(informe_osorno, "enviar", encargado)
        with pytest.raises(TypeError):
            Evento.objects.all().update(accion="otra")
        with pytest.raises(TypeError):
            Evento.objects.all().delete()
        assert Evento.objects.get().accion == "informe.enviar"


def test_reenviar_una_correccion_fuera_de_plazo_no_cambia_la_marca(
    informe_osorno, encargado, analista
):
    a_tiempo = timezone.make_aware(datetime.datetime(2026, 6, 29, 10, 0))
    informe = transicionar(informe_osorno, "enviar", encargado, momento=a_tiempo)
    informe = transicionar(informe, "tomar", analista)
    informe = observar(informe, analista)
    despues = timezone.make_aware(datetime.datetime(2026, 7, 20, 10, 0))
    informe = transicionar(informe, "enviar", encargado, momento=despues)
    assert not informe.es_atrasado


def test_observar_exige_una_observacion_abierta(informe_osorno, encargado, analista):
    informe = transicionar(informe_osorno, "enviar", encargado)
    informe = transicionar(informe, "tomar", analista)
    with pytest.raises(TransicionNoPermitida, match="al menos una observación abierta"):
        transicionar(informe, "observar", analista)
    informe.refresh_from_db()
    assert informe.estado == E.EN_REVISION


def test_devolver_la_formulacion_exige_decir_que_corregir(formulacion_osorno, encargado, analista):
    formulacion = revision_transicionar(
        objeto=formulacion_osorno, accion="enviar", usuario=encargado
    )
    formulacion = revision_transicionar(objeto=formulacion, accion="tomar", usuario=analista)
    with pytest.raises(TransicionNoPermitida, match="escriba al menos una observación abierta"):
        revision_transicionar(objeto=formulacion, accion="observar", usuario=analista)
    devuelta = revision_transicionar(
        objeto=formulacion, accion="observar", usuario=analista, comentario="Falta el sistema SIAC."
    )
    assert devuelta.estado == E.OBSERVADO
    assert Evento.objects.get(accion="formulacion.observar").detalle == {
        "comentario": "Falta el sistema SIAC."
    }
    # The comentario became an observación on the whole formulación, for the servicio to answer.
    assert devuelta.observaciones.get().texto == "Falta el sistema SIAC."


def test_cada_envio_y_la_aprobacion_dejan_una_instantanea(informe_osorno, encargado, analista):
    from compromisos.models import Instantanea

    informe = transicionar(informe_osorno, "enviar", encargado)
    informe = transicionar(informe, "tomar", analista)
    informe = observar(informe, analista)
    avance = informe.avances.first()
    avance.porcentaje = 80
    avance.save()
    informe = transicionar(informe, "enviar", encargado)
    informe = transicionar(informe, "tomar", analista)
    informe = transicionar(informe, "aprobar", analista, motivo_cierre="Corregido en la ronda 2.")
    instantaneas = list(Instantanea.objects.filter(informe=informe).order_by("momento", "pk"))
    assert [(i.motivo, i.ronda) for i in instantaneas] == [
        ("envio", 1),
        ("envio", 2),
        ("aprobacion", 2),
    ]
    codigo = avance.compromiso.codigo
    assert instantaneas[0].contenido["avances"][codigo]["porcentaje"] == 30
    assert instantaneas[2].contenido["avances"][codigo]["porcentaje"] == 80
    medio = avance.medios.get()
    assert (
        instantaneas[2].contenido["avances"][codigo]["medios"][medio.sha256]["nombre"]
        == medio.nombre_original
    )


def test_cada_accion_registrada_tiene_descripcion_legible():
    from bitacora.acciones import describir
    from compromisos.models import ACCIONES_DE_MODALIDAD, TRANSICIONES, Modalidad
    from srm.permisos import REGLAS

    # A formulación is always reviewed; an informe may be certified or only received.
    for prefijo, modalidades in (
        ("formulacion", [Modalidad.REVISION]),
        ("informe", list(Modalidad)),
    ):
        usadas = set().union(*(ACCIONES_DE_MODALIDAD[m] for m in modalidades))
        for _, accion in TRANSICIONES:
            if accion in usadas:
                assert describir(f"{prefijo}.{accion}") != f"{prefijo}.{accion}"
                assert f"{prefijo}.{accion}" in REGLAS
    assert {accion for _, accion in TRANSICIONES} == set().union(*ACCIONES_DE_MODALIDAD.values())
    assert "observacion.responder" in REGLAS
    assert describir("observacion.responder") == "respondió una observación"
