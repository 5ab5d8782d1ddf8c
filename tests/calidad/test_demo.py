"""The quality system's demo: one GORE per level, and its history dated in its own years."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from bitacora.models import Evento
from calidad.models import Acreditacion, Autoevaluacion, EstadoAutoevaluacion, PlanMejoras
from demo.calidad import PRIMEROS

pytestmark = pytest.mark.django_db


def test_la_demo_tiene_los_15_gore_de_2011_y_un_gore_por_nivel(referencias):
    call_command("demo", verbosity=0)
    assert Autoevaluacion.objects.filter(anio=2011).count() == 15
    assert Autoevaluacion.objects.filter(anio=2012).count() == 15
    niveles = dict(Acreditacion.objects.filter(anio=2011).values_list("servicio__nombre", "nivel"))
    assert niveles == {
        "Gobierno Regional de O'Higgins": "calidad",
        "Gobierno Regional del Maule": "avanzado",
        "Gobierno Regional del Biobío": "excelencia",
    }
    # The four that began in January 2011 complete it first (seed 002, slide 19).
    validadas = Autoevaluacion.objects.filter(anio=2011, estado="validada")
    primeras = validadas.filter(servicio__nombre__in=PRIMEROS)
    assert primeras.count() == 4
    ultima_de_las_primeras = max(a.validada_en for a in primeras)
    assert all(
        a.validada_en > ultima_de_las_primeras
        for a in validadas.exclude(servicio__nombre__in=PRIMEROS)
    )
    # Every validated autoevaluación of 2011 and 2012 of the four has its plan de mejoras.
    planes_2012 = dict(
        PlanMejoras.objects.filter(autoevaluacion__anio=2012).values_list(
            "autoevaluacion__servicio__nombre", "estado"
        )
    )
    assert planes_2012 == {
        "Gobierno Regional del Biobío": "validado",
        "Gobierno Regional del Maule": "validado",
        "Gobierno Regional de O'Higgins": "validado",
        "Gobierno Regional de La Araucanía": "observado",
    }
    en_ejecucion = PlanMejoras.objects.filter(
        autoevaluacion__anio=2012, medidas__avance__gt=0
    ).distinct()
    assert en_ejecucion.count() == 2
    assert all(p.medidas.exists() for p in PlanMejoras.objects.filter(autoevaluacion__anio=2012))
    # The demo GORE user's own 2012 autoevaluación waits for its last answer.
    los_lagos = Autoevaluacion.objects.get(servicio__nombre__endswith="Los Lagos", anio=2012)
    assert los_lagos.estado == EstadoAutoevaluacion.BORRADOR
    assert los_lagos.respuestas.filter(texto="").count() == 1
    # Every step of the quality system is dated in the year it belongs to (or just after).
    for evento in Evento.objects.filter(tipo_objeto__app_label="calidad"):
        assert timezone.localtime(evento.momento).year in (evento.anio, evento.anio + 1), evento
    # The informe de resultados of an early GORE says what the demo assumed.
    from django.contrib.auth import get_user_model

    from tests.reportes.conftest import generar, texto_de

    biobio = Autoevaluacion.objects.get(servicio__nombre__endswith="Biobío", anio=2012)
    jefatura = get_user_model().objects.get(username="jefatura")
    reporte = generar(jefatura, "calidad_pdf", anio=2012, servicio=biobio.servicio)
    assert reporte.estado == "listo", reporte.error
    texto = texto_de(reporte)
    assert (
        "Supuestos: la fuente no da el puntaje de los criterios 5, 6 y 7. Supuesto de la demo"
        in (texto)
    )
    assert "Sobre los elementos: Elemento de demostración: el seed no enumera los elementos." in (
        texto
    )
    assert "Nivel que alcanza Nivel Excelencia" in texto
    assert (
        "VI. 2011 frente a 2012" in texto
        and "V. Plan de Mejoras y su ejecución Estado: Validado." in texto
    )
