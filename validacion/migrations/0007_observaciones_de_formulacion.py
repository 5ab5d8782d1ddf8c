"""Observaciones on a formulación (whole, línea, compromiso) as well as on an informe.

Every observación now names its formulación (an informe's remark, the informe's), so the
permission door reaches its servicio and year by one path; existing rows get it from their
informe. A remark closed by an approval keeps the reason (motivo_cierre).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def formulacion_desde_informe(apps, schema_editor):
    Observacion = apps.get_model("validacion", "Observacion")
    InformeAvance = apps.get_model("compromisos", "InformeAvance")
    formulaciones = dict(InformeAvance.objects.values_list("pk", "formulacion_id"))
    for observacion in Observacion.objects.filter(formulacion__isnull=True).only("informe_id"):
        observacion.formulacion_id = formulaciones[observacion.informe_id]
        observacion.save(update_fields=["formulacion"])


class Migration(migrations.Migration):
    dependencies = [
        ("compromisos", "0004_instantanea"),
        ("validacion", "0006_bitacora_e_instantaneas"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="observacion",
            options={
                "ordering": ["formulacion", "informe", "ronda", "creado", "pk"],
                "verbose_name": "observación",
                "verbose_name_plural": "observaciones",
            },
        ),
        migrations.AddField(
            model_name="observacion",
            name="compromiso",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="observaciones",
                to="compromisos.compromiso",
            ),
        ),
        migrations.AddField(
            model_name="observacion",
            name="formulacion",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="observaciones",
                to="compromisos.formulacionpmg",
            ),
        ),
        migrations.AddField(
            model_name="observacion",
            name="linea",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="observaciones",
                to="compromisos.lineaformulacion",
                verbose_name="línea de la formulación",
            ),
        ),
        migrations.AddField(
            model_name="observacion",
            name="motivo_cierre",
            field=models.TextField(blank=True, verbose_name="motivo de cierre"),
        ),
        migrations.AddField(
            model_name="observacion",
            name="sobre",
            field=models.CharField(
                blank=True,
                help_text="Línea o compromiso observado, en palabras.",
                max_length=300,
                verbose_name="sobre",
            ),
        ),
        migrations.AlterField(
            model_name="observacion",
            name="informe",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="observaciones",
                to="compromisos.informeavance",
            ),
        ),
        migrations.RunPython(formulacion_desde_informe, migrations.RunPython.noop),
    ]
