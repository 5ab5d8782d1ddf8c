"""Medios attached to a question of an informe's form (issue 16).

Every medio now names its informe (filled in from its avance for the existing ones), and hangs
from either an avance (a compromiso's progress) or a question of the form, never both.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def informe_desde_avance(apps, schema_editor):
    medio = apps.get_model("compromisos", "MedioVerificacion")
    avance = apps.get_model("compromisos", "AvanceCompromiso")
    medio.objects.update(
        informe_id=Subquery(avance.objects.filter(pk=OuterRef("avance_id")).values("informe_id"))
    )


class Migration(migrations.Migration):
    dependencies = [
        ("compromisos", "0014_certificacion_y_recepcion"),
        ("formularios", "0003_plantillas_con_claves"),
    ]

    operations = [
        migrations.AddField(
            model_name="medioverificacion",
            name="informe",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="medios",
                to="compromisos.informeavance",
            ),
        ),
        migrations.RunPython(informe_desde_avance, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="medioverificacion",
            name="informe",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="medios",
                to="compromisos.informeavance",
            ),
        ),
        migrations.AlterField(
            model_name="medioverificacion",
            name="avance",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="medios",
                to="compromisos.avancecompromiso",
            ),
        ),
        migrations.AddField(
            model_name="medioverificacion",
            name="pregunta",
            field=models.ForeignKey(
                blank=True,
                help_text="Pregunta del formulario que este archivo respalda.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="medios",
                to="formularios.pregunta",
            ),
        ),
        migrations.AddConstraint(
            model_name="medioverificacion",
            constraint=models.UniqueConstraint(
                condition=models.Q(("eliminado_en__isnull", True), ("pregunta__isnull", False)),
                fields=("informe", "pregunta", "sha256"),
                name="medio_contenido_unico_por_pregunta",
            ),
        ),
        migrations.AddConstraint(
            model_name="medioverificacion",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("avance__isnull", False), ("pregunta__isnull", True)),
                    models.Q(("avance__isnull", True), ("pregunta__isnull", False)),
                    _connector="OR",
                ),
                name="medio_de_avance_o_de_pregunta",
            ),
        ),
    ]
