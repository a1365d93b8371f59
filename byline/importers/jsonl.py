"""Import a JSON Lines article corpus into the page tree, quickly and idempotently.

Wagtail's `add_child` re-reads the parent and its last child for every page and
the post-save hooks index each page one at a time; for 10,000 articles that is
minutes. Here the tree paths of a section's new children are computed in
memory, per-page hooks are held back, and the search index is filled in bulk
once per batch. Articles are keyed by `source_id`, so running the same file
again updates what changed and creates nothing twice.
"""

import logging
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import F
from django.db.models.signals import post_delete, post_save
from modelsearch.signal_handlers import (
    post_delete_signal_handler,
    post_save_signal_handler,
)
from taggit.models import Tag
from wagtail.models import Page
from wagtail.search.backends import get_search_backends
from wagtail.signal_handlers import disable_reference_index_auto_update

from byline.core import sqlite_bulk
from byline.importers import prepare, statistics, wagtail_index
from byline.importers.bulk import insert_articles
from byline.importers.checkpoint import CheckpointedFile
from byline.importers.section_slots import SectionSlot
from byline.news.models import ArticleAuthor, ArticlePage, ArticleTag, Author
from byline.news.signals import articles_imported, import_finished
from byline.news.site_setup import ensure_home_page, ensure_section, unicode_slug
from byline.provenance import signer
from byline.provenance.records import Signing

logger = logging.getLogger(__name__)
DEFAULT_SECTION = "News"


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list = field(default_factory=list)  # (line number, reason)
    shortened: int = 0  # headlines cut to fit a page title, kept whole in the body
    seconds: float = 0.0
    resumed_after: int = 0  # lines an interrupted run of the file had committed

    @property
    def bad(self):
        return len(self.errors)

    def __str__(self):
        return (
            f"{self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged, "
            + (f"{self.shortened} headlines shortened, " if self.shortened else "")
            + f"{self.bad} bad line{'s' if self.bad != 1 else ''} "
            f"in {self.seconds:.1f}s"
            + (
                f", resumed after line {self.resumed_after}"
                if self.resumed_after
                else ""
            )
        )


@contextmanager
def deferred_search_indexing():
    """Hold back per-page search indexing; the importer indexes each batch in bulk."""
    post_save.disconnect(post_save_signal_handler, sender=ArticlePage)
    post_delete.disconnect(post_delete_signal_handler, sender=ArticlePage)
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        post_save.connect(post_save_signal_handler, sender=ArticlePage)
        post_delete.connect(post_delete_signal_handler, sender=ArticlePage)


