"""The planner's statistics after an import (importers/statistics.py)."""

import pytest
from django.db import connection

from byline.importers import statistics

SHADOW_SUFFIXES = ("_content", "_data", "_docsize", "_idx", "_config")


@pytest.mark.django_db
def test_sqlites_statistics_skip_the_full_text_indexes_own_tables(
    published_article,
):
    """ANALYZE counts a table without an index by reading all of it: the
    full-text indexes' copies of the texts (the largest tables of a big
    archive) are left out, the tables the planner chooses among are not."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's ANALYZE; PostgreSQL samples each table")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE sqlite_schema")  # sqlite_stat1 exists from here
        cursor.execute("DELETE FROM sqlite_stat1")
        statistics.refresh()
        cursor.execute("SELECT DISTINCT tbl FROM sqlite_stat1")
        analysed = {name for (name,) in cursor.fetchall()}
    assert {"wagtailcore_page", "news_articlepage", "search_article_facts"} <= analysed
    assert "wagtailsearch_indexentry" in analysed
    shadows = {name for name in analysed if name.endswith(SHADOW_SUFFIXES)}
    assert not shadows


@pytest.mark.django_db
def test_sqlites_statistics_are_the_main_tables_even_beside_a_temporary_one():
    """A bare table name in ANALYZE finds a TEMP table of that name first
    (SQLite searches temp before main): the main database's table is
    named with its schema, as PRAGMA main.table_list listed it."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's ANALYZE")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE sqlite_schema")  # sqlite_stat1 exists from here
        cursor.execute("DELETE FROM main.sqlite_stat1")
        cursor.execute("CREATE TEMP TABLE wagtailcore_page (id integer)")
        cursor.execute("CREATE INDEX temp.stand_in ON wagtailcore_page (id)")
        try:
            statistics.refresh()
            cursor.execute("SELECT DISTINCT tbl FROM main.sqlite_stat1")
            analysed = {name for (name,) in cursor.fetchall()}
        finally:
            cursor.execute("DROP TABLE temp.wagtailcore_page")
    assert "wagtailcore_page" in analysed
