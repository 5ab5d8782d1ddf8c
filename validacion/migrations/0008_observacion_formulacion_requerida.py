"""The observación's formulación, filled in 0007, becomes required; each remark points into its
own document. Apart from 0007 so PostgreSQL does not alter a table with pending row updates."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("validacion", "0007_observaciones_de_formulacion"),
    ]

    operations = [
        migrations.AlterField(
            model_name="observacion",
            name="formulacion",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="observaciones",
                to="compromisos.formulacionpmg",
            ),
        ),
        migrations.AddConstraint(
            model_name="observacion",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("compromiso__isnull", True),
                        ("informe__isnull", False),
                        ("linea__isnull", True),
                    ),
                    models.Q(
                        ("avance__isnull", True), ("informe__isnull", True), ("medio__isnull", True)
                    ),
                    _connector="OR",
                ),
                name="observacion_objetivo_de_su_documento",
            ),
        ),
    ]
