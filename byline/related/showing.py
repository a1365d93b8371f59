"""What an article page shows under "You may also like", in one query."""

from dataclasses import dataclass

from byline.core.dates import CardDates
from byline.core.pageurls import row_links
from byline.news import statements
from byline.news.cards import rendition_url
from byline.news.models import ArticlePage
from byline.news.public import public_relation
from byline.related.models import RelatedLink

# What a related card shows (byline/related/jinja2/related/related_block.html) and its
# link needs.
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
# Stored lists are refreshed after a change commits, by a task: until then a
# list may still hold an article just unpublished or made private, so every
# read keeps public articles only.


def related_links(article):
    """Return the article's stored related links with everything a card shows."""
    return list(
        RelatedLink.objects.filter(public_relation("related"), article_id=article.pk)
        .select_related("related", "related__section", "thumbnail")
        .only(*CARD_FIELDS)
        .order_by("rank")
    )


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


def card_rows(article_id):
    """The related cards of an article as rows, best first."""
    return (
        RelatedLink.objects.filter(public_relation("related"), article_id=article_id)
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


def related_cards(article, request):
    """The cards under an article, one query and no page objects: building four
    Wagtail pages (and their sections and thumbnails) was most of the block."""
    link = row_links(ArticlePage, request)
    dates = CardDates()
    cards = []
    # Written as SQL (`byline.news.statements`; its ORM twin is `card_rows`).
    for row in statements.related_card_rows(article.pk, RelatedLink):
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
        RelatedLink.objects.filter(public_relation("related"), article_id=article_id)
        .order_by("rank")
        .values_list("related_id", flat=True)
    )
