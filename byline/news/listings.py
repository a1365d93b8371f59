"""Queries behind every article listing, kept cheap at 100,000 articles.

Each listing is one indexed query plus a COUNT for pagination (LIMIT/OFFSET in
the database, never a list of the whole table), so its cost does not grow with
the archive, the tags or the authors.
"""

from collections.abc import Sequence
from functools import cached_property
from typing import NamedTuple

from django.apps import apps
from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Q
from django.db.models.functions import Substr
from django.http import HttpResponsePermanentRedirect

from byline.core.cacheable import rendered_with
from byline.core.pageurls import row_links
from byline.core.privacy import public
from byline.core.tree import subtree
from byline.news import keyset, statements
from byline.news.cards import COLUMNS, build_cards, card_rows
from byline.news.public import public_articles

SECTION = COLUMNS.index("section_id")  # where a card row holds its section

FRONT_PAGE_LATEST = 4
FRONT_PAGE_PER_SECTION = 4


def published():
    """Live, public articles newest first."""
    return public_articles().order_by("-published_at", "-pk")


def published_articles():
    """Return live, public articles newest first, with what a card shows joined in."""
    return (
        published()
        # A card shows no body: leave the longest columns in the database.
        .defer("body", "sources", "search_description", "seo_title")
        .select_related("section", "hero_image")
        .prefetch_related("hero_image__renditions")
    )


def cards():
    """Public live articles newest first, as card rows (`byline.news.cards`)."""
    return card_rows(published())


def paginate(queryset, request, per_page=None):
    """Return the requested page of a queryset; bad page numbers fall back sanely."""
    paginator = Paginator(queryset, per_page or settings.NEWS_PAGE_SIZE)
    return page_of(paginator, request)


def page_of(paginator, request):
    """The page `?page=` asks for (a bad number shows the first page, one past
    the end the last), declared to the page cache, which keeps only pages asked
    for by their own number (`core.cacheable.rendered_with`)."""
    page = paginator.get_page(request.GET.get("page"))
    if "page" in request.GET:
        rendered_with(request, page=page.number)
    return page


class CardRows:
    """An article queryset's card rows for a Paginator, counted on the bare
    queryset: the card columns' joins (section, two renditions) kept in the
    COUNT tripled its cost at 10,000 articles."""

    def __init__(self, queryset):
        self.queryset = queryset
        self.rows = card_rows(queryset)

    def count(self):
        return self.queryset.count()

    def __getitem__(self, index):
        return self.rows[index]


def paginate_cards(queryset, request):
    """The requested page of an article queryset, its articles as cards:
    numbered near the top, keyed by an article past them (`keyset`)."""
    pk = keyset.cursor(request.GET.get("before"))
    if pk is not None:
        page = keyset.keyset_page(queryset, card_rows, pk)
        rendered_with(request, before=pk)
    else:
        page = paginate(CardRows(queryset), request)
        page.object_list = list(page.object_list)
        page.newer = {"page": page.number - 1} if page.has_previous() else None
        page.older = None
        if page.has_next():
            last_numbered = page.number >= keyset.numbered_pages()
            page.older = (
                {"before": page.object_list[-1][0]}
                if last_numbered
                else {"page": page.number + 1}
            )
    page.object_list = build_cards(page.object_list, request)
    return page


class SectionLink(NamedTuple):
    """A section block's heading on the home page."""

    pk: int
    title: str
    url: str


