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
@pytest.mark.parametrize("workers", [1, 0], ids=["texts-ahead", "in-process"])
def test_import_leaves_the_rows_the_earlier_importer_left(workers):
    """Batches of 7 over 42 lines (a bad line and a duplicate id among them),
    with the texts worked out ahead in a worker process and without."""
    summary = import_jsonl(DATA / "same_contents.jsonl", batch_size=7, workers=workers)
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


def _pairs():
    """(the article index's rows, a narrow table's rows), both in its columns."""
    if connection.vendor == "sqlite":
        columns = "rowid, title, published, section_id, type_of_work"
        yield (
            f"SELECT {columns} FROM search_article_fts",
            f"SELECT {columns} FROM search_article_headlines",
        )
        columns = "published, section_id, type_of_work"
        yield (
            f"SELECT rowid, {columns} FROM search_article_fts",
            f"SELECT page_id, {columns} FROM search_article_facts",
        )
    else:
        columns = "rowid, published, section_id, type_of_work, headline::text"
        yield (
            f"SELECT {columns} FROM search_article_pg",
            f"SELECT {columns} FROM search_article_pg_headlines",
        )


@pytest.mark.django_db
def test_import_fills_the_narrow_tables_as_the_article_index():
    """The headlines' and filter columns' own tables, which the earlier
    importer's rows above do not cover, hold the article index's rows."""
    import_jsonl(DATA / "same_contents.jsonl", batch_size=7)
    with connection.cursor() as cursor:
        for articles, narrow in _pairs():
            cursor.execute(articles)
            expected_rows = sorted(cursor.fetchall())
            cursor.execute(narrow)
            assert sorted(cursor.fetchall()) == expected_rows
            assert len(expected_rows) == 40


# serialized_rollback: another transactional test may have flushed the page
# tree the migrations made.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_import_leaves_postgresql_tables_vacuumed():
    """After an import, the visibility map marks the written pages all-visible
    (VACUUM): readers neither write hint bits nor visit rows a count needs
    not read. ANALYZE alone, as before, leaves them unmarked."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's VACUUM")
    from byline.search.indexing import index_backend

    try:
        import_jsonl(DATA / "same_contents.jsonl", batch_size=7)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT relname, relallvisible FROM pg_class WHERE relname = ANY(%s)",
                [
                    [
                        "search_article_pg",
                        "search_article_pg_headlines",
                        "news_articlepage",
                    ]
                ],
            )
            marked = dict(cursor.fetchall())
    finally:
        # The flush after a transactional test empties Django's tables only:
        # the search tables would keep these articles for the tests after.
        index_backend().recreate()
    assert len(marked) == 3
    assert all(pages > 0 for pages in marked.values()), marked
