"""Parse an import's lines and work out their texts in a second process, ahead.

Half of a SQLite import's time is SQLite's own (writing rows and full-text
indexes), the other half Python, one after the other in one process: with a
second core idle. What a record's article will say needs no database: the
record itself, its standfirst and body as HTML, its plain text, its canonical
text (what provenance signs) and the texts the search index stores. A worker
process works those out for the next batches while this one writes the
current batch; each batch's results come back in order.

The worker also builds each new article's page (an unsaved ArticlePage with
those texts and its dates): Wagtail's page constructor was a tenth of the
import process's time, and an unpickled page is not constructed again. The
importer only places it in the tree (slug, section, path).

The results are only ever a head start. The article's own methods check that
the parts a text was made from are still the article's (`remember_*`), and a
record whose texts could not be worked out ahead (an unexpected error) is
handed over as a bare record: the batch works them out as it always did, and
a failure is reported with its lines, as before. A worker that dies (killed,
out of memory) leaves the rest of the import to this process: slower, nothing
lost.

`workers=0` does the same work in this process (one core, or a test that wants
no second process).
"""

import collections
import logging
import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from django.utils import timezone
from django.utils.html import escape

from byline.importers.bulk import prepare_ahead
from byline.importers.records import RecordError, parse_line
from byline.importers.wagtail_texts import find_sqlite_backend, remember_sqlite_entry
from byline.news.models import ArticlePage
from byline.provenance.canonical import canonical_text, remember_article_text
from byline.search.indexing import remember_index_texts
from byline.search.text import for_index

logger = logging.getLogger(__name__)
# Batches worked out ahead of the one being written: one in the worker, one
# waiting, so the worker never waits for this process to ask.
AHEAD = 2
# How often a worker checks that the import that started it is still there.
PARENT_CHECK_SECONDS = 0.5


@dataclass(frozen=True)
class Prepared:
    """A record and its new article, unsaved and not yet placed in the tree."""

    record: object  # records.ArticleRecord
    article: ArticlePage


@dataclass(frozen=True)
class Chunk:
    """Lines read together, and where the file stood after each of them."""

    lines: list  # [(line number, text)]
    marks: list  # [checkpoint.Mark], one a line


def prepare(record, content_type_id):
    """Build the article of a parsed record, with every text it will need.

    Nothing here reads the database (a worker must not use the connections
    it inherits): the page's content type is given, so Wagtail's page
    constructor does not look it up.
    """
    standfirst = record.standfirst()
    body_html = record.body_html()
    search_text = " ".join(record.paragraphs)
    published = record.published or timezone.now()
    article = ArticlePage(
        title=record.title,
        draft_title=record.title,
        standfirst=standfirst,
        body=body_html,
        source_id=record.source_id,
        published_at=published,
        first_published_at=published,
        last_published_at=published,
        live=True,
        has_unpublished_changes=False,
        numchild=0,
        content_type_id=content_type_id,
        word_count=len(record.body.split()),
    )
    article.set_search_text(search_text)
    remember_article_text(
        article, canonical_text(escape(record.title), escape(standfirst), body_html)
    )
    remember_index_texts(
        article,
        (for_index(record.title), for_index(standfirst), for_index(search_text)),
    )
    remember_sqlite_entry(article)
    prepare_ahead(article)
    return Prepared(record=record, article=article)


def prepare_lines(lines, content_type_id):
    """Return [(line number, Prepared | ArticleRecord | error message | None)]
    for [(line number, text)]: None for a blank line, the reason for a bad
    one, a bare record when its texts failed (the batch will say why).
    `content_type_id`: ArticlePage's."""
    results = []
    for number, text in lines:
        if not text.strip():
            results.append((number, None))
            continue
        try:
            record = parse_line(text)
        except RecordError as exc:
            results.append((number, str(exc)))
            continue
        try:
            results.append((number, prepare(record, content_type_id)))
        except Exception:  # reported by the batch, with its line
            results.append((number, record))
    return results


class Ahead:
    """Prepare chunks of lines in `workers` processes (0: in this one), ahead of
    their use; a context manager that stops the workers on leaving.
    `content_type_id`: ArticlePage's."""

    def __init__(self, content_type_id, workers=1):
        self.content_type_id = content_type_id
        self.workers = workers
        self.pool = None

    def __enter__(self):
        # Here, before any fork: it may read the database (wagtail_texts.py).
        find_sqlite_backend(ArticlePage)
        if self.workers:
            # Forked: the worker has Django's settings and apps already, and
            # never touches the database connections it inherits.
            context = multiprocessing.get_context("fork")
            self.pool = ProcessPoolExecutor(
                self.workers,
                mp_context=context,
                initializer=_leave_with,
                initargs=(os.getpid(),),
            )
        return self

    def __exit__(self, *exc_info):
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
            self.pool = None

    def prepared(self, chunks):
        """Yield (chunk, prepare_lines(…)) for each chunk, in order."""
        pending = collections.deque()
        for chunk in chunks:
            pending.append((chunk, self._submit(chunk)))
            if len(pending) > AHEAD:
                yield self._result(*pending.popleft())
        while pending:
            yield self._result(*pending.popleft())

    def _submit(self, chunk):
        if self.pool is None:
            return None
        try:
            return self.pool.submit(prepare_lines, chunk.lines, self.content_type_id)
        except BrokenProcessPool:
            self._lost_worker()
            return None

    def _result(self, chunk, future):
        """A chunk's results; in this process if the worker is gone (killed,
        out of memory): the import goes on, more slowly, losing nothing."""
        if future is not None:
            try:
                return chunk, future.result()
            except BrokenProcessPool:
                self._lost_worker()
        return chunk, prepare_lines(chunk.lines, self.content_type_id)

    def _lost_worker(self):
        if self.pool is not None:
            logger.warning("The import's worker process died: preparing in-process")
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool = None


def _leave_with(parent):
    """In a worker: exit as soon as the import that started it is gone. A
    killed import (SIGKILL, the OOM killer) cannot stop its pool, and a worker
    waiting for its next batch would wait for ever."""

    def watch():
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="byline-import-parent", daemon=True).start()
