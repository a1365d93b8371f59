"""Listing pages that cost the same at page 5 and at page 50,000.

A numbered page (`?page=N`) is a COUNT and an OFFSET: at a million articles,
page 10,000 of a section walks 200,000 rows before its twenty. So only the
first `NEWS_NUMBERED_PAGES` pages are numbered; past them a page is named by
the article just before it (`?before=<article id>`): "the twenty articles
older than this one", found through the (section, date) index whatever the
depth (keyset pagination). Pages keep their links for readers and crawlers:
"Older" and "Newer" on every page (`rel="next"`/`"prev"`).

An old deep link (`?page=N` past the numbered ones, from when every page was
numbered) is answered once with a permanent redirect to the same articles'
`?before=` address; that one walk is paid per old link, not per reader. A
`?before=` naming an article that is gone sends the reader to the first page.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Q

from byline.core.params import parse_int
from byline.news.models import ArticlePage

# The largest `?before=` id read: 18 digits, as before ASCII digits were required.
MAX_CURSOR = 10**18 - 1


@dataclass
class KeysetPage:
    """A page past the numbered ones, with what the pagination links need."""

    object_list: list
    before: int
    newer: dict = field(default_factory=dict)  # query of the newer page ({} = first)
    older: dict | None = None  # query of the older page, None at the end
    number = None
    paginator = None


class GoneCursor(Exception):
    """`?before=` names no article: the reader is sent to the first page."""


def per_page():
    return settings.NEWS_PAGE_SIZE


def numbered_pages():
    return settings.NEWS_NUMBERED_PAGES


def cursor(value):
    """The article id of a `?before=` value, or None when it is not one."""
    # ASCII digits only: str.isdigit() also holds for "¹", which int() refuses.
    return parse_int(value, minimum=0, maximum=MAX_CURSOR)


def older_than(queryset, pk):
    """The queryset's articles after the article `pk` in listing order (newest
    first); GoneCursor if there is no such article."""
    published = (
        ArticlePage.objects.filter(pk=pk).values_list("published_at", flat=True).first()
    )
    if published is None:
        raise GoneCursor(pk)
    # `published_at <= date` on its own, beside the tie-break: the (section,
    # date) index seeks straight to the page. With the OR alone the database
    # walked the index from the newest article and filtered (all 100,000 rows
    # for the oldest page at 100,000 articles on PostgreSQL).
    return queryset.filter(
        Q(published_at__lte=published),
        Q(published_at__lt=published) | Q(pk__lt=pk),
    ), published


def from_upwards(queryset, pk, published):
    """The queryset's articles from article `pk` (published at `published`)
    upwards, oldest first (seeking by date, as `older_than`)."""
    return queryset.filter(
        Q(published_at__gte=published),
        Q(published_at__gt=published) | Q(pk__gte=pk),
    ).order_by("published_at", "pk")


def keyset_page(queryset, rows_of, pk):
    """The page after article `pk`: its card rows and its neighbours' queries.

    `rows_of(queryset)` turns an article queryset into card rows (pk first).
    """
    size = per_page()
    older, published = older_than(queryset, pk)
    rows = list(rows_of(older)[: size + 1])
    # The newer page ends with article pk: the `size` articles from it upwards.
    upwards = from_upwards(queryset, pk, published)
    newer = list(upwards.values_list("pk", flat=True)[: size + 1])
    return KeysetPage(
        object_list=rows[:size],
        before=pk,
        newer={"before": newer[size]} if len(newer) > size else {},
        older={"before": rows[size - 1][0]} if len(rows) > size else None,
    )


def deep_page_address(queryset, request):
    """Where an old `?page=N` past the numbered pages now lives (a query string
    for a permanent redirect), or None when the request is not one."""
    number = parse_int(request.GET.get("page", ""), minimum=0)
    if number is None or number <= numbered_pages():
        return None
    size = per_page()
    count = queryset.count()
    last = max(1, -(-count // size))
    number = min(number, last)  # one past the end shows the last page
    if number <= numbered_pages():
        return "?" + urlencode({"page": number})
    # The article just before page `number`: one walk of the index, once per link.
    pk = queryset.values_list("pk", flat=True)[(number - 1) * size - 1]
    return "?" + urlencode({"before": pk})
