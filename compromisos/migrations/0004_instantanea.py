# The informe's snapshots move here from validacion with the transition function that takes
# them (issue 12): the table and its rows stay, renamed; its content type follows.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def mover_tipo_de_contenido(desde, hacia):
    def mover(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        ContentType.objects.using(schema_editor.connection.alias).filter(
            app_label=desde, model="instantanea"
        ).update(app_label=hacia)

    return mover


class Migration(migrations.Migration):

    dependencies = [
        ('compromisos', '0003_restricciones_de_valores'),
        ('validacion', '0005_validacion_consultora'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.CreateModel(
                name='Instantanea',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('ronda', models.PositiveSmallIntegerField()),
                    ('motivo', models.CharField(choices=[('envio', 'Envío'), ('aprobacion', 'Aprobación')], max_length=12)),
                    ('contenido', models.JSONField()),
                    ('momento', models.DateTimeField(default=django.utils.timezone.now)),
                    ('informe', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='instantaneas', to='compromisos.informeavance')),
                    ('usuario', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'db_table': 'validacion_instantanea',
                    'verbose_name': 'instantánea de informe',
                    'verbose_name_plural': 'instantáneas de informes',
                    'ordering': ['informe', 'momento', 'pk'],
                    'constraints': [models.UniqueConstraint(fields=('informe', 'ronda', 'motivo'), name='instantanea_unica_por_ronda'), models.CheckConstraint(condition=models.Q(('motivo__in', ['envio', 'aprobacion'])), name='instantanea_motivo_valido')],
                },
            ),
            ],
        ),
        migrations.AlterModelTable(name='instantanea', table=None),
        migrations.RunPython(
            mover_tipo_de_contenido("validacion", "compromisos"),
            mover_tipo_de_contenido("compromisos", "validacion"),
        ),
    ]
