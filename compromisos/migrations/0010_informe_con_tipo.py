"""Every informe has its kind now (0009 gave each one); the column becomes required."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    # Apart from 0009: PostgreSQL refuses to alter a table with the data step's pending triggers.
    dependencies = [("compromisos", "0009_tipos_de_entregable")]

    operations = [
        migrations.AlterField(
            model_name="informeavance",
            name="tipo",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="informes",
                to="compromisos.tipoentregable",
            ),
        ),
        ]
