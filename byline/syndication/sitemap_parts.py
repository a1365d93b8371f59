"""What the sitemap index says of each part of the page sitemap, kept in a table.

The index dates each part by its newest page. Computed from the pages, that is
one grouped aggregate over every page row: 234 ms of CPU at 100,000 pages,
seconds at a million (bench/README.md, "Sitemaps at scale"). Kept, it is one
`SitemapPart` row per part, per site root and part size.

The rows stay exact this way:

- Every change to a page marks the rows whose id range holds it, for every site
  and part size (`mark_pages`): the receivers in `signals.py` call it when a
  page is saved (created, published, unpublished, scheduled, a revision saved),
  deleted or moved (with its subtree), when a view restriction is added or
  removed (its page's subtree), and when an import has written pages with SQL
  (`articles_imported`), and when `news/page_updates.update_pages()` has
  changed page rows with `QuerySet.update()` (`pages_updated`; a test fails on
  any other `update()` writing a page field these rows read). Code that writes
  pages with SQL must call it too, or run `manage.py rebuild_sitemap_index`.
- A read (`part_figures`) computes again, in one grouped aggregate restricted to
  their id ranges, the parts whose row is missing or marked. Parts past the
  rows (a new range of ids) are found from the largest page id, so a fresh
  install, a new site root or a new SITEMAP_PART_SIZE builds its rows on the
  first read, at the old aggregate's cost once.
- Figures are stored only if the row was not marked again meanwhile (the update
  is conditional on the version read before the aggregate). A mark is made in
  the changing transaction and once more after it commits: a change the
  aggregate did not see, because it committed later, leaves its row stale even
  when the row was created while that transaction was open.
"""

from functools import partial, reduce
from operator import or_

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Max, Q
from django.db.models.functions import Coalesce
from wagtail.models import Page, PageViewRestriction

from byline.syndication.models import SitemapPart

# Wagtail's lastmod (`Page.get_sitemap_urls`), and the pages that have none.
LASTMOD = Coalesce("last_published_at", "latest_revision_created_at")
UNDATED = Q(last_published_at=None, latest_revision_created_at=None)
RANGES_PER_QUERY = 100  # id ranges ORed in one statement


def part_figures(root_path, size):
    """Return the `SitemapPart` of every part up to the one holding the largest
    page id, for the site whose root is at `root_path`, with parts of `size`:
    the kept rows, those missing or stale computed again and stored."""
    last = Page.objects.order_by("-pk").values_list("pk", flat=True).first()
    count = 0 if last is None else (last - 1) // size + 1
    key = {"root_path": root_path, "size": size}
    rows = {
        row.number: row
        for row in SitemapPart.objects.filter(number__lte=count, **key)
        if row.version == row.built
    }
    stale = [number for number in range(1, count + 1) if number not in rows]
    if stale:
        rows.update(_compute(key, stale, everything=len(stale) == count))
    return [rows[number] for number in range(1, count + 1)]


def _compute(key, numbers, everything):
    """Compute the figures of parts `numbers` and store them; return them by
    number."""
    # The rows exist before the aggregate starts (see the module's docstring).
    SitemapPart.objects.bulk_create(
        [_empty(key, number) for number in numbers],
        ignore_conflicts=True,
        batch_size=1000,
    )
    kept = SitemapPart.objects.filter(**key, number__lte=max(numbers))
    versions = dict(kept.values_list("number", "version"))
    found = {row["part"]: row for row in _aggregate(key, numbers, everything)}
    rows = {number: _figures(key, number, found.get(number)) for number in numbers}
    _store(key, rows, versions)
    return rows


def _figures(key, number, found):
    row = _empty(key, number)
    if found is not None:
        row.pages, row.newest = found["pages"], found["newest"]
        row.undated, row.published = found["undated"] > 0, found["published"]
    return row


