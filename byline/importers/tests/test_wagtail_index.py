"""`wagtail_index.add_bulk` writes the rows Wagtail's own `add_bulk` writes:
its index entries with their title norms (and on SQLite the FTS5 rows its
trigger copies), for new entries and for entries of changed articles. If a
Wagtail or modelsearch upgrade changes what its backend writes, these fail."""

import json

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from wagtail.search.backends import get_search_backends

from byline.importers import wagtail_index
from byline.importers.jsonl import import_jsonl
from byline.news.models import ArticlePage

IndexEntry = apps.get_model("wagtailsearch", "IndexEntry")
RECORDS = [
    # accents, and a stemmed plural
    ("accents", "Élections à Zürich: l'État décide", "Les électeurs ont voté."),
    ("stop-words", "The", "It was not to be."),  # a headline of stop words only
    ("no-lead", "Rates fall", "Emptied below."),  # an empty lead and body
    ("plain", "Banks raise rates again", "The bank said so.\n\nMore follows."),
]


def backend():
    [found] = get_search_backends(with_auto_update=True)
    return found


def article_entries():
    return IndexEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(ArticlePage)
    )


def entries():
    """Wagtail's entries of articles by object id, without their row ids
    (handed out; sections and authors have entries too)."""
    if connection.vendor == "postgresql":
        vectors = "title::text, autocomplete::text, body::text, title_text, body_text"
        fts = ""
    else:
        vectors = "e.title, e.autocomplete, e.body"
        # The FTS5 row the trigger wrote for the entry (rowid = the entry's id).
        fts = ", (SELECT f.title || '|' || f.body || '|' || f.autocomplete FROM "
        fts += f"{IndexEntry._meta.db_table}_fts f WHERE f.rowid = e.id)"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT e.content_type_id, e.object_id, e.title_norm, {vectors}{fts} "
            f"FROM {IndexEntry._meta.db_table} e WHERE e.content_type_id = %s "
            "ORDER BY e.object_id",
            [ContentType.objects.get_for_model(ArticlePage).pk],
        )
        return cursor.fetchall()


def imported(tmp_path):
    path = tmp_path / "index.jsonl"
    lines = [
        {"id": key, "title": title, "body": body, "category": "News", "author": "Jo"}
        for key, title, body in RECORDS
    ]
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    assert import_jsonl(path).created == len(RECORDS)
    articles = list(ArticlePage.objects.order_by("pk"))
    articles[2].standfirst = ""  # records have a body: nothing to index here
    articles[2].set_search_text("")
    return articles


def written(write, articles, before=None):
    """The entries after `write(articles)` on an empty index, or on the index
    `before(articles)` left."""
    article_entries().delete()
    if before:
        before()
    write(articles)
    return entries()


def theirs(articles):
    backend().add_bulk(ArticlePage, articles)


def ours(articles):
    wagtail_index.add_bulk(backend(), ArticlePage, articles)


def test_the_backend_of_each_database_has_its_writer():
    """Not Wagtail's add_bulk in disguise: a renamed index class would be."""
    index = backend().get_index_for_model(ArticlePage)
    kind = type(index).__module__ + "." + type(index).__qualname__
    assert kind in wagtail_index.WRITERS


@pytest.mark.django_db
def test_new_entries_are_the_entries_wagtail_writes(tmp_path):
    articles = imported(tmp_path)
    expected = written(theirs, articles)
    assert len(expected) == len(RECORDS)
    assert written(ours, articles) == expected


@pytest.mark.django_db
def test_changed_entries_are_the_entries_wagtail_writes(tmp_path):
    """Entries already there, with norms set by an earlier refresh, and two
    more articles' entries written new beside them."""
    articles = imported(tmp_path)
    old = articles[:2]

    def earlier():
        theirs(old)
        article_entries().update(title_norm=0.5)  # a refresh over more entries

    for article, title, lead in zip(
        old, ["Le café de l'Élysée", "A"], ["", "Naïve façades"], strict=True
    ):
        article.title, article.standfirst = title, lead
        article.set_search_text(f"{lead} The rest")
    expected = written(theirs, articles, before=earlier)
    assert written(ours, articles, before=earlier) == expected


