"""An import runs with SQLite settings for long runs of large writes, and
leaves the connection as it found it (core/sqlite_bulk.py)."""

import json

import pytest
from django.db import connection

from byline.core.sqlite_bulk import BULK_PRAGMAS
from byline.importers.jsonl import import_jsonl
from byline.news.signals import articles_imported


def pragmas():
    with connection.cursor() as cursor:
        found = {}
        for name in BULK_PRAGMAS:
            cursor.execute(f"PRAGMA {name}")
            found[name] = cursor.fetchone()[0]
        return found


@pytest.mark.django_db
def test_an_import_writes_with_the_bulk_settings_and_puts_them_back(tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's settings")
    before = pragmas()
    assert before != BULK_PRAGMAS
    during = []

    def look(sender, **kwargs):
        during.append(pragmas())

    path = tmp_path / "wire.jsonl"
    path.write_text(
        json.dumps({"id": "w-1", "title": "Tariffs", "body": "A lead paragraph."})
        + "\n"
    )
    articles_imported.connect(look)
    try:
        assert import_jsonl(path).created == 1
    finally:
        articles_imported.disconnect(look)
    assert during == [BULK_PRAGMAS]
    assert pragmas() == before
