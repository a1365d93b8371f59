"""PostgreSQL: how many indexed articles hold each stemmed lexeme, filled from
the articles already indexed. SQL as it stood when this migration was written."""

from django.db import migrations

CREATE_SQL = """CREATE TABLE IF NOT EXISTS search_article_pg_lexemes (
        lexeme text PRIMARY KEY,
        doc integer NOT NULL
    )"""
FILL_SQL = (
    "INSERT INTO search_article_pg_lexemes (lexeme, doc) "
    "SELECT lexeme, COUNT(*) FROM search_article_pg, unnest(document) "
    "GROUP BY lexeme ON CONFLICT DO NOTHING"
)
DROP_SQL = "DROP TABLE IF EXISTS search_article_pg_lexemes"


def create_lexeme_counts(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(CREATE_SQL)
    schema_editor.execute(FILL_SQL)


def drop_lexeme_counts(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SQL)


class Migration(migrations.Migration):
    dependencies = [("byline_search", "0002_article_index_postgres")]

    operations = [migrations.RunPython(create_lexeme_counts, drop_lexeme_counts)]
