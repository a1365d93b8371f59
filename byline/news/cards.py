"""Article cards read as rows: what a listing shows, without page objects.

A listing (home page, section, tag and author pages) shows a headline, a
standfirst, a date, a section, a label and a picture per article. Building a
Wagtail page object per card (and its section, its image and the image's
renditions) was most of the home page's time; a card is a row here
(`values_list`), its link is built from the page's path
(`byline.core.pageurls.row_links`), and its picture is the rendition stored on
the article when it was published (`store_renditions`), read as columns of the
same row. An article without one (imported, or its image's focal point moved
since) gets it from Wagtail's `image` tag code on first show, stored then.
Image URLs always come from the storage (`storage.url`), never kept: a storage
may hand out addresses that expire.
"""

from dataclasses import dataclass
from functools import cache

from django.apps import apps
from wagtail.images import get_image_model
from wagtail.images.shortcuts import get_rendition_or_not_found

from byline.core.dates import CardDates
from byline.core.pageurls import row_links

# Wagtail names the image sizes cards show by filter spec.
LEAD_IMAGE = "fill-960x540"
CARD_IMAGE = "fill-480x270"
# The article's field holding its stored rendition, per size.
STORED = {CARD_IMAGE: "card_rendition", LEAD_IMAGE: "lead_rendition"}

# A card's columns, in the order `build_cards` reads them.
COLUMNS = (
    "id",
    "url_path",
    "title",
    "standfirst",
    "type_of_work",
    "published_at",
    "comment_count",
    "section_id",
    "section__title",
    "hero_image_id",
    "card_rendition__file",
    "card_rendition__width",
    "card_rendition__height",
    "lead_rendition__file",
    "lead_rendition__width",
    "lead_rendition__height",
)


@dataclass(slots=True)
class Card:
    """One article in a listing, as cards.html shows it."""

    pk: int
    url: str
    title: str
    standfirst: str
    type_of_work: str
    type_label: str
    published_at: object
    comment_count: int
    section_id: int | None
    section_title: str
    image_id: int | None
    # filter spec -> (file name, width, height) of the stored rendition.
    stored: dict
    # The published time in the reader's time zone, as <time> shows it.
    datetime_attr: str = ""
    date_text: str = ""

    def picture(self, lead=False):
        """The (url, width, height) of this card's image, large for a lead card,
        made by Wagtail (and stored) if it has not been yet."""
        spec = LEAD_IMAGE if lead else CARD_IMAGE
        stored = self.stored.get(spec)
        if stored is None:
            rendition = _make_rendition(self.image_id, spec)
            if rendition.pk is None:  # Wagtail's stand-in for a missing file
                return (rendition.url, rendition.width, rendition.height)
            apps.get_model("news", "ArticlePage").objects.filter(pk=self.pk).update(
                **{STORED[spec]: rendition}
            )
            stored = self.stored[spec] = (
                rendition.file.name,
                rendition.width,
                rendition.height,
            )
        name, width, height = stored
        return (rendition_url(name), width, height)


def card_rows(queryset):
    """The card columns of an article queryset (feed it to `build_cards`)."""
    return queryset.values_list(*COLUMNS)


def build_cards(rows, request):
    """Cards from `card_rows` rows: no further query for their pictures."""
    labels = _type_labels()
    dates = CardDates()
    link = row_links(apps.get_model("news", "ArticlePage"), request)
    cards = []
    for row in rows:
        (pk, url_path, title, standfirst, kind, published_at, comments) = row[:7]
        section_id, section_title, image_id = row[7:10]
        stored = {}
        if image_id:
            if row[10]:
                stored[CARD_IMAGE] = row[10:13]
            if row[13]:
                stored[LEAD_IMAGE] = row[13:16]
        card = Card(
            pk,
            link(pk, url_path),
            title,
            standfirst,
            kind,
            labels.get(kind, kind),
            published_at,
            comments,
            section_id,
            section_title or "",
            image_id,
            stored,
        )
        card.datetime_attr, card.date_text = dates(published_at)
        cards.append(card)
    return cards


def store_renditions(article):
    """Store the renditions cards show of the article's hero image (made by
    Wagtail where missing); none without an image. Run when it is published."""
    values = dict.fromkeys(STORED.values())
    if article.hero_image_id:
        image = get_image_model().objects.get(pk=article.hero_image_id)
        for spec, field in STORED.items():
            try:
                values[field] = image.get_rendition(spec)
            except Exception:  # an unreadable file: made (or not) on first show
                values[field] = None
    type(article).objects.filter(pk=article.pk).update(**values)


def forget_renditions(image_id):
    """An image's focal point or file changed: its articles' cards ask Wagtail
    for the rendition again on their next show."""
    apps.get_model("news", "ArticlePage").objects.filter(hero_image_id=image_id).update(
        **dict.fromkeys(STORED.values())
    )


@cache
def _type_labels():
    field = apps.get_model("news", "ArticlePage")._meta.get_field("type_of_work")
    # Lazy labels: each shown in the reader's language.
    return dict(field.flatchoices)


def rendition_url(name):
    """The URL of a stored rendition file, from its storage each time."""
    storage = get_image_model().get_rendition_model()._meta.get_field("file").storage
    return storage.url(name)


def _make_rendition(image_id, spec):
    """Wagtail's `image` tag for an image without a stored rendition at spec."""
    image = get_image_model().objects.get(pk=image_id)
    return get_rendition_or_not_found(image, spec)
