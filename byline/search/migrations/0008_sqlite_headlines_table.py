"""SQLite: a table of headlines alone, where common words are ranked.

A word in more than 1 % of the archive is matched in headlines only
(search/engine.py), but FTS5's bm25() still walked every article holding it to
count them, on each search: 130 ms for one such word at a million articles
(bench/README.md). Here its list holds its headlines only
(search/sqlite_ranking.py). The table is filled from the article index's own
rows; the SQL is this migration's own, as the table is at this point.
"""

from django.db import migrations

TOKENIZER = "unicode61 remove_diacritics 2 categories ''L* N* Co M*''"
CREATE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_article_headlines USING fts5("
    "title, published UNINDEXED, section_id UNINDEXED, type_of_work UNINDEXED, "
    f"tokenize = 'porter {TOKENIZER}')"
)
FILL = (
    "INSERT INTO search_article_headlines "
    "(rowid, title, published, section_id, type_of_work) "
    "SELECT rowid, title, published, section_id, type_of_work FROM search_article_fts"
)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute(CREATE)
    schema_editor.execute("DELETE FROM search_article_headlines")
    schema_editor.execute(FILL)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS search_article_headlines")


class Migration(migrations.Migration):
    dependencies = [("byline_search", "0007_wagtail_title_norms_indexed")]

    operations = [migrations.RunPython(forwards, backwards)]
