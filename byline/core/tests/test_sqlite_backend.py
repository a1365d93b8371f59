"""The SQLite backend rewrites placeholders as Django's does, once per text."""

import sqlite3

import pytest
from django.db import connection
from django.db.backends.sqlite3.base import SQLiteCursorWrapper as DjangoCursor

from byline import config
from byline.core.sqlite import base

QUERIES = [
    "SELECT 1",
    'SELECT "a" FROM "t" WHERE "b" = %s AND "c" IN (%s, %s)',
    "SELECT '%%' || %s, 'a%%s', \"x\" LIKE %s ESCAPE '\\'",
    "UPDATE t SET a = %s WHERE b LIKE '100%%'",
]


@pytest.fixture
def cursors():
    database = sqlite3.connect(":memory:")
    yield (
        database.cursor(factory=base.SQLiteCursorWrapper),
        database.cursor(factory=DjangoCursor),
    )
    database.close()


@pytest.mark.parametrize("query", QUERIES)
def test_placeholders_become_what_djangos_backend_makes(query, cursors):
    ours, djangos = cursors
    converted = ours.convert_query(query)
    assert converted == djangos.convert_query(query)
    assert ours.convert_query(query) is converted  # rewritten once


def test_named_placeholders_and_long_statements_go_to_django(cursors):
    ours, _ = cursors
    named = "SELECT %(a)s, %(b)s"
    assert ours.convert_query(named, param_names=["a", "b"]) == "SELECT :a, :b"
    long = "INSERT INTO t VALUES " + ", ".join(["(%s)"] * 5000)
    assert len(long) > base.LONGEST_REMEMBERED
    before = base._qmark.cache_info().currsize
    assert ours.convert_query(long).count("?") == 5000
    assert base._qmark.cache_info().currsize == before


@pytest.mark.django_db
def test_the_default_database_runs_on_it(make_article):
    if connection.vendor != "sqlite":
        pytest.skip("the default database here is not SQLite")
    from byline.news.models import ArticlePage

    make_article("Turnout reached 100% in one district")
    with connection.cursor() as cursor:
        assert isinstance(cursor.cursor, base.SQLiteCursorWrapper)
    found = ArticlePage.objects.filter(title__contains="100% in")
    assert [a.title for a in found] == ["Turnout reached 100% in one district"]


def test_sqlite_urls_use_it():
    entry = config.database_from_url("DATABASE_URL", "sqlite:////tmp/news.sqlite3")
    assert entry["ENGINE"] == "byline.core.sqlite"
