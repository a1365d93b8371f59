"""PostgreSQL: a table of headline vectors alone, with the columns filters read.

Ranking the headlines that hold a common word read each match's whole row of
search_article_pg (its text and document vector inline or in TOAST): 26,186
blocks for one four-word query at a million articles, 141 ms (bench/README.md).
Here a match is a row of some 150 bytes. It is filled from the article index's
own vectors; the SQL is this migration's own, as the tables are at this point.
"""

from django.db import migrations

CREATE = [
    """CREATE TABLE IF NOT EXISTS search_article_pg_headlines (
        rowid integer PRIMARY KEY,
        published bigint NOT NULL,
        section_id integer,
        type_of_work varchar(20) NOT NULL,
        headline tsvector NOT NULL
    )""",
    "DELETE FROM search_article_pg_headlines",
    "INSERT INTO search_article_pg_headlines (rowid, published, section_id, "
    "type_of_work, headline) SELECT rowid, published, section_id, type_of_work, "
    "headline FROM search_article_pg",
    # Built after the copy: one pass over the rows, not a million insertions.
    "CREATE INDEX IF NOT EXISTS search_article_pg_headlines_headline "
    "ON search_article_pg_headlines USING gin (headline)",
    "CREATE INDEX IF NOT EXISTS search_article_pg_headlines_published "
    "ON search_article_pg_headlines (published DESC)",
    "ANALYZE search_article_pg_headlines",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in CREATE:
            schema_editor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TABLE IF EXISTS search_article_pg_headlines")


class Migration(migrations.Migration):
    dependencies = [("byline_search", "0008_sqlite_headlines_and_facts")]

    operations = [migrations.RunPython(forwards, backwards)]