class ArticleImporter:
    """Import records in batches; each batch commits on its own."""

    def __init__(self, batch_size=500, progress=None, report=None, workers=1):
        self.batch_size = batch_size
        self.workers = workers  # processes parsing ahead (prepare.py); 0: none
        self.progress = progress  # callable(n) advancing a progress bar, or None
        self.report = report or (lambda line, reason: None)
        self.summary = ImportSummary()
        self.home = None
        self.signer = None  # provenance's signer process, while `run` runs
        self.slots = {}
        self.authors = {}
        self.statistics = statistics.AsItGrows()
        self.content_type = ContentType.objects.get_for_model(ArticlePage)
        # Each of Wagtail's backends with the title lengths its batches carry.
        self.search_backends = [
            (backend, wagtail_index.TitleNorms())
            for backend in get_search_backends(with_auto_update=True)
        ]

    def run(self, source):
        """Import a CheckpointedFile and return an ImportSummary."""
        started = time.perf_counter()
        self.home = ensure_home_page()
        self.source = source
        self.summary.resumed_after = source.resumed_after
        if self.progress and source.resumed_after:
            self.progress(source.resumed_after)
        seen, batch, mark = {}, [], None
        with (
            deferred_search_indexing(),
            # Forked first: the prepare pool starts threads in this process.
            # On PostgreSQL nothing is left to overlap the signing with (see
            # _import_batch): no signer.
            signer.Signer(
                enabled=self.workers > 0 and connection.vendor == "sqlite"
            ) as self.signer,
            prepare.Ahead(self.content_type.pk, self.workers) as ahead,
        ):
            for chunk, results in ahead.prepared(self._chunks(source)):
                if self.progress:
                    self.progress(len(chunk.lines))
                for (number, found), mark in zip(results, chunk.marks, strict=True):
                    if not self._fresh(number, found, seen):
                        continue
                    batch.append((number, found))
                    if len(batch) >= self.batch_size:
                        self._import_batch_or_report(batch, mark)
                        batch = []
            if batch:  # with the lines after it: the file's end is reached
                self._import_batch_or_report(batch, mark)
        self._finish()
        self.summary.seconds = time.perf_counter() - started
        return self.summary

    def _chunks(self, source):
        """The file's lines, a batch's worth at a time, each with its mark."""
        lines, marks = [], []
        for number, text, _ in source:
            lines.append((number, text))
            marks.append(source.mark())
            if len(lines) >= self.batch_size:
                yield prepare.Chunk(lines, marks)
                lines, marks = [], []
        if lines:
            yield prepare.Chunk(lines, marks)

    def _fresh(self, number, found, seen):
        """Whether a prepared line is a record to import: blank lines, bad
        ones (reported) and repeated ids (reported) are not."""
        if found is None:
            return False
        if isinstance(found, str):
            self._bad(number, found)
            return False
        record = getattr(found, "record", found)
        if record.source_id in seen:
            first = seen[record.source_id]
            self._bad(
                number, f"duplicate id {record.source_id!r} (first on line {first})"
            )
            return False
        seen[record.source_id] = number
        self.summary.shortened += record.full_title is not None
        return True

    def _finish(self):
        """Work done once per import, for every batch committed, by this process
        or by an interrupted run of the same file before it."""
        touched = self.source.touched_ids()
        if touched:
            statistics.settle()
            import_finished.send(sender=ArticlePage, article_ids=touched)
        self.source.finish()

    def _others_indexed(self):
        """Wagtail's own indexing wrote an entry (a new section's, a new
        author's): the title lengths are read again before the next batch."""
        for _, norms in self.search_backends:
            norms.forget()

    def _bad(self, number, reason):
        self.summary.errors.append((number, reason))
        self.report(number, reason)

    def _import_batch_or_report(self, batch, mark):
        # Before a batch, not after: after the last one, _finish's own
        # statistics follow at once.
        self.statistics.written(self.summary.created + self.summary.updated)
        try:
            self._import_batch(batch, mark)
        except Exception as exc:  # the database refused the batch: report, go on
            logger.exception("Import batch failed")
            # Sections, authors and tree positions it made were rolled back too.
            self.slots.clear()
            self.authors.clear()
            for _, norms in self.search_backends:
                norms.forget()
            for number, _ in batch:
                self._bad(
                    number, f"not imported, the database refused its batch: {exc}"
                )

    def _import_batch(self, batch, mark):
        """Import a batch and record it in the run, in one transaction: after a
        crash, a batch is either wholly in the database, signed and indexed, and
        recorded, or not there at all."""
        with transaction.atomic():
            existing = {
                a.source_id: a
                for a in ArticlePage.objects.filter(
                    source_id__in=[getattr(f, "record", f).source_id for _, f in batch]
                )
            }
            new, changed = [], []
            for number, found in batch:
                record = getattr(found, "record", found)
                article = existing.get(record.source_id)
                if article is None:
                    new.append((number, self._build(found)))
                    continue
                try:
                    with transaction.atomic():
                        if self._update(article, record):
                            changed.append(article)
                        else:
                            self.summary.unchanged += 1
                except Exception as exc:  # one refused update must not stop the import
                    logger.exception("Update from line %s failed", number)
                    self._bad(number, f"could not be saved: {exc}")
            created = self._insert(new)
            self._attach_authors(created)
            self._attach_tags(created)
            # Provenance's receiver, the last, starts signing the batch (taking
            # the log's lock: records.start_imports) and returns the Signing,
            # done in the signer process while this one writes Wagtail's
            # entries. A SQLite writer holds the whole database, so nothing can
            # wait on the batch's rows meanwhile; on PostgreSQL a publication
            # locks its page's entry, then the log: the import writes its
            # entries before taking the log's lock, in the same order.
            overlap = connection.vendor == "sqlite"
            if not overlap:
                self._index(created, changed)
            sent = articles_imported.send(
                sender=ArticlePage,
                articles=created + changed,
                signer=self.signer,
                bylines=self._bylines(created),
            )
            if overlap:
                self._index(created, changed)
            for _, signing in sent:
                if isinstance(signing, Signing):
                    signing.finish()
            self._count_children()
            self.source.commit_batch([a.pk for a in created + changed], mark)
            self.summary.created += len(created)
            self.summary.updated += len(changed)

    def _slot(self, category):
        title = (category or DEFAULT_SECTION).strip()
        title = title[:1].upper() + title[1:]
        key = unicode_slug(title) or "news"
        if key not in self.slots:
            self.slots[key] = SectionSlot(ensure_section(self.home, title))
            self._others_indexed()  # the section may be new
        return self.slots[key]

    def _author(self, name):
        if not name:
            return None
        slug = unicode_slug(name)[:120] or None
        if slug is None:
            return None
        if slug not in self.authors:
            self.authors[slug], created = Author.objects.get_or_create(
                slug=slug, defaults={"name": name[:120]}
            )
            if created:
                self._others_indexed()
        return self.authors[slug]

    def _build(self, found):
        """Return the new article of a record (a prepare.Prepared, or a bare
        record whose article is built here), placed in the tree, unsaved."""
        if not isinstance(found, prepare.Prepared):
            found = prepare.prepare(found, self.content_type.pk)
        record, article = found.record, found.article
        slot = self._slot(record.category)
        article.slug = slot.take_slug(record.title, record.source_id)
        article.section = slot.section
        article.depth = slot.section.depth + 1
        article.path = slot.take_path()
        article.url_path = f"{slot.section.url_path}{article.slug}/"
        article.locale_id = slot.section.locale_id
        article._pending_author = self._author(record.author)
        article._pending_tags = record.tags
        return article

    def _insert(self, new):
        """Insert new articles (`bulk.insert_articles`). Records were validated
        and their ids checked, so a failure here is a database fault: the
        caller rolls the batch back and reports its lines."""
        articles = [article for _, article in new]
        insert_articles(articles)
        return articles

    def _update(self, article, record):
        """Apply a changed record to an existing article; return True if it changed."""
        wanted = {
            "title": record.title,
            "standfirst": record.standfirst(),
            "body": record.body_html(),
        }
        if record.published:
            wanted["published_at"] = record.published
        changes = {k: v for k, v in wanted.items() if getattr(article, k) != v}
        if not changes:
            return False
        for key, value in changes.items():
            setattr(article, key, value)
        article.draft_title = article.title
        article.save(clean=False, log_action=None)
        return True

    def _attach_authors(self, created):
        ArticleAuthor.objects.bulk_create(
            [
                ArticleAuthor(page=a, author=a._pending_author, sort_order=0)
                for a in created
                if a._pending_author is not None
            ]
        )

    def _bylines(self, created):
        """{page id: [Author]} of the new articles, as _attach_authors wrote them."""
        return {
            a.pk: [a._pending_author] if a._pending_author is not None else []
            for a in created
        }

    def _attach_tags(self, created):
        """Create missing tags and link them to the new articles in two bulk inserts."""
        names = {t for a in created for t in a._pending_tags}
        if not names:
            return
        tags = {t.name.lower(): t for t in Tag.objects.filter(name__in=names)}
        for name in names:
            if name.lower() not in tags:
                # Names are matched without case, as TAGGIT_CASE_INSENSITIVE does.
                tag = Tag.objects.filter(name__iexact=name).first()
                if tag is None:
                    tag = Tag(name=name)
                    tag.save()  # taggit picks a free slug when two names slugify alike
                tags[name.lower()] = tag
        ArticleTag.objects.bulk_create(
            [
                ArticleTag(content_object=a, tag=tags[t.lower()])
                for a in created
                for t in a._pending_tags
            ],
            ignore_conflicts=True,
        )

    def _index(self, created, changed):
        if not created and not changed:
            return
        # Wagtail's own entries, as its add_bulk writes them, in a few
        # statements (wagtail_index.py); its authors hold no text to index.
        for backend, norms in self.search_backends:
            wagtail_index.add_bulk(backend, ArticlePage, created + changed, norms)

    def _count_children(self):
        """Add this batch's new articles to their sections' child counts, in the
        batch's transaction (treebeard reads a section with numchild 0 as a leaf,
        whose last child is none: a resumed import would reuse taken paths)."""
        for slot in self.slots.values():
            if slot.added:
                Page.objects.filter(pk=slot.section.pk).update(
                    numchild=F("numchild") + slot.added
                )
                slot.added = 0


def import_jsonl(path, **kwargs):
    """Import the JSON Lines file at `path` and return an ImportSummary; an
    unfinished import of the same file resumes where it stopped."""
    source = CheckpointedFile(Path(path).resolve()).open()
    try:
        with sqlite_bulk.bulk_writes():
            return ArticleImporter(**kwargs).run(source)
    finally:
        source.close()
