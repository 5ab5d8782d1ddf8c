# The event log and notices moved to bitacora, the snapshots to compromisos (issue 12): they
# leave validacion's migration state only; their tables were renamed, not dropped.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('validacion', '0005_validacion_consultora'),
        ('bitacora', '0001_initial'),
        ('compromisos', '0004_instantanea'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.RemoveField(
                model_name='instantanea',
                name='informe',
            ),
            migrations.RemoveField(
                model_name='instantanea',
                name='usuario',
            ),
            migrations.RemoveField(
                model_name='notificacion',
                name='destinatario',
            ),
            migrations.RemoveField(
                model_name='preferenciaavisos',
                name='usuario',
            ),
            migrations.DeleteModel(
                name='Evento',
            ),
            migrations.DeleteModel(
                name='Instantanea',
            ),
            migrations.DeleteModel(
                name='Notificacion',
            ),
            migrations.DeleteModel(
                name='PreferenciaAvisos',
            ),
            ],
        ),
    ]
