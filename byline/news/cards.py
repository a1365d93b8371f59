"""Article cards read as rows: what a listing shows, without page objects.

A listing (home page, section, tag and author pages) shows a headline, a
standfirst, a date, a section, a label and a picture per article. Building a
Wagtail page object per card (and its section, its image and the image's
renditions) was most of the home page's time; a card is a row here, its link
is built from the page's path as Wagtail builds it (`byline.core.pageurls`),
and its picture is the stored rendition Wagtail made for it (Wagtail makes a
missing one as its `image` tag would).
"""

from dataclasses import dataclass, field
from functools import cache, lru_cache

from django.apps import apps
from wagtail.images import get_image_model
from wagtail.images.models import Filter

from byline.core.dates import CardDates
from byline.core.pageurls import row_links
from byline.core.prepared import Prepared

# Wagtail names the image sizes cards show by filter spec.
LEAD_IMAGE = "fill-960x540"
CARD_IMAGE = "fill-480x270"

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
    # What Wagtail's rendition key depends on (`Filter.get_cache_key`).
    "hero_image__focal_point_x",
    "hero_image__focal_point_y",
    "hero_image__focal_point_width",
    "hero_image__focal_point_height",
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
    # The image's focal point, under the names Wagtail's rendition key reads.
    focal_point_x: int | None = None
    focal_point_y: int | None = None
    focal_point_width: int | None = None
    focal_point_height: int | None = None
    # (filter spec, focal point key) -> (url, width, height), see attach_renditions.
    renditions: dict = field(default_factory=dict)
    # The published time in the reader's time zone, as <time> shows it.
    datetime_attr: str = ""
    date_text: str = ""

    def picture(self, lead=False):
        """The (url, width, height) of this card's image, large for a lead card,
        made by Wagtail if it has not been yet."""
        spec = LEAD_IMAGE if lead else CARD_IMAGE
        key = (spec, _filter(spec).get_cache_key(self))
        if key not in self.renditions:
            self.renditions[key] = _make_rendition(self.image_id, spec)
        return self.renditions[key]


def card_rows(queryset):
    """The card columns of an article queryset (feed it to `build_cards`)."""
    return queryset.values_list(*COLUMNS)


def build_cards(rows, request):
    """Cards from `card_rows` rows, their pictures fetched in one query."""
    labels = _type_labels()
    dates = CardDates()
    link = row_links(apps.get_model("news", "ArticlePage"), request)
    cards = []
    for row in rows:
        (pk, url_path, title, standfirst, kind, published_at, comments) = row[:7]
        section_id, section_title, image_id, fx, fy, fw, fh = row[7:]
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
            fx,
            fy,
            fw,
            fh,
        )
        card.datetime_attr, card.date_text = dates(published_at)
        cards.append(card)
    attach_renditions(cards)
    return cards


_RENDITIONS = {}


def attach_renditions(cards):
    """Hand every card the stored renditions of its image, one query for all."""
    image_ids = list(dict.fromkeys(c.image_id for c in cards if c.image_id))
    if not image_ids:
        return
    count = len(image_ids)
    if count not in _RENDITIONS:
        rendition_model = get_image_model().get_rendition_model()
        _RENDITIONS[count] = Prepared(
            lambda p: (
                rendition_model.objects.filter(
                    image_id__in=[getattr(p, f"image{i}") for i in range(count)]
                )
                .order_by("pk")
                .values_list(
                    "image_id",
                    "filter_spec",
                    "focal_point_key",
                    "file",
                    "width",
                    "height",
                )
            )
        )
    by_image = {pk: {} for pk in image_ids}
    rows = _RENDITIONS[count](**{f"image{i}": pk for i, pk in enumerate(image_ids)})
    for image_id, spec, key, name, width, height in rows:
        by_image[image_id][(spec, key)] = (rendition_url(name), width, height)
    for card in cards:
        if card.image_id:
            card.renditions = by_image[card.image_id]


@cache
def _type_labels():
    field = apps.get_model("news", "ArticlePage")._meta.get_field("type_of_work")
    # Lazy labels: each shown in the reader's language.
    return dict(field.flatchoices)


@cache
def _filter(spec):
    return Filter(spec=spec)


def rendition_url(name):
    """The URL of a stored rendition file (its storage's `url`)."""
    storage = get_image_model().get_rendition_model()._meta.get_field("file").storage
    return _file_url(storage, storage.base_url, name)


@lru_cache(maxsize=8192)
def _file_url(storage, base_url, name):
    # Quoting and joining each name cost more than the renditions query.
    return storage.url(name)


def _make_rendition(image_id, spec):
    """Wagtail's `image` tag for an image without a stored rendition at spec."""
    from wagtail.images.shortcuts import get_rendition_or_not_found

    image = get_image_model().objects.get(pk=image_id)
    rendition = get_rendition_or_not_found(image, spec)
    return (rendition.url, rendition.width, rendition.height)
