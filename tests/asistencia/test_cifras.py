"""The figures: coverage by channel, attendance, open acuerdos and consultas, response times,
and assistance beside results per servicio."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from asistencia import selectors, services
from compromisos.models import EstadoRevision, InformeAvance
from tests.conftest import cliente

pytestmark = pytest.mark.django_db


def test_cifras_del_anio(formulacion_osorno, formulacion_llanquihue, encargado, analista):
    osorno = formulacion_osorno.servicio
    for canal in ("llamada", "llamada", "correo"):
        services.contacto_registrar(
            servicio=osorno,
            anio=2026,
            canal=canal,
            fecha=datetime.date(2026, 7, 1),
            tema="t",
            usuario=analista,
        )
    respondida = services.consulta_crear(
        servicio=osorno, anio=2026, asunto="A", texto="T", usuario=encargado
    )
    services.consulta_escribir(consulta=respondida, texto="R", usuario=analista)
    services.consulta_crear(
        servicio=osorno,
        anio=2026,
        asunto="B",
        texto="T",
        usuario=encargado,
        hoy=timezone.localdate() - datetime.timedelta(days=30),
    )
    inicio = timezone.make_aware(datetime.datetime(2026, 7, 20, 10))
    actividad = services.actividad_planificar(
        usuario=analista,
        anio=2026,
        tipo="jornada",
        tema="J",
        inicio=inicio,
        fin=inicio,
        responsable=analista,
        servicios=[osorno, formulacion_llanquihue.servicio],
    )
    convocado = actividad.convocados.get(servicio=osorno)
    ana = services.inscripcion_crear(convocado=convocado, nombre="Ana", usuario=encargado)
    services.inscripcion_crear(convocado=convocado, nombre="Eva", usuario=encargado)
    services.asistencia_registrar(actividad=actividad, presentes=[ana.pk], usuario=analista)
    services.acuerdo_crear(
        actividad=actividad,
        descripcion="A",
        responsable="R",
        plazo=datetime.date(2026, 7, 31),
        usuario=analista,
    )
    InformeAvance.objects.create(
        formulacion=formulacion_osorno,
        periodo="avance_1",
        estado=EstadoRevision.APROBADO,
        enviado_en=timezone.now(),
        es_atrasado=True,
    )

    cifras = selectors.cifras(anio=2026)
    por_canal = {
        fila["nombre"]: (fila["total"], fila["servicios"]) for fila in cifras["contactos_por_canal"]
    }
    assert por_canal == {"Llamada telefónica": (2, 1), "Correo electrónico": (1, 1)}
    assert cifras["consultas"]["total"] == 2
    assert cifras["consultas"]["pendientes"] == cifras["consultas"]["vencidas"] == 1
    assert cifras["consultas"]["en_plazo"] == cifras["consultas"]["respondidas"] == 1
    assert cifras["consultas"]["habiles_medio"] == 0
    assert cifras["inscripciones"] == {"inscritas": 2, "registradas": 2, "presentes": 1}
    assert cifras["convocatorias"] == {"total": 2, "con_asistentes": 1}
    assert cifras["acuerdos"] == {"total": 1, "abiertos": 1, "vencidos": 1}

    filas = {s.nombre: s for s in selectors.asistencia_y_resultados(anio=2026)}
    fila = filas[osorno.nombre]
    assert (fila.contactos_total, fila.actividades_asistidas, fila.consultas_total) == (3, 1, 2)
    assert (fila.informes_enviados, fila.informes_atrasados, fila.informes_aprobados) == (1, 1, 1)
    assert fila.ultimo_contacto == datetime.date(2026, 7, 1)
    otra = filas[formulacion_llanquihue.servicio.nombre]
    assert (otra.contactos_total, otra.actividades_asistidas, otra.informes_enviados) == (0, 0, 0)

    pagina = cliente(analista).get(reverse("asistencia:cifras") + "?anio=2026")
    assert "Llamada telefónica" in pagina.content.decode()
