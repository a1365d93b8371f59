"""An import works out its records' texts in a second process, ahead of the
batch being written (importers/prepare.py). test_same_contents checks that
the rows are the same with the worker and without."""

import hashlib
import io
import json
import os
import threading
from types import SimpleNamespace

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from wagtail.search.backends import get_search_backend

from byline.importers import prepare, wagtail_texts
from byline.importers.jsonl import import_jsonl
from byline.importers.records import parse_line
from byline.news.models import ArticlePage
from byline.provenance import canonical
from byline.search import indexing

LINES = [
    {
        "id": f"wire-{n}",
        "title": f"Port tariffs <{n}%> & the harbour board's reply",
        "body": f"Lead paragraph {n} about the tariff.\n\n"
        f"Second paragraph: 北京 and Zürich, n={n}.",
        "category": "Business",
        "published": "2024-03-01T08:00:00+00:00",
        "author": "Jo Writer",
    }
    for n in range(12)
]


def write(path, lines):
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    return path


@pytest.mark.django_db
@pytest.mark.parametrize("workers", [0, 1])
def test_prepared_texts_are_the_ones_the_article_would_work_out(tmp_path, workers):
    """Each remembered text equals what the article's own functions compute
    from its stored fields."""
    path = write(tmp_path / "wire.jsonl", LINES)
    assert import_jsonl(path, batch_size=5, workers=workers).created == 12
    content_type = ContentType.objects.get_for_model(ArticlePage).pk
    for article in ArticlePage.objects.all():
        record = parse_line(json.dumps(LINES[int(article.source_id[5:])]))
        ahead = prepare.prepare(record, content_type).article
        assert canonical.article_text(ahead) == canonical.article_text(article)
        assert indexing.index_row(ahead)[1:4] == indexing.index_row(article)[1:4]
        assert ahead.search_text() == article.search_text()
        assert ahead.word_count == article.word_count
        text = canonical.article_text(article)
        assert canonical.article_sha256(ahead, text) == canonical.content_sha256(text)
        if connection.vendor == "sqlite":
            assert wagtail_texts.recall_sqlite_entry(ahead) == sqlite_entry(article)


def sqlite_entry(article):
    """The SQLite entry's texts of a stored article, read as Wagtail reads them."""
    from modelsearch.backends.database.sqlite import sqlite

    backend = get_search_backend()
    fields = wagtail_texts.text_fields(ArticlePage.get_search_fields())
    indexer = sqlite.ObjectIndexer(article, backend)
    return wagtail_texts.sqlite_entry(indexer, article, fields)


@pytest.mark.django_db  # a new page reads its content type
def test_a_remembered_text_is_forgotten_once_the_article_changes():
    article = ArticlePage(title="Old headline", standfirst="Lead.", body="<p>B</p>")
    canonical.remember_article_text(article, "a text worked out ahead")
    indexing.remember_index_texts(article, ("t", "s", "b"))
    assert canonical.article_text(article) == "a text worked out ahead"
    assert indexing.index_row(article)[1:4] == ("t", "s", "b")
    assert canonical.article_sha256(article, "a text worked out ahead") == (
        canonical.content_sha256("a text worked out ahead")
    )
    article.body = "<p>A corrected body.</p>"
    assert canonical.article_text(article) == "Old headline\nLead.\nA corrected body."
    assert indexing.index_row(article)[1:4] == (
        "Old headline",
        "Lead.",
        "A corrected body.",
    )


@pytest.mark.django_db
def test_the_worker_does_the_text_work_not_the_importing_process(tmp_path, monkeypatch):
    """With a worker, this process never works out a new article's canonical
    text (the worker, forked with the same counter, counts its own)."""
    here = os.getpid()
    calls = []
    real = prepare.canonical_text

    def counted(*parts):
        if os.getpid() == here:
            calls.append(parts)
        return real(*parts)

    monkeypatch.setattr(prepare, "canonical_text", counted)
    monkeypatch.setattr(canonical, "canonical_text", counted)
    path = write(tmp_path / "wire.jsonl", LINES)
    assert import_jsonl(path, batch_size=5, workers=1).created == 12
    assert calls == []
    assert import_jsonl(write(tmp_path / "b.jsonl", [{**LINES[0], "id": "x"}]),
                        workers=0).created == 1  # fmt: skip
    assert len(calls) == 1