@pytest.mark.django_db
def test_an_import_writes_the_entries_wagtail_writes(tmp_path):
    """The importer's own batch, authors and all, against add_bulk."""
    imported(tmp_path)
    articles = list(ArticlePage.objects.order_by("pk"))
    after_import = entries()
    assert written(theirs, articles) == after_import


def batch_file(tmp_path, name, titles):
    """One author and section for all: those entries exist before the import's
    first batch is counted (Wagtail's own indexing writes them)."""
    path = tmp_path / f"{name}.jsonl"
    lines = [
        {"id": f"{name}-{n}", "title": title, "body": f"Body {n}.", "author": "Jo"}
        for n, title in enumerate(titles)
    ]
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    return path


TITLES = [
    "Rates fall",
    "Banks raise rates again after a long summer of waiting",
    "The",  # stop words only: a title of length 0, no norm
    "Élections à Zürich",
    "Floods close the northern railway for a second week",
    "Budget",
    "Ministers meet",
]


@pytest.mark.django_db
def test_norms_carried_over_batches_are_the_norms_wagtail_gives(tmp_path):
    """Four batches with the running sum and count: each batch's norms are
    those Wagtail's add_bulk gives when it writes the same batches in turn."""
    import_jsonl(batch_file(tmp_path, "first", ["Earlier story"]))
    assert import_jsonl(batch_file(tmp_path, "runs", TITLES), batch_size=2).created
    after_import = entries()
    articles = list(ArticlePage.objects.filter(source_id__startswith="runs-"))
    articles.sort(key=lambda a: a.pk)
    mine = [e for e in after_import if int(e[1]) in {a.pk for a in articles}]
    assert len({e[2] for e in mine}) > 3  # norms that differ, not all 1.0

    IndexEntry.objects.filter(
        object_id__in=[str(a.pk) for a in articles],
        content_type=ContentType.objects.get_for_model(ArticlePage),
    ).delete()
    for start in range(0, len(articles), 2):
        theirs(articles[start : start + 2])
    assert entries() == after_import


@pytest.mark.django_db
def test_an_import_reads_the_whole_index_once_not_once_a_batch(tmp_path):
    """Wagtail's refresh averages every entry's title for each batch (on
    PostgreSQL a read of every row: 65 ms a batch at 190,000 entries, 235–679
    ms at a million). The running sum reads them once a run; the entries still
    at 1.0 are found through search migration 0007's index on the norm."""
    from django.test.utils import CaptureQueriesContext

    import_jsonl(batch_file(tmp_path, "first", ["Earlier story"]))
    table = IndexEntry._meta.db_table
    with CaptureQueriesContext(connection) as queries:
        import_jsonl(batch_file(tmp_path, "runs", TITLES * 3), batch_size=3)
    on_index = [q["sql"] for q in queries if table in q["sql"]]
    averaged = [
        sql
        for sql in on_index
        if sql.lstrip().startswith("SELECT") and ("SUM(" in sql or "AVG(" in sql)
    ]
    assert len(on_index) >= 7 + 1, on_index  # each batch wrote its entries
    assert len(averaged) == 1, averaged


@pytest.mark.django_db
def test_an_entry_left_under_a_new_pages_id_is_overwritten(tmp_path):
    """An entry already under the id a new page gets (a page removed without
    its entry, ids handed out again after a restore): the batch imports (on
    SQLite it was refused while the new pages' entries were not looked for)."""
    import_jsonl(batch_file(tmp_path, "first", ["Earlier story"]))
    last = ArticlePage.objects.get().pk
    kind = ContentType.objects.get_for_model(ArticlePage)
    for pk in range(last + 1, last + 40):
        IndexEntry.objects.create(
            content_type=kind,
            object_id=str(pk),
            title="stale",
            autocomplete="",
            body="",
        )
    summary = import_jsonl(batch_file(tmp_path, "next", ["Later story"]))
    assert (summary.created, summary.errors) == (1, [])
