# The event log is append-only in the database too (issue 14, point 6): on PostgreSQL a
# trigger refuses every UPDATE and DELETE of its rows, whoever runs them. A later data
# migration that must touch the log has to drop and re-create the trigger explicitly.
# SQLite (the embedded mode) is left as it is: Django's test flush deletes rows there, and the
# README says what that mode does not enforce.

from django.db import migrations

CREAR = """
CREATE OR REPLACE FUNCTION bitacora_evento_solo_agrega() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'El registro de eventos es de solo agregado: no se modifica ni se elimina (%).', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER bitacora_evento_solo_agrega
    BEFORE UPDATE OR DELETE ON bitacora_evento
    FOR EACH ROW EXECUTE FUNCTION bitacora_evento_solo_agrega();
"""
QUITAR = """
DROP TRIGGER IF EXISTS bitacora_evento_solo_agrega ON bitacora_evento;
DROP FUNCTION IF EXISTS bitacora_evento_solo_agrega();
"""


def _en_postgresql(sql):
    def ejecutar(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return ejecutar


class Migration(migrations.Migration):
    dependencies = [
        ("bitacora", "0002_anio_y_eventos_de_seguridad"),
    ]

    operations = [
        migrations.RunPython(_en_postgresql(CREAR), _en_postgresql(QUITAR)),
    ]
