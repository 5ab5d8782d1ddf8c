# The event log and the notices move here from validacion (issue 12). Their tables and rows
# stay: the models are created in the migration state on the old tables, which are then
# renamed, and the content types follow (so permissions and generic references keep working).

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


MODELOS = ["evento", "notificacion", "preferenciaavisos"]


def mover_tipos_de_contenido(desde, hacia):
    def mover(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        ContentType.objects.using(schema_editor.connection.alias).filter(
            app_label=desde, model__in=MODELOS
        ).update(app_label=hacia)

    return mover


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('servicios', '0001_initial'),
        ('validacion', '0005_validacion_consultora'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.CreateModel(
                name='PreferenciaAvisos',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('resumen_diario', models.BooleanField(default=False, help_text='Recibir un solo correo al día con todos los avisos.', verbose_name='resumen diario')),
                    ('usuario', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='preferencia_avisos', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'db_table': 'validacion_preferenciaavisos',
                    'verbose_name': 'preferencia de avisos',
                    'verbose_name_plural': 'preferencias de avisos',
                },
            ),
            migrations.CreateModel(
                name='Evento',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('momento', models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                    ('accion', models.CharField(max_length=60, verbose_name='acción')),
                    ('objeto_id', models.PositiveBigIntegerField()),
                    ('descripcion_objeto', models.CharField(max_length=300, verbose_name='objeto')),
                    ('desde', models.CharField(blank=True, max_length=30)),
                    ('hacia', models.CharField(blank=True, max_length=30)),
                    ('detalle', models.JSONField(blank=True, default=dict)),
                    ('servicio', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='eventos', to='servicios.servicio')),
                    ('tipo_objeto', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='contenttypes.contenttype')),
                    ('usuario', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='eventos', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'db_table': 'validacion_evento',
                    'verbose_name': 'evento',
                    'verbose_name_plural': 'registro de eventos',
                    'ordering': ['-momento', '-pk'],
                    'indexes': [models.Index(fields=['tipo_objeto', 'objeto_id', 'momento'], name='evento_por_objeto')],
                },
            ),
            migrations.CreateModel(
                name='Notificacion',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('clave', models.CharField(max_length=200, unique=True)),
                    ('asunto', models.CharField(max_length=200)),
                    ('cuerpo', models.TextField()),
                    ('para_resumen', models.BooleanField(default=False)),
                    ('creada', models.DateTimeField(default=django.utils.timezone.now)),
                    ('enviada_en', models.DateTimeField(blank=True, null=True)),
                    ('destinatario', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notificaciones', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'db_table': 'validacion_notificacion',
                    'verbose_name': 'notificación',
                    'verbose_name_plural': 'notificaciones',
                    'ordering': ['-creada', 'pk'],
                    'indexes': [models.Index(fields=['enviada_en', 'para_resumen'], name='notificacion_pendiente')],
                },
            ),
            ],
        ),
        migrations.AlterModelTable(name='preferenciaavisos', table=None),
        migrations.AlterModelTable(name='evento', table=None),
        migrations.AlterModelTable(name='notificacion', table=None),
        migrations.RunPython(
            mover_tipos_de_contenido("validacion", "bitacora"),
            mover_tipos_de_contenido("bitacora", "validacion"),
        ),
    ]