def front_page(home, request):
    """Return the home page's top story, latest articles and section blocks.

    Section blocks skip what the top of the page already shows, so a reader
    scrolling down meets new stories rather than the same ones again.
    """
    low, high = subtree(home.path)
    pinned = None
    if home.top_story_id:
        pinned = card_rows(_below(home.path).filter(pk=home.top_story_id)).first()
    top_rows = [pinned] if pinned else []
    latest_rows = list(
        card_rows(_below(home.path).exclude(pk=pinned[0] if pinned else 0))[
            : FRONT_PAGE_LATEST + 1
        ]
    )
    if not top_rows and latest_rows:
        top_rows = [latest_rows.pop(0)]
    latest_rows = latest_rows[:FRONT_PAGE_LATEST]
    shown = [row[0] for row in top_rows + latest_rows]
    section_link = row_links(apps.get_model("news", "SectionPage"), request)
    sections = [
        SectionLink(pk, title, section_link(pk, url_path))
        for path, pk, title, url_path in sorted(
            public(apps.get_model("news", "SectionPage").objects.live().in_menu())
            .filter(path__range=(low, high), depth=home.depth + 1)
            # Sorted by path in Python: ordered in SQL, SQLite walked the whole
            # page table's path index (2.5 ms at 10,000 articles), not the sections.
            .order_by()
            .values_list("path", "pk", "title", "url_path")
        )
    ]
    grouped = []
    if sections:
        by_section = {}
        # Written as SQL (`statements`; its ORM twin is `section_blocks_by_orm`).
        rows = statements.section_block_rows(
            [s.pk for s in sections], shown, FRONT_PAGE_PER_SECTION
        )
        for row in rows:
            by_section.setdefault(row[SECTION], []).append(row)
        grouped = [(s, by_section[s.pk]) for s in sections if s.pk in by_section]
    # Every card of the page built at once: one renditions query, one set-up.
    cards = iter(
        build_cards(
            top_rows + latest_rows + [row for _, rows in grouped for row in rows],
            request,
        )
    )
    top = next(cards) if top_rows else None
    latest = [next(cards) for _ in latest_rows]
    blocks = [(section, [next(cards) for _ in rows]) for section, rows in grouped]
    return {
        "top_story": top,
        "top_stories": [top] if top else [],
        "latest": latest,
        "section_blocks": blocks,
    }


def _below(path):
    """Published articles below the page at `path`. Not a range: with one
    SQLite reads every article's path in order and sorts them by date. Not a
    LIKE either: SQLite prepares a statement again at every run when its LIKE
    pattern is a parameter. Comparing the start of each path lets it walk the
    date index."""
    return (
        published().alias(tree_root=Substr("path", 1, len(path))).filter(tree_root=path)
    )


def section_blocks_by_orm(section_ids, shown):
    """Every section block's cards in one query: each section's newest few are
    picked by an indexed subquery of ids.

    The reference that `statements.section_block_rows` (what pages run) is
    compared with, row for row, by `test_statements.py`.
    """
    newest = Q()
    for section_id in section_ids:
        # From the bare queryset: the card columns' joins would stay in every
        # subquery.
        ids = published().filter(section_id=section_id)
        if shown:
            ids = ids.exclude(pk__in=shown)
        newest |= Q(pk__in=ids.values("pk")[:FRONT_PAGE_PER_SECTION])
    return cards().filter(newest)


def address_of(page):
    """What names a listing page in its canonical address: its number, or
    `{"before": id}` past the numbered pages."""
    return {"before": page.before} if page.number is None else page.number


def moved_page(queryset, request):
    """A permanent redirect for an old deep `?page=N` (see `keyset`), else None."""
    address = keyset.deep_page_address(queryset, request)
    return HttpResponsePermanentRedirect(request.path + address) if address else None


def section_articles(section):
    return published().filter(section_id=section.pk)


def section_listing(section, request):
    """The requested page of a section's articles (`paginate_cards`)."""
    return paginate_cards(section_articles(section), request)


def authors_of(article):
    """Return an article's authors in byline order, with their photos, in one query."""
    if article.pk and not article.article_authors.is_deferring:
        # Written as SQL (`statements`; its ORM twin is in their docstring).
        return statements.byline_authors(article.pk)
    # A preview or an unsaved article holds its byline in memory.
    links = article.article_authors.all()
    # The same author added twice in the editor is shown once.
    authors = {}
    for link in links:
        authors.setdefault(link.author_id, link.author)
    return list(authors.values())


class ReadOnUse(Sequence):
    """`read(article)` as a list, read the first time it is used: the parts of
    an article page kept between renders (byline/core/fragments.py) need
    the byline and tags only when they are rendered again."""

    def __init__(self, read, article):
        self.read, self.article = read, article

    @cached_property
    def items(self):
        return list(self.read(self.article))

    def __getitem__(self, index):
        return self.items[index]

    def __len__(self):
        return len(self.items)


def tags_of(article):
    """Return an article's tags in the order they were added, in one query."""
    # A preview or an unsaved article holds its tags in memory.
    if not article.pk or article.tagged_items.is_deferring:
        return list(article.tags.all())
    return list(
        apps.get_model("taggit", "Tag")
        .objects.filter(news_articletag_items__content_object_id=article.pk)
        .order_by("news_articletag_items__id")
    )