def _store(key, rows, versions):
    """Store each computed row unless it was marked after its version was read."""
    empty = {}  # parts without a live public page, by version: one update each
    for number, row in rows.items():
        row.version = row.built = versions.get(number, 0)
        if not row.version:  # deleted meanwhile (rebuild_sitemap_index)
            continue
        if row.pages or row.published:
            SitemapPart.objects.filter(
                **key, number=number, version=row.version
            ).update(
                built=row.version,
                pages=row.pages,
                newest=row.newest,
                undated=row.undated,
                published=row.published,
            )
        else:
            empty.setdefault(row.version, []).append(number)
    for version, numbers in empty.items():
        for start in range(0, len(numbers), 1000):
            SitemapPart.objects.filter(
                **key, number__in=numbers[start : start + 1000], version=version
            ).update(built=version, pages=0, newest=None, undated=False, published=None)


def _aggregate(key, numbers, everything):
    """The figures of parts `numbers` from the pages: one grouped aggregate
    (over every page when `everything`, else over the parts' id ranges)."""
    size = key["size"]
    pages = Page.objects.live().order_by()
    restricted = _restricted_q()
    if restricted:
        pages = pages.exclude(restricted)
    if not everything:
        pages = pages.filter(_ranges_q("pk__gte", "pk__lte", _merged(numbers, size)))
    under = Q(path__startswith=key["root_path"])
    return (
        pages.annotate(part=(F("pk") - 1) / size + 1)
        .values("part")
        .annotate(
            pages=Count("pk", filter=under),
            newest=Max(LASTMOD, filter=under),
            undated=Count("pk", filter=under & UNDATED),
            published=Max("last_published_at"),
        )
    )


def _restricted_q():
    """Pages behind a view restriction, read now from the database (the cached
    paths of `core.privacy` may lag a change by a commit; a row stored from them
    would stay wrong)."""
    paths = PageViewRestriction.objects.values_list("page__path", flat=True)
    return reduce(or_, (Q(path__startswith=path) for path in paths), Q())


def _empty(key, number):
    size = key["size"]
    return SitemapPart(
        **key, number=number, first_pk=(number - 1) * size + 1, last_pk=number * size
    )


def _merged(numbers, size):
    """[(first id, last id)] of the parts `numbers`, adjacent parts joined."""
    ranges = []
    for number in sorted(set(numbers)):
        first, last = (number - 1) * size + 1, number * size
        if ranges and ranges[-1][1] + 1 == first:
            ranges[-1] = (ranges[-1][0], last)
        else:
            ranges.append((first, last))
    return ranges


def _ranges_q(low, high, ranges):
    return reduce(or_, (Q(**{low: first, high: last}) for first, last in ranges))


def mark_pages(pks):
    """Mark stale the kept parts holding these page ids, for every site and
    part size, now and again once the current transaction commits."""
    size = settings.SITEMAP_PART_SIZE
    numbers = {(pk - 1) // size + 1 for pk in pks if pk is not None}
    ranges = _merged(numbers, size)
    if not ranges:
        return
    _mark(ranges)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(partial(_mark, ranges), robust=True)


def _mark(ranges):
    for start in range(0, len(ranges), RANGES_PER_QUERY):
        # A row overlapping a range holds one of its pages, whatever its size.
        chunk = ranges[start : start + RANGES_PER_QUERY]
        overlapping = _ranges_q("last_pk__gte", "first_pk__lte", chunk)
        SitemapPart.objects.filter(overlapping).update(version=F("version") + 1)


def mark_subtree(page):
    """Mark the parts of a page and every page below it."""
    if page.numchild == 0:
        mark_pages([page.pk])
    else:
        subtree = Page.objects.filter(path__startswith=page.path)
        mark_pages(list(subtree.values_list("pk", flat=True)))


def refresh():
    """Compute again the stale parts of every kept site root (after an import)."""
    size = settings.SITEMAP_PART_SIZE
    roots = SitemapPart.objects.filter(size=size).values_list("root_path", flat=True)
    for root_path in roots.distinct().order_by("root_path"):
        part_figures(root_path, size)


def rebuild(root_paths):
    """Forget every kept row and compute those of these site roots afresh."""
    SitemapPart.objects.all().delete()
    for root_path in root_paths:
        part_figures(root_path, settings.SITEMAP_PART_SIZE)
