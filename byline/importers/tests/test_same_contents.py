"""An import leaves exactly the rows the importer of main at 151be21 (before the
import was made faster, bench/README.md "2026-12-06: the import's title norms")
left for the same file: pages, articles, bylines and tags, Wagtail's index with
its title norms, our index with its vocabulary and spelling variants, and
signed records that verify, as `snapshot()` reads them. The expected rows were
written by that importer, one file per database."""

import json
from pathlib import Path

import pytest
from django.db import connection

from byline.importers.jsonl import import_jsonl
from byline.importers.tests.snapshot import snapshot
from byline.news.models import Author

DATA = Path(__file__).parent / "data"


def expected():
    path = DATA / f"same_contents.{connection.vendor}.json"
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.django_db
def test_import_leaves_the_rows_the_earlier_importer_left():
    """Batches of 7 over 42 lines (a bad line and a duplicate id among them)."""
    summary = import_jsonl(DATA / "same_contents.jsonl", batch_size=7)
    assert (summary.created, summary.bad) == (40, 2)
    found = snapshot()
    assert found["records"]["problems"] == []
    assert found == expected()


@pytest.mark.django_db
def test_the_rows_compared_do_not_hang_on_the_ids_the_database_hands_out():
    """Ids used up before the import, as earlier tests in the same run use up
    PostgreSQL's sequences (a rolled-back row keeps its id taken): the same rows.
    The snapshot once named authors' index entries by the page that had the
    author's id, so this run and a run after test_resume.py differed."""
    for n in range(5):
        Author.objects.create(name=f"Gone {n}", slug=f"gone-{n}").delete()
    import_jsonl(DATA / "same_contents.jsonl", batch_size=7)
    assert snapshot() == expected()
