"""A batch of the import takes a fixed number of statements, whatever its size:
its rows, both search indexes, its signatures and its checkpoint are written
in bulk (bench/README.md, "2026-12-06: the import on PostgreSQL")."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from byline.importers import statistics
from byline.importers.jsonl import import_jsonl
from byline.news.models import ArticlePage

# Statements per batch of new articles in known sections by known authors
# (main at d29a6dd: 37 on PostgreSQL, where our index took back rows that new
# articles never had; main at 621b068: 35 and 42, where Wagtail's entries were
# written by its add_bulk after fetching the articles' authors, which no entry
# holds: wagtail_index.py; then 34 and 41, Wagtail's title-norm refresh after
# each batch, now written with the entries: one statement more on PostgreSQL,
# the average as Wagtail receives it, besides its update of the entries still
# at 1.0; then one more on PostgreSQL, the copy of the headline vectors to their
# narrow table, search migration 0009; then one more on PostgreSQL, where the
# page and article rows are written by COPY after taking the page ids from
# their sequence, and one more for the signed records' ids, core/bulk_rows.py).
PER_BATCH = {"postgresql": 38, "sqlite": 40}


def write(tmp_path, name, ids):
    path = tmp_path / f"{name}.jsonl"
    lines = [
        json.dumps(
            {
                "id": f"{name}-{n}",
                "title": f"Rates fall in week {n}",
                "body": f"Lead {n}.\n\nThe bank said so on day {n}.",
                "category": "Business",
                "author": "Jo Writer",
                "tags": ["Rates"],
            }
        )
        for n in ids
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def statements(tmp_path, name, count, batch_size):
    path = write(tmp_path, name, range(count))
    with CaptureQueriesContext(connection) as queries:
        summary = import_jsonl(path, batch_size=batch_size)
    assert summary.created == count
    return len(queries)


@pytest.mark.django_db
def test_each_batch_takes_the_same_few_statements_whatever_its_size(tmp_path):
    import_jsonl(write(tmp_path, "first", range(3)))  # the section, author, tag
    one_batch = statements(tmp_path, "one", 24, batch_size=24)
    four_batches = statements(tmp_path, "four", 24, batch_size=6)
    small_batches = statements(tmp_path, "small", 8, batch_size=2)
    per_batch = (four_batches - one_batch) / 3
    assert per_batch == (small_batches - one_batch) / 3
    assert per_batch <= PER_BATCH[connection.vendor]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "articles, on_postgresql",
    [
        # Written 4 (then from 8), 8 (from 16), 16 (from 32); then the end.
        (18, [4, 8, 16, 18]),
        # Ending where it doubles: the end's statistics only, not twice.
        (16, [4, 8, 16]),
    ],
)
def test_a_long_import_takes_postgresqls_statistics_again_as_it_grows(
    tmp_path, monkeypatch, articles, on_postgresql
):
    """On PostgreSQL, ANALYZE each time the run has doubled what it wrote
    (from 4 here), and once at the end; on SQLite (whose ANALYZE reads every
    row) at the end only."""
    monkeypatch.setattr(statistics, "FIRST", 4)
    path = write(tmp_path, "growing", range(articles))
    refreshes = []
    real = statistics.refresh

    def counted():
        refreshes.append(ArticlePage.objects.count())
        real()

    monkeypatch.setattr(statistics, "refresh", counted)
    with CaptureQueriesContext(connection) as queries:
        assert import_jsonl(path, batch_size=2).created == articles
    analyses = [q["sql"] for q in queries if q["sql"].startswith("ANALYZE")]
    postgresql = connection.vendor == "postgresql"
    assert refreshes == (on_postgresql if postgresql else [articles])
    assert analyses  # each refresh ran its ANALYZE (one a table on SQLite)
