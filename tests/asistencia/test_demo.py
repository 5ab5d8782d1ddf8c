"""The demo's technical assistance: a 2011-style plan, consultas, contacts and documents."""

import pytest
from django.core import mail
from django.core.management import call_command

from asistencia.models import (
    Actividad,
    Acuerdo,
    Consulta,
    Contacto,
    DocumentoTecnico,
    LecturaDocumento,
    TipoActividad,
)

pytestmark = pytest.mark.django_db


def test_la_demo_trae_el_plan_y_no_se_duplica(referencias):
    call_command("demo", anio=2026, verbosity=0)
    jornada = Actividad.objects.get(tipo=TipoActividad.JORNADA, anio=2026)
    assert jornada.inicio.month == 1 and jornada.estado == Actividad.Estado.REALIZADA
    assert jornada.convocados.count() >= 2 and jornada.acta
    assert Actividad.objects.filter(tipo=TipoActividad.MESA_TECNICA).exists()
    assert Actividad.objects.filter(tipo=TipoActividad.DIPRES).exists()
    assert Acuerdo.objects.filter(cerrado_en__isnull=True).exists()
    assert Acuerdo.objects.filter(cerrado_en__isnull=False).exists()
    assert set(Consulta.objects.values_list("estado", flat=True)) == {"pendiente", "respondida"}
    assert Consulta.objects.filter(publicada_en__isnull=False).count() == 1
    assert Contacto.objects.count() == 3
    assert DocumentoTecnico.objects.filter(publicado_en__isnull=False).count() == 4
    assert LecturaDocumento.objects.count() == 1
    assert mail.outbox == []  # nobody is told about demo data
    call_command("demo", anio=2026, verbosity=0)
    assert Actividad.objects.filter(tipo=TipoActividad.JORNADA).count() == 1
