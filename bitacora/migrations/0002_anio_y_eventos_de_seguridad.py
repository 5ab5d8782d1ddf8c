"""Events carry their PMG year (for the log page's filters and the analista's cartera), and
security events may name no object. Existing rows get the year of the object they name."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery

# The objects logged so far, and where each finds its year.
RUTAS_ANIO = {
    ("compromisos", "proceso"): "anio",
    ("compromisos", "formulacionpmg"): "proceso__anio",
    ("compromisos", "compromiso"): "formulacion__proceso__anio",
    ("compromisos", "informeavance"): "formulacion__proceso__anio",
    ("compromisos", "medioverificacion"): "avance__informe__formulacion__proceso__anio",
    ("validacion", "observacion"): "informe__formulacion__proceso__anio",
    ("validacion", "validacionservicio"): "formulacion__proceso__anio",
    ("validacion", "validacioniniciativa"): "compromiso__formulacion__proceso__anio",
}


def anotar_anio(apps, schema_editor):
    # The historical model has the plain manager: this one-time fill of a new column is the
    # only update the log ever receives.
    Evento = apps.get_model("bitacora", "Evento")
    TipoDeContenido = apps.get_model("contenttypes", "ContentType")
    for (aplicacion, modelo), ruta in RUTAS_ANIO.items():
        tipo = TipoDeContenido.objects.filter(app_label=aplicacion, model=modelo).first()
        if tipo is None:
            continue
        Modelo = apps.get_model(aplicacion, modelo)
        anio = Modelo.objects.filter(pk=OuterRef("objeto_id")).values(ruta)[:1]
        Evento.objects.filter(tipo_objeto=tipo, anio__isnull=True).update(anio=Subquery(anio))


class Migration(migrations.Migration):

    dependencies = [
        ('bitacora', '0001_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('servicios', '0001_initial'),
        ('compromisos', '0004_instantanea'),
        ('validacion', '0006_bitacora_e_instantaneas'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='evento',
            name='anio',
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='año'),
        ),
        migrations.AlterField(
            model_name='evento',
            name='objeto_id',
            field=models.PositiveBigIntegerField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name='evento',
            name='tipo_objeto',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, to='contenttypes.contenttype'),
        ),
        migrations.AddIndex(
            model_name='evento',
            index=models.Index(fields=['servicio', 'anio', 'momento'], name='evento_por_servicio'),
        ),
        migrations.RunPython(anotar_anio, migrations.RunPython.noop),
    ]
