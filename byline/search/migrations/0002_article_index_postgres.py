"""The PostgreSQL search tables as they were first made: the weighted tsvector
table with its indexes, and the headline vocabulary for "Did you mean".

The SQL is copied from byline/search/fts_postgres.py as it stood when this
migration was written (the lexeme counts came later, in 0003), so that
migrating from zero replays the history instead of today's layout.
"""

from django.db import migrations

CREATE_SQL = [
    """CREATE TABLE IF NOT EXISTS search_article_pg (
        rowid integer PRIMARY KEY,
        title text NOT NULL,
        standfirst text NOT NULL,
        body text NOT NULL,
        published bigint NOT NULL,
        section_id integer,
        type_of_work varchar(20) NOT NULL,
        document tsvector GENERATED ALWAYS AS (
            setweight(to_tsvector('english', title), 'A')
            || setweight(to_tsvector('english', standfirst), 'B')
            || setweight(to_tsvector('english', body), 'D')
        ) STORED,
        headline tsvector GENERATED ALWAYS AS (to_tsvector('english', title)) STORED
    )""",
    "CREATE INDEX IF NOT EXISTS search_article_pg_document "
    "ON search_article_pg USING gin (document)",
    "CREATE INDEX IF NOT EXISTS search_article_pg_headline "
    "ON search_article_pg USING gin (headline)",
    "CREATE INDEX IF NOT EXISTS search_article_pg_published "
    "ON search_article_pg (published DESC)",
    """CREATE TABLE IF NOT EXISTS search_article_pg_words (
        term text PRIMARY KEY,
        doc integer NOT NULL
    )""",
]
DROP_SQL = [
    "DROP TABLE IF EXISTS search_article_pg_words",
    "DROP TABLE IF EXISTS search_article_pg",
]


def create_index_tables(apps, schema_editor):
    # SQLite got its FTS5 tables in 0001; PostgreSQL gets its tsvector tables here.
    if schema_editor.connection.vendor == "postgresql":
        for statement in CREATE_SQL:
            schema_editor.execute(statement)


def drop_index_tables(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in DROP_SQL:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("byline_search", "0001_article_fts")]

    operations = [migrations.RunPython(create_index_tables, drop_index_tables)]
