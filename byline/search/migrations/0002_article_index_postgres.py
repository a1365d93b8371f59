from django.db import migrations

from byline.search import fts_postgres


def create_index_tables(apps, schema_editor):
    # SQLite got its FTS5 tables in 0001; PostgreSQL gets its tsvector tables here.
    if schema_editor.connection.vendor == "postgresql":
        for statement in fts_postgres.CREATE_SQL:
            schema_editor.execute(statement)


def drop_index_tables(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in fts_postgres.DROP_SQL:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("byline_search", "0001_article_fts")]

    operations = [migrations.RunPython(create_index_tables, drop_index_tables)]
