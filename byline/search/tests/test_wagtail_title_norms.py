"""Wagtail's title-norm refresh after each bulk add reads indexes, not its whole
table, and leaves the FTS5 rows of unchanged words alone (search migration 0007)."""

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.search.backends import get_search_backend

from byline.news.models import ArticlePage

pytestmark = pytest.mark.skipif(
    connection.vendor not in ("sqlite", "postgresql"), reason="no such index"
)


def refresh_statements(articles):
    """The statements Wagtail's `add_bulk` runs after writing its entries."""
    with CaptureQueriesContext(connection) as captured:
        get_search_backend().add_bulk(ArticlePage, articles)
    return [
        q["sql"]
        for q in captured.captured_queries
        if "title_norm" in q["sql"] or "AVG(" in q["sql"].upper()
    ]


def plan(sql):
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            return " / ".join(row[-1] for row in cursor.fetchall())
        # A tiny test table is read whole whatever the indexes: ask whether
        # the planner can avoid it.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}")
        return " / ".join(row[0] for row in cursor.fetchall())


@pytest.mark.django_db
def test_title_norm_update_finds_new_entries_by_index(published_article):
    """Setting the norms of new entries does not read every entry."""
    statements = refresh_statements([published_article])
    [update] = [s for s in statements if s.lstrip().startswith("UPDATE")]
    found = plan(update)
    assert "byline_indexentry_title_norm" in found
    assert "SCAN wagtailsearch_indexentry" not in found
    assert "Seq Scan" not in found


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite reads the index")
def test_average_title_length_reads_the_length_index_not_the_table(
    published_article,
):
    """The average over every title is taken from the small length index."""
    [average] = [s for s in refresh_statements([published_article]) if "AVG" in s]
    found = plan(average)
    assert "byline_indexentry_title_length" in found
    assert "SCAN wagtailsearch_indexentry" not in found


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FTS5 trigger")
def test_setting_a_title_norm_leaves_the_fts_row_unwritten(published_article):
    """A norm is not a column of the FTS5 table: changing it rewrites nothing
    there, while a changed title still reaches it."""
    IndexEntry = apps.get_model("wagtailsearch", "IndexEntry")
    table = IndexEntry._meta.db_table
    entry = IndexEntry.objects.get(object_id=str(published_article.pk))

    def rows_written(sql, params):
        with connection.cursor() as cursor:
            cursor.execute("SELECT total_changes()")
            (before,) = cursor.fetchone()
            cursor.execute(sql, params)
            cursor.execute("SELECT total_changes()")
            return cursor.fetchone()[0] - before

    norm = f"UPDATE {table} SET title_norm = %s WHERE id = %s"
    assert rows_written(norm, [0.5, entry.pk]) == 1
    title = f"UPDATE {table} SET title = %s WHERE id = %s"
    assert rows_written(title, ["Another headline", entry.pk]) > 1  # FTS5 rows too
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT title FROM {table}_fts WHERE rowid = %s", [entry.pk])
        assert cursor.fetchone() == ("Another headline",)
