"""SQLite: a table of headlines alone, where common words are ranked, and one
of the columns filters and "newest first" read.

A word in more than 1 % of the archive is matched in headlines only
(search/engine.py), but FTS5's bm25() still walked every article holding it to
count them, on each search: 130 ms for one such word at a million articles
(bench/README.md). Here its list holds its headlines only
(search/sqlite_ranking.py). FTS5 stores the published time, section and type of
work after the body, so a filter or "newest first" read each match's body; the
facts table holds them alone, by page id. Both are filled from the article
index's own rows; the SQL is this migration's own, as the tables are at this point.
"""

from django.db import migrations

TOKENIZER = "unicode61 remove_diacritics 2 categories ''L* N* Co M*''"
CREATE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_article_headlines USING fts5("
    "title, published UNINDEXED, section_id UNINDEXED, type_of_work UNINDEXED, "
    f"tokenize = 'porter {TOKENIZER}')"
)
FACTS = (
    "CREATE TABLE IF NOT EXISTS search_article_facts (page_id INTEGER PRIMARY KEY, "
    "published INTEGER NOT NULL, section_id INTEGER, type_of_work TEXT)"
)
FILL_FACTS = (
    "INSERT INTO search_article_facts (page_id, published, section_id, type_of_work) "
    "SELECT rowid, published, section_id, type_of_work FROM search_article_headlines"
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
    schema_editor.execute(FACTS)
    schema_editor.execute("DELETE FROM search_article_facts")
    schema_editor.execute(FILL_FACTS)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS search_article_facts")
        schema_editor.execute("DROP TABLE IF EXISTS search_article_headlines")


class Migration(migrations.Migration):
    dependencies = [("byline_search", "0007_wagtail_title_norms_indexed")]

    operations = [migrations.RunPython(forwards, backwards)]
