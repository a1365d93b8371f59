"""The SQLite search index (FTS5) as it was first made.

A migration carries its own SQL, copied here from byline/search/fts_sqlite.py as
it stood when this migration was written: importing the live module would make
an old migration build today's layout. A later change to the index is a new
migration with its own SQL.
"""

from django.db import migrations

CREATE_SQL = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_article_fts USING fts5("
    "title, standfirst, body, published UNINDEXED, section_id UNINDEXED, "
    "type_of_work UNINDEXED, tokenize = 'porter unicode61 remove_diacritics 2')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_article_words USING fts5("
    "title, standfirst, tokenize = 'unicode61 remove_diacritics 2')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_article_words_vocab "
    "USING fts5vocab(search_article_words, 'row')",
]
DROP_SQL = [
    "DROP TABLE IF EXISTS search_article_words_vocab",
    "DROP TABLE IF EXISTS search_article_words",
    "DROP TABLE IF EXISTS search_article_fts",
]


def create_fts_table(apps, schema_editor):
    # Only SQLite has FTS5; PostgreSQL gets its own tables in 0002.
    if schema_editor.connection.vendor == "sqlite":
        for statement in CREATE_SQL:
            schema_editor.execute(statement)


def drop_fts_table(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in DROP_SQL:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("news", "0001_initial")]

    operations = [migrations.RunPython(create_fts_table, drop_fts_table)]
