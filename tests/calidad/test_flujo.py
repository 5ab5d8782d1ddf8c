"""The quality system end to end through its services: model, autoevaluación, evaluation,
validation, plan de mejoras, accreditation; each step logged and the next person told."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from bitacora.models import Evento, Notificacion
from calidad import services
from calidad.models import (
    Criterio,
    EstadoAutoevaluacion,
    EstadoPlan,
    MedidaMejora,
    ModeloGestion,
    NivelAcreditacion,
)
from calidad.services import TransicionNoPermitida
from demo.archivos import pdf_minimo
from tests.calidad.conftest import ANIO_CALIDAD, calificar_todo, crear_modelo, responder_todo

pytestmark = pytest.mark.django_db


def test_un_modelo_que_no_suma_500_no_se_activa_y_se_dice_por_que(admin):
    modelo = ModeloGestion.objects.create(anio=2030)
    for numero, puntaje in [(1, 45), (2, 40), (3, 60), (4, 75), (8, 100)]:
        Criterio.objects.create(modelo=modelo, numero=numero, nombre="C", puntaje_maximo=puntaje)
    with pytest.raises(ValidationError) as error:
        services.modelo_activar(modelo=modelo, usuario=admin)
    assert "suman 320; deben sumar 500" in " ".join(error.value.messages)
    modelo.refresh_from_db()
    assert not modelo.es_activo


def test_un_modelo_completo_se_activa_y_queda_registrado(admin):
    modelo = crear_modelo(2030, admin)
    assert modelo.es_activo
    assert Evento.objects.filter(accion="modelo.activar", anio=2030).exists()


def test_solo_un_gobierno_regional_tiene_autoevaluacion(modelo, osorno, encargado):
    with pytest.raises(ValidationError, match="Solo los gobiernos regionales"):
        services.autoevaluacion_iniciar(servicio=osorno, anio=ANIO_CALIDAD, usuario=encargado)


def test_el_equipo_de_otro_gore_no_inicia_la_autoevaluacion_ajena(modelo, gore, equipo_otro):
    with pytest.raises(PermissionDenied):
        services.autoevaluacion_iniciar(servicio=gore, anio=ANIO_CALIDAD, usuario=equipo_otro)


def test_no_se_envia_con_elementos_sin_responder(autoevaluacion, equipo_gore):
    with pytest.raises(TransicionNoPermitida, match="Faltan 16 elementos por responder"):
        services.documento_transicionar(objeto=autoevaluacion, accion="enviar", usuario=equipo_gore)


def test_el_recorrido_completo_con_avisos_y_registro(
    autoevaluacion, equipo_gore, evaluador, analista_calidad
):
    responder_todo(autoevaluacion, equipo_gore, nivel=4)
    enviada = services.documento_transicionar(
        objeto=autoevaluacion, accion="enviar", usuario=equipo_gore
    )
    assert enviada.estado == EstadoAutoevaluacion.ENVIADA and enviada.ronda == 1
    assert Notificacion.objects.filter(destinatario=evaluador).count() == 1

    # The evaluador returns it with remarks (round 1); the GORE sends it again (round 2).
    with pytest.raises(TransicionNoPermitida, match="Escriba las observaciones"):
        services.documento_transicionar(objeto=enviada, accion="observar", usuario=evaluador)
    observada = services.documento_transicionar(
        objeto=enviada, accion="observar", usuario=evaluador, comentario="Falta evidencia."
    )
    assert observada.observaciones.get().ronda == 1
    assert Notificacion.objects.filter(destinatario=equipo_gore).count() == 1
    enviada = services.documento_transicionar(
        objeto=observada, accion="enviar", usuario=equipo_gore
    )
    assert enviada.ronda == 2

    with pytest.raises(TransicionNoPermitida, match="por calificar"):
        services.documento_transicionar(objeto=enviada, accion="evaluar", usuario=evaluador)
    calificar_todo(enviada, evaluador, nivel=3)
    evaluada = services.documento_transicionar(objeto=enviada, accion="evaluar", usuario=evaluador)
    assert Notificacion.objects.filter(destinatario=analista_calidad).count() == 1

    validada = services.documento_transicionar(
        objeto=evaluada, accion="validar", usuario=analista_calidad
    )
    # Level 3 of 5 on every element: 3/5 of 500.
    assert validada.puntaje_validado == Decimal("300.00")
    assert validada.estado == EstadoAutoevaluacion.VALIDADA
    acciones = list(
        Evento.objects.filter(objeto_id=validada.pk, accion__startswith="autoevaluacion.")
        .exclude(accion__in=["autoevaluacion.editar", "autoevaluacion.calificar"])
        .values_list("accion", flat=True)
        .order_by("pk")
    )
    assert acciones == [
        "autoevaluacion.iniciar",
        "autoevaluacion.enviar",
        "autoevaluacion.observar",
        "autoevaluacion.enviar",
        "autoevaluacion.evaluar",
        "autoevaluacion.validar",
    ]


def test_los_roles_equivocados_no_avanzan_la_autoevaluacion(
    autoevaluacion, equipo_gore, evaluador, analista_calidad, jefatura, consultora
):
    responder_todo(autoevaluacion, equipo_gore)
    for persona in (evaluador, analista_calidad, jefatura, consultora):
        with pytest.raises(PermissionDenied):
            services.documento_transicionar(objeto=autoevaluacion, accion="enviar", usuario=persona)
    enviada = services.documento_transicionar(
        objeto=autoevaluacion, accion="enviar", usuario=equipo_gore
    )
    for persona in (equipo_gore, analista_calidad, jefatura):
        with pytest.raises(PermissionDenied):
            services.respuesta_calificar(
                respuesta=enviada.respuestas.first(),
                nivel_evaluado=3,
                observacion="",
                usuario=persona,
            )


def test_un_evaluador_de_otro_anio_no_califica(autoevaluacion, equipo_gore, gore):
    from servicios.models import Cartera
    from tests.conftest import crear_usuario

    otro = crear_usuario("evaluador_2012", "evaluador")
    Cartera.objects.create(anio=2012, rol=Cartera.Rol.EVALUADOR, usuario=otro, servicio=gore)
    responder_todo(autoevaluacion, equipo_gore)
    services.documento_transicionar(objeto=autoevaluacion, accion="enviar", usuario=equipo_gore)
    with pytest.raises(PermissionDenied, match="no está asignado"):
        services.respuesta_calificar(
            respuesta=autoevaluacion.respuestas.first(),
            nivel_evaluado=3,
            observacion="",
            usuario=otro,
        )


def test_no_se_edita_una_autoevaluacion_enviada(autoevaluacion, equipo_gore):
    responder_todo(autoevaluacion, equipo_gore)
    services.documento_transicionar(objeto=autoevaluacion, accion="enviar", usuario=equipo_gore)
    with pytest.raises(ValidationError, match="no se edita ahora"):
        services.respuesta_guardar(
            respuesta=autoevaluacion.respuestas.first(),
            texto="Otro texto",
            nivel_propuesto=5,
            usuario=equipo_gore,
        )


def test_los_medios_siguen_las_reglas_de_subida_y_no_se_duplican(autoevaluacion, equipo_gore):
    respuesta = autoevaluacion.respuestas.first()
    contenido = pdf_minimo("calidad")
    medio = services.medio_subir(
        respuesta=respuesta,
        archivo=SimpleUploadedFile("acta.pdf", contenido),
        usuario=equipo_gore,
    )
    assert medio.nombre_original == "acta.pdf"
    assert "acta" not in medio.archivo.name
    with pytest.raises(ValidationError, match="ya está adjunto"):
        services.medio_subir(
            respuesta=respuesta,
            archivo=SimpleUploadedFile("copia.pdf", contenido),
            usuario=equipo_gore,
        )
    with pytest.raises(ValidationError, match="no se pudo leer su contenido"):
        services.medio_subir(
            respuesta=respuesta,
            archivo=SimpleUploadedFile("falso.pdf", b"PK\x03\x04 esto no es un pdf"),
            usuario=equipo_gore,
        )


def _plan_con_medidas(validada, equipo_gore, puntos: Decimal):
    plan = services.plan_crear(autoevaluacion=validada, usuario=equipo_gore)
    services.plan_metodologia_guardar(
        plan=plan, metodologia="Comité de calidad.", usuario=equipo_gore
    )
    restante = puntos
    from calidad.selectors import brechas

    for respuesta in brechas(validada):
        if restante <= 0:
            break
        esperado = min(respuesta.brecha, restante)
        services.medida_crear(
            plan=plan,
            elemento=respuesta.elemento,
            descripcion="Cerrar la brecha",
            tipo=MedidaMejora.Tipo.INMEDIATA,
            responsable="División de Planificación",
            plazo=datetime.date(2012, 6, 30),
            costo=1_000_000,
            metodologia="",
            puntaje_esperado=esperado,
            usuario=equipo_gore,
        )
        restante -= esperado
    return plan


def test_brechas_ordenadas_de_la_mayor_a_la_menor(validada):
    from calidad.selectors import brechas

    lista = list(brechas(validada))
    # Level 2 of 5 everywhere: each gap is 3/5 of the element's maximum; criterion 8 first.
    assert lista[0].elemento.criterio.numero == 8
    assert [r.brecha for r in lista] == sorted((r.brecha for r in lista), reverse=True)


def test_una_medida_no_promete_mas_que_la_brecha(validada, equipo_gore):
    plan = services.plan_crear(autoevaluacion=validada, usuario=equipo_gore)
    elemento = validada.respuestas.first().elemento
    with pytest.raises(ValidationError, match="brecha de"):
        services.medida_crear(
            plan=plan,
            elemento=elemento,
            descripcion="Demasiado",
            tipo=MedidaMejora.Tipo.LARGO,
            responsable="Nadie",
            plazo=datetime.date(2013, 1, 1),
            costo=0,
            metodologia="",
            puntaje_esperado=elemento.puntaje_maximo,
            usuario=equipo_gore,
        )


def test_el_nivel_calidad_exige_el_plan_validado(validada, equipo_gore, analista_calidad):
    # 200 points validated and no plan: no level.
    with pytest.raises(ValidationError, match="no alcanza un nivel"):
        services.acreditacion_registrar(
            autoevaluacion=validada,
            fecha=datetime.date(2011, 12, 1),
            resolucion="Res. Ex. 1",
            usuario=analista_calidad,
        )
    plan = _plan_con_medidas(validada, equipo_gore, Decimal("110"))
    from calidad.selectors import resumen_plan

    assert resumen_plan(plan)["alcanza_meta"]  # 200 + 110 ≥ 300 on paper
    plan = services.documento_transicionar(objeto=plan, accion="enviar", usuario=equipo_gore)
    plan = services.documento_transicionar(
        objeto=plan, accion="observar", usuario=analista_calidad, comentario="Precise costos."
    )
    plan = services.documento_transicionar(objeto=plan, accion="enviar", usuario=equipo_gore)
    plan = services.documento_transicionar(objeto=plan, accion="validar", usuario=analista_calidad)
    assert plan.estado == EstadoPlan.VALIDADO
    acreditacion = services.acreditacion_registrar(
        autoevaluacion=validada,
        fecha=datetime.date(2011, 12, 1),
        resolucion="Res. Ex. 1",
        usuario=analista_calidad,
    )
    assert acreditacion.nivel == NivelAcreditacion.CALIDAD
    assert acreditacion.puntaje == Decimal("200.00")

    medida = plan.medidas.first()
    services.medida_avanzar(medida=medida, avance=50, comentario="", usuario=equipo_gore)
    with pytest.raises(ValidationError, match="no se registra uno menor"):
        services.medida_avanzar(medida=medida, avance=20, comentario="", usuario=equipo_gore)


def test_un_plan_que_no_llega_a_300_lo_dice(validada, equipo_gore):
    from calidad.selectors import resumen_plan

    plan = _plan_con_medidas(validada, equipo_gore, Decimal("50"))
    resumen = resumen_plan(plan)
    assert resumen["alcanzable"] == Decimal("250.00")
    assert not resumen["alcanza_meta"]


def test_los_criterios_de_un_modelo_activo_no_se_modifican(modelo):
    criterio = modelo.criterios.first()
    criterio.puntaje_maximo = 50
    with pytest.raises(ValidationError, match="ya está activo"):
        criterio.full_clean()
    elemento = criterio.elementos.first()
    with pytest.raises(ValidationError, match="ya está activo"):
        elemento.full_clean()


def test_el_admin_activa_desde_la_lista_o_explica_por_que_no(admin):
    from tests.conftest import cliente

    incompleto = ModeloGestion.objects.create(anio=2031)
    Criterio.objects.create(modelo=incompleto, numero=1, nombre="Liderazgo", puntaje_maximo=45)
    respuesta = cliente(admin).post(
        "/admin/calidad/modelogestion/",
        {"action": "activar", "_selected_action": [incompleto.pk]},
        follow=True,
    )
    assert "no se activó: Los puntajes de los criterios suman 45" in respuesta.content.decode()
    incompleto.refresh_from_db()
    assert not incompleto.es_activo
