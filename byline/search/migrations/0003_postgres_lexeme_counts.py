from django.db import migrations

from byline.search import fts_postgres


def create_lexeme_counts(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(fts_postgres.CREATE_SQL[-1])
    schema_editor.execute(
        f"INSERT INTO {fts_postgres.LEXEMES_TABLE} (lexeme, doc) "
        f"SELECT lexeme, COUNT(*) FROM {fts_postgres.TABLE}, unnest(document) "
        "GROUP BY lexeme ON CONFLICT DO NOTHING"
    )


def drop_lexeme_counts(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP TABLE IF EXISTS {fts_postgres.LEXEMES_TABLE}")


class Migration(migrations.Migration):
    dependencies = [("byline_search", "0002_article_index_postgres")]

    operations = [migrations.RunPython(create_lexeme_counts, drop_lexeme_counts)]
