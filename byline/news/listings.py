"""Queries behind every article listing, kept cheap at 100,000 articles.

Each listing is one indexed query plus a COUNT for pagination (LIMIT/OFFSET in
the database, never a list of the whole table), so its cost does not grow with
the archive, the tags or the authors.
"""

from typing import NamedTuple

from django.apps import apps
from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.db.models.functions import Substr

from byline.core.pageurls import row_links
from byline.core.prepared import Prepared, first
from byline.core.privacy import public, restricted_key
from byline.core.tree import subtree
from byline.news.cards import COLUMNS, build_cards, card_rows

SECTION = COLUMNS.index("section_id")  # where a card row holds its section

FRONT_PAGE_LATEST = 4
FRONT_PAGE_PER_SECTION = 4


def published():
    """Live, public articles newest first."""
    article_model = apps.get_model("news", "ArticlePage")
    return public(article_model.objects.live()).order_by("-published_at", "-pk")


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
    return paginator.get_page(request.GET.get("page"))


def paginate_cards(queryset, request):
    """The requested page of an article queryset, its articles as cards."""
    page = paginate(card_rows(queryset), request)
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
        pinned = first(
            _TOP(path=home.path, length=len(home.path), pk=home.top_story_id)
        )
    top_rows = [pinned] if pinned else []
    latest_rows = _LATEST(
        path=home.path, length=len(home.path), top=pinned[0] if pinned else 0
    )
    if not top_rows and latest_rows:
        top_rows = [latest_rows.pop(0)]
    latest_rows = latest_rows[:FRONT_PAGE_LATEST]
    shown = [row[0] for row in top_rows + latest_rows]
    section_link = row_links(apps.get_model("news", "SectionPage"), request)
    sections = [
        SectionLink(pk, title, section_link(pk, url_path))
        for path, pk, title, url_path in sorted(
            _MENU_SECTIONS(low=low, high=high, depth=home.depth + 1)
        )
    ]
    grouped = []
    if sections:
        by_section = {}
        for row in _section_blocks(len(sections), len(shown))(
            **{f"section{i}": s.pk for i, s in enumerate(sections)},
            **{f"shown{i}": pk for i, pk in enumerate(shown)},
        ):
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


def _below(p):
    """Published articles below the page at p.path, whose path has p.length
    characters. Not a range: with one SQLite reads every article's path in
    order and sorts them by date. Not a LIKE either: SQLite prepares a
    statement again at every run when its LIKE pattern is a parameter (0.04 ms).
    Comparing the start of each path lets it walk the date index."""
    return published().alias(tree_root=Substr("path", 1, int(p.length)))


# The home page's queries, compiled once per connection (byline.core.prepared);
# what they leave out of public listings varies with the restricted paths.
_TOP = Prepared(
    lambda p: card_rows(_below(p).filter(tree_root=p.path, pk=p.pk)),
    vary=restricted_key,
)
_LATEST = Prepared(
    lambda p: card_rows(
        _below(p).filter(tree_root=p.path).exclude(pk=p.top)[: FRONT_PAGE_LATEST + 1]
    ),
    vary=restricted_key,
)
_MENU_SECTIONS = Prepared(
    lambda p: (
        public(apps.get_model("news", "SectionPage").objects.live().in_menu())
        .filter(path__range=(p.low, p.high), depth=p.depth)
        # Sorted by path in Python: ordered in SQL, SQLite walked the whole
        # page table's path index (2.5 ms at 10,000 articles), not the sections.
        .order_by()
        .values_list("path", "pk", "title", "url_path")
    ),
    vary=restricted_key,
)
_BLOCKS = {}


def _section_blocks(sections, shown):
    """Every section block's cards in one query: each section's newest few are
    picked by an indexed subquery of ids (compiling a card query per section
    cost more than running it)."""
    key = (sections, shown)
    if key not in _BLOCKS:

        def build(p):
            skip = [getattr(p, f"shown{i}") for i in range(shown)]
            newest = Q()
            for i in range(sections):
                # From the bare queryset: the card columns' joins would stay
                # in every subquery.
                ids = published().filter(section_id=getattr(p, f"section{i}"))
                if skip:
                    ids = ids.exclude(pk__in=skip)
                newest |= Q(pk__in=ids.values("pk")[:FRONT_PAGE_PER_SECTION])
            return cards().filter(newest)

        _BLOCKS[key] = Prepared(build, vary=restricted_key)
    return _BLOCKS[key]


def section_listing(section, request):
    """The requested page of a section's articles: a COUNT and a page of cards,
    both compiled once per connection."""
    paginator = Paginator(
        _Listing(_SECTION_COUNT, _SECTION_PAGE, section=section.pk),
        settings.NEWS_PAGE_SIZE,
    )
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = build_cards(page.object_list, request)
    return page


class _Listing:
    """What Paginator needs of a queryset (count, slice), from prepared queries."""

    def __init__(self, count, page, **values):
        self._count, self._page, self._values = count, page, values

    def count(self):
        return next(iter(self._count(**self._values)), 0)

    def __getitem__(self, bounds):
        start = bounds.start or 0
        return self._page(start=start, size=bounds.stop - start, **self._values)


# Grouped by the one section it filters on: a single COUNT row, no row at all
# for an empty section.
_SECTION_COUNT = Prepared(
    lambda p: (
        published()
        .filter(section_id=p.section)
        .order_by()
        .values("section_id")
        .annotate(articles=Count("pk"))
        .values_list("articles", flat=True)
    ),
    vary=restricted_key,
)
_SECTION_PAGE = Prepared(
    lambda p: cards().filter(section_id=p.section)[
        int(p.start) : int(p.start) + int(p.size)
    ],
    vary=restricted_key,
)


def authors_of(article):
    """Return an article's authors in byline order, with their photos, in one query."""
    if article.pk and not article.article_authors.is_deferring:
        links = _BYLINE(page=article.pk)  # what every reader's page runs
    else:
        # A preview or an unsaved article holds its byline in memory.
        links = article.article_authors.all()
    # The same author added twice in the editor is shown once.
    authors = {}
    for link in links:
        authors.setdefault(link.author_id, link.author)
    return list(authors.values())


_BYLINE = Prepared(
    lambda p: (
        apps.get_model("news", "ArticleAuthor")
        .objects.filter(page_id=p.page)
        .select_related("author", "author__photo")
        .order_by("sort_order", "pk")
    )
)


_TAGS = Prepared(
    lambda p: (
        apps.get_model("taggit", "Tag")
        .objects.filter(news_articletag_items__content_object_id=p.page)
        .order_by("news_articletag_items__id")
    )
)


def tags_of(article):
    """Return an article's tags in the order they were added, in one query."""
    # A preview or an unsaved article holds its tags in memory.
    if not article.pk or article.tagged_items.is_deferring:
        return list(article.tags.all())
    return _TAGS(page=article.pk)
