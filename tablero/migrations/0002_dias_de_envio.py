from django.db import migrations, models


def calcular(apps, schema_editor):
    """Totals for the years already recorded (afterwards the signals keep them).

    Runs the live tablero.resumenes on this schema: the last migration that changes the
    totals' columns fills them, and the earlier ones leave it to it.
    """
    from tablero.resumenes import reconstruir

    reconstruir(apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("tablero", "0001_resumenes"),
    ]

    operations = [
        migrations.AddField(
            model_name="resumenformulacion",
            name="dia_primer_envio",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="resumeninforme",
            name="dia_envio",
            field=models.DateField(null=True),
        ),
        migrations.RunPython(calcular, migrations.RunPython.noop),
    ]
