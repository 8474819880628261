"""The ICU collation names are sorted with on PostgreSQL (SQLite registers its own on each connection)."""

from django.db import migrations

CREATE = "CREATE COLLATION IF NOT EXISTS pixorga_fr (provider = icu, locale = 'fr-FR')"
DROP = "DROP COLLATION IF EXISTS pixorga_fr"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = []
    operations = [migrations.RunPython(forwards, backwards)]
