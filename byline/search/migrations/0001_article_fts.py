from django.db import migrations

from byline.search import fts_sqlite


def create_fts_table(apps, schema_editor):
    # Only SQLite has FTS5; PostgreSQL gets its own tables in 0002.
    if schema_editor.connection.vendor == "sqlite":
        for statement in fts_sqlite.CREATE_SQL:
            schema_editor.execute(statement)


def drop_fts_table(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in fts_sqlite.DROP_SQL:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("news", "0001_initial")]

    operations = [migrations.RunPython(create_fts_table, drop_fts_table)]