@pytest.mark.django_db
def test_the_worker_hashes_the_texts_and_reads_wagtails_entries_not_this_process(
    tmp_path, monkeypatch
):
    """With a worker, this process neither hashes a new article's canonical
    text for its record nor reads its texts for Wagtail's SQLite entry
    (PostgreSQL's entries are still read here: they need no text ahead)."""
    here = os.getpid()
    hashed, read = [], []
    real_texts = wagtail_texts.texts_of

    def hashing(data):
        if os.getpid() == here:
            hashed.append(data)
        return hashlib.sha256(data)

    def reading(indexer, obj, fields):
        if os.getpid() == here:
            read.append(obj.title)
        return real_texts(indexer, obj, fields)

    # canonical's own hashlib: whoever calls content_sha256, by whatever name.
    monkeypatch.setattr(canonical, "hashlib", SimpleNamespace(sha256=hashing))
    monkeypatch.setattr(wagtail_texts, "texts_of", reading)
    path = write(tmp_path / "wire.jsonl", LINES)
    assert import_jsonl(path, batch_size=5, workers=1).created == 12
    assert hashed == []
    if connection.vendor == "sqlite":
        assert read == []
    assert import_jsonl(write(tmp_path / "b.jsonl", [{**LINES[0], "id": "x"}]),
                        workers=0).created == 1  # fmt: skip
    assert len(hashed) == 1
    changed = [{**LINES[0], "body": "A corrected lead.\n\nAnd more."}]
    assert import_jsonl(write(tmp_path / "c.jsonl", changed)).updated == 1
    assert len(hashed) == 2  # an updated article's text is hashed here


@pytest.mark.django_db
def test_the_worker_prepares_the_values_of_the_rows_it_built(tmp_path, monkeypatch):
    """On SQLite the worker prepares the page and article rows' values it
    set (core/values_ahead.py): this process prepares only what it sets
    afterwards (the tree position, the id) and what may change in place."""
    if connection.vendor != "sqlite":
        pytest.skip("on PostgreSQL the rows' values are prepared at COPY")
    here = os.getpid()
    prepared = set()
    real = models.Field.pre_save  # every field's, the date fields' through super()

    def counted(field, obj, add):
        if os.getpid() == here and isinstance(obj, ArticlePage):
            prepared.add(field.name)
        return real(field, obj, add)

    monkeypatch.setattr(models.Field, "pre_save", counted)
    path = write(tmp_path / "wire.jsonl", LINES)
    assert import_jsonl(path, batch_size=5, workers=1).created == 12
    assert prepared, "no value of a page or article row prepared here at all"
    assert prepared.isdisjoint({"title", "draft_title", "body", "standfirst"})
    assert prepared.isdisjoint({"published_at", "first_published_at", "source_id"})
    assert {"slug", "path", "url_path"} <= prepared


@pytest.mark.django_db
def test_a_record_the_worker_cannot_prepare_is_reported_with_its_line(
    tmp_path, monkeypatch
):
    """An unexpected failure working out one record's texts: its batch is
    refused and reported line by line, the other batches are imported."""
    real = prepare.canonical_text

    def failing(headline, *parts):
        if "7%" in headline:
            raise ValueError("cannot read this headline")
        return real(headline, *parts)

    monkeypatch.setattr(prepare, "canonical_text", failing)
    path = write(tmp_path / "wire.jsonl", LINES)
    summary = import_jsonl(path, batch_size=5, workers=1)
    assert summary.created == 7  # the batch of lines 6-10 is refused
    assert [number for number, _ in summary.errors] == [6, 7, 8, 9, 10]
    assert "cannot read this headline" in summary.errors[1][1]


