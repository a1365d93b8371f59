"""What an article page shows under "You may also like", in one query."""

from dataclasses import dataclass

from byline.core.dates import CardDates
from byline.core.prepared import Prepared
from byline.news.models import ArticlePage
from byline.related.models import RelatedLink

# Every article page runs it: compiled once (see byline.core.prepared).
# What a related card shows (byline/jinja2/related/related_block.html) and its
# link needs; every article page runs it, compiled once (byline.core.prepared).
CARD_FIELDS = [
    "id",
    "rank",
    "reason",
    "article_id",
    "related_id",
    "thumbnail",
    "related__id",
    "related__path",
    "related__depth",
    "related__url_path",
    "related__title",
    "related__live",
    "related__content_type_id",
    "related__standfirst",
    "related__published_at",
    "related__section_id",
    "related__section__id",
    "related__section__title",
    "related__section__path",
    "related__section__depth",
    "related__section__url_path",
    "related__section__content_type_id",
]
LINKS = Prepared(
    lambda p: (
        RelatedLink.objects.filter(article_id=p.article, related__live=True)
        .select_related("related", "related__section", "thumbnail")
        .only(*CARD_FIELDS)
        .order_by("rank")
    )
)


def related_links(article):
    """Return the article's stored related links with everything a card shows."""
    return LINKS(article=article.pk)


@dataclass(frozen=True)
class RelatedCard:
    """What a "You may also like" card shows, read as a row (no page objects)."""

    url: str
    title: str
    standfirst: str
    published_at: object
    section_title: str
    reason: str
    thumbnail: object  # (url, width, height) or None
    # The published time in the reader's time zone, as <time> shows it.
    datetime_attr: str = ""
    date_text: str = ""


CARD_ROWS = Prepared(
    lambda p: (
        RelatedLink.objects.filter(article_id=p.article, related__live=True)
        .order_by("rank")
        .values_list(
            "related_id",
            "related__url_path",
            "related__title",
            "related__standfirst",
            "related__published_at",
            "related__section__title",
            "reason",
            "thumbnail__file",
            "thumbnail__width",
            "thumbnail__height",
        )
    )
)


def related_cards(article, request):
    """The cards under an article, one query and no page objects: building four
    Wagtail pages (and their sections and thumbnails) was most of the block."""
    from byline.core.pageurls import row_links
    from byline.news.cards import rendition_url

    link = row_links(ArticlePage, request)
    dates = CardDates()
    cards = []
    for row in CARD_ROWS(article=article.pk):
        pk, url_path, title, standfirst, published_at, section, reason = row[:7]
        file, width, height = row[7:]
        url = link(pk, url_path)
        thumbnail = (rendition_url(file), width, height) if file else None
        cards.append(
            RelatedCard(
                url,
                title,
                standfirst,
                published_at,
                section or "",
                reason,
                thumbnail,
                *dates(published_at),
            )
        )
    return cards


def related_ids(article_id):
    """The ids of an article's related articles, best first (for the read API)."""
    return list(
        RelatedLink.objects.filter(article_id=article_id, related__live=True)
        .order_by("rank")
        .values_list("related_id", flat=True)
    )
