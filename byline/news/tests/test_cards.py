"""Article cards read as rows show what the page objects would show."""

from io import BytesIO

import pytest
from bs4 import BeautifulSoup
from django.core.files.images import ImageFile
from django.db import connection
from django.template.defaultfilters import date as django_date
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image as PILImage
from wagtail.images import get_image_model

from byline.core.sites import site_for
from byline.news import listings
from byline.news.cards import CARD_IMAGE, LEAD_IMAGE, build_cards, card_rows


def make_image(title="Picture", size=(640, 400)):
    buffer = BytesIO()
    PILImage.new("RGB", size, (40, 90, 140)).save(buffer, "JPEG")
    image = get_image_model()(title=title)
    image.file.save("card.jpg", ImageFile(buffer, name="card.jpg"))
    return image


@pytest.fixture
def reader_request(rf):
    request = rf.get("/")
    request._wagtail_site = site_for("testserver", 80)
    return request


def test_cards_show_what_the_page_objects_would(
    make_article, other_section, reader_request
):
    """Link, headline, standfirst, section, label, comment count, dates in the
    reader's time zone and the picture Wagtail's `image` tag would draw."""
    pictured = make_article(
        "Pictured analysis", hero_image=make_image(), type_of_work="analysis"
    )
    pictured.comment_count = 3
    pictured.save(update_fields=["comment_count"])
    make_article("Plain news", parent=other_section)
    with timezone.override("Asia/Tokyo"):
        cards = build_cards(card_rows(listings.published()), reader_request)
        pages = list(listings.published_articles())
        assert [
            (
                c.url,
                c.title,
                c.standfirst,
                c.section_title,
                c.type_label,
                c.comment_count,
                c.datetime_attr,
                c.date_text,
            )
            for c in cards
        ] == [
            (
                p.get_url(request=reader_request),
                p.title,
                p.standfirst,
                p.section.title,
                p.get_type_of_work_display(),
                p.comment_count,
                django_date(timezone.localtime(p.published_at), "c"),
                django_date(timezone.localtime(p.published_at), "j F Y"),
            )
            for p in pages
        ]
    plain, pictured = cards  # newest first
    assert plain.image_id is None
    for spec, lead in ((CARD_IMAGE, False), (LEAD_IMAGE, True)):
        rendition = pages[1].hero_image.get_rendition(spec)
        assert pictured.picture(lead=lead) == (
            rendition.url,
            rendition.width,
            rendition.height,
        )


def test_card_pictures_are_made_once_and_follow_the_focal_point(
    make_article, reader_request
):
    """A missing rendition is made as Wagtail makes it, then read with the other
    cards' renditions; a new focal point asks for a new one, as in Wagtail."""
    image = make_image()
    make_article(hero_image=image)
    renditions = image.renditions
    assert not renditions.exists()

    card = build_cards(card_rows(listings.published()), reader_request)[0]
    made = card.picture()
    assert renditions.count() == 1
    assert made == (renditions.get().url, 480, 270)

    with CaptureQueriesContext(connection) as ctx:
        card = build_cards(card_rows(listings.published()), reader_request)[0]
        assert card.picture() == made
    assert len(ctx.captured_queries) == 2  # the cards, their renditions

    image.focal_point_x, image.focal_point_y = 600, 380
    image.focal_point_width = image.focal_point_height = 40
    image.save()
    card = build_cards(card_rows(listings.published()), reader_request)[0]
    moved = card.picture()
    assert renditions.count() == 2
    assert moved[0] == image.get_rendition(CARD_IMAGE).url != made[0]


def test_home_page_reads_every_cards_pictures_in_one_query(
    client, uncached, home, make_article, other_section
):
    """Top story, latest and section blocks: one renditions query in all."""
    from byline.news.tests.test_queries import HOME_PAGE_QUERIES, count_queries

    image = make_image()
    image.get_rendition(LEAD_IMAGE)
    image.get_rendition(CARD_IMAGE)
    for i in range(8):
        make_article(parent=other_section, hero_image=make_image(f"Other {i}"))
        make_article(hero_image=image)  # the newest leads, large
    assert count_queries(client, "/") == HOME_PAGE_QUERIES + 1
    html = client.get("/").content.decode()
    assert html.count(image.get_rendition(LEAD_IMAGE).url) == 1
    # The lead picture is fetched at once; the others when scrolled to.
    pictures = BeautifulSoup(html, "html.parser").select("main img")
    assert pictures[0]["src"] == image.get_rendition(LEAD_IMAGE).url
    assert pictures[0]["fetchpriority"] == "high"
    assert not pictures[0].has_attr("loading")
    assert {img.get("loading") for img in pictures[1:]} == {"lazy"}


def test_author_listed_twice_on_a_byline_lists_the_article_once(
    client, make_article, author
):
    make_article("Twice bylined", authors=[author, author])
    html = client.get(f"/authors/{author.slug}/").content.decode()
    assert html.count(">Twice bylined</a>") == 1