@pytest.mark.django_db
def test_an_import_whose_worker_dies_goes_on_in_its_own_process(tmp_path, monkeypatch):
    """The worker killed (out of memory, a crash) at the eighth record: every
    record is still imported once, its texts worked out here instead."""
    here = os.getpid()
    real = prepare.prepare

    def dying(record, content_type_id):
        if os.getpid() != here and record.source_id == "wire-7":
            os._exit(9)
        return real(record, content_type_id)

    monkeypatch.setattr(prepare, "prepare", dying)
    path = write(tmp_path / "wire.jsonl", LINES)
    summary = import_jsonl(path, batch_size=5, workers=1)
    assert (summary.created, summary.bad) == (12, 0)
    assert ArticlePage.objects.count() == 12
    titles = {line["title"] for line in LINES}
    assert set(ArticlePage.objects.values_list("title", flat=True)) == titles


def test_preparing_a_record_reads_nothing_from_the_database():
    """A worker must not use the database connections it inherits: building
    the page takes its content type as given (no django_db mark: a query
    here fails the test), even with the content types not cached."""
    ContentType.objects.clear_cache()
    record = parse_line(json.dumps(LINES[3]))
    article = prepare.prepare(record, content_type_id=41).article
    assert (article.content_type_id, article.pk) == (41, None)
    assert article.word_count == len(LINES[3]["body"].split())


@pytest.mark.django_db
def test_the_search_backend_is_found_before_the_worker_needs_it():
    """Building a search backend may query the database (modelsearch checks
    its FTS table the first time in a process): the importing process finds
    it before forking, and preparing a record then reads nothing, with the
    texts of Wagtail's entry worked out (on SQLite)."""
    wagtail_texts.find_sqlite_backend(ArticlePage)
    record = parse_line(json.dumps(LINES[3]))
    with CaptureQueriesContext(connection) as queries:
        article = prepare.prepare(record, content_type_id=41).article
    assert list(queries) == []
    if connection.vendor == "sqlite":
        assert wagtail_texts.recall_sqlite_entry(article) is not None


@pytest.mark.django_db
def test_the_worker_builds_the_new_pages_not_the_importing_process(
    tmp_path, monkeypatch
):
    """Wagtail's page constructor was a tenth of the import process's time:
    with a worker, this process constructs no page for a new record (pages
    read from the database are built positionally and are not counted)."""
    here = os.getpid()
    built = []
    real = ArticlePage.__init__

    def counted(self, *args, **kwargs):
        if os.getpid() == here and "source_id" in kwargs:
            built.append(kwargs["source_id"])
        real(self, *args, **kwargs)

    monkeypatch.setattr(ArticlePage, "__init__", counted)
    path = write(tmp_path / "wire.jsonl", LINES)
    assert import_jsonl(path, batch_size=5, workers=1).created == 12
    assert built == []
    assert ArticlePage.objects.filter(slug__startswith="port-tariffs").count() == 12
    assert import_jsonl(write(tmp_path / "b.jsonl", [{**LINES[0], "id": "x"}]),
                        workers=0).created == 1  # fmt: skip
    assert built == ["x"]


# Threads alive in this process each time it forks, while a test listens.
FORKS = []
LISTENING = []
os.register_at_fork(
    before=lambda: FORKS.append(set(threading.enumerate())) if LISTENING else None
)


@pytest.mark.django_db
def test_the_worker_is_forked_from_a_process_running_no_thread_of_the_import(
    tmp_path,
):
    """A fork copies the locks other threads may hold at that moment: the
    command's progress bar starts no monitor thread before the worker is
    forked (tqdm's did, and the fork came after it)."""
    path = write(tmp_path / "wire.jsonl", LINES)
    before = set(threading.enumerate())  # the test runner's own, if any
    LISTENING.append(True)
    try:
        call_command("import_articles", str(path), batch_size=5, stdout=io.StringIO())
    finally:
        LISTENING.clear()
    assert FORKS, "the import forked no worker"
    assert all(alive <= before for alive in FORKS), [
        thread.name for alive in FORKS for thread in alive - before
    ]
    assert ArticlePage.objects.count() == 12
