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

from byline.core.internals import remember_site
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
    remember_site(request, site_for("testserver", 80))
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


def test_publishing_stores_the_renditions_cards_show(make_article, reader_request):
    """Published, an article holds its card and lead renditions (as a related
    link holds its thumbnail): its card reads them with its row, no query more."""
    image = make_image()
    article = make_article(hero_image=image)
    assert article.card_rendition == image.get_rendition(CARD_IMAGE)
    assert article.lead_rendition == image.get_rendition(LEAD_IMAGE)
    with CaptureQueriesContext(connection) as ctx:
        card = build_cards(card_rows(listings.published()), reader_request)[0]
        assert card.picture() == (article.card_rendition.url, 480, 270)
        lead = article.lead_rendition
        assert card.picture(lead=True) == (lead.url, lead.width, lead.height)
    assert len(ctx.captured_queries) == 1  # the cards, pictures among their columns


def test_card_pictures_are_made_once_and_follow_the_focal_point(
    make_article, reader_request
):
    """A card without a stored rendition (an imported article) gets Wagtail's,
    stored for next time; a new focal point asks for a new one, as in Wagtail."""
    image = make_image()
    article = make_article(hero_image=image)
    renditions = image.renditions
    renditions.all().delete()  # as after an import: nothing stored
    assert article.__class__.objects.get(pk=article.pk).card_rendition is None

    card = build_cards(card_rows(listings.published()), reader_request)[0]
    made = card.picture()
    assert renditions.count() == 1
    assert made == (renditions.get().url, 480, 270)

    with CaptureQueriesContext(connection) as ctx:
        card = build_cards(card_rows(listings.published()), reader_request)[0]
        assert card.picture() == made
    assert len(ctx.captured_queries) == 1  # the cards, pictures among their columns

    image.focal_point_x, image.focal_point_y = 600, 380
    image.focal_point_width = image.focal_point_height = 40
    image.save()
    card = build_cards(card_rows(listings.published()), reader_request)[0]
    moved = card.picture()
    assert renditions.count() == 2
    assert moved[0] == image.get_rendition(CARD_IMAGE).url != made[0]


def test_picture_addresses_come_from_the_storage_every_time(
    make_article, reader_request, monkeypatch
):
    """A storage may sign its addresses for a while (S3): a card asks it for
    the address at every show, never keeping an old one."""
    import itertools

    from byline.news.cards import rendition_url

    make_article(hero_image=make_image())
    storage = get_image_model().get_rendition_model()._meta.get_field("file").storage
    signed = itertools.count()
    monkeypatch.setattr(
        storage, "url", lambda name: f"https://s3.example/{name}?x={next(signed)}"
    )
    first = build_cards(card_rows(listings.published()), reader_request)[0].picture()
    again = build_cards(card_rows(listings.published()), reader_request)[0].picture()
    assert first[0] != again[0] and again[0].startswith("https://s3.example/")
    assert rendition_url("a.jpg") != rendition_url("a.jpg")


def test_home_page_reads_every_cards_pictures_with_the_cards(
    client, uncached, home, make_article, other_section
):
    """Top story, latest and section blocks: pictures read with the cards."""
    from byline.news.tests.test_queries import HOME_PAGE_QUERIES, count_queries

    image = make_image()
    image.get_rendition(LEAD_IMAGE)
    image.get_rendition(CARD_IMAGE)
    for i in range(8):
        make_article(parent=other_section, hero_image=make_image(f"Other {i}"))
        make_article(hero_image=image)  # the newest leads, large
    assert count_queries(client, "/") == HOME_PAGE_QUERIES
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
    """An author named twice on one article still lists it once."""
    make_article("Twice bylined", authors=[author, author])
    page = BeautifulSoup(client.get(f"/authors/{author.slug}/").content, "html.parser")
    links = [a for a in page.select("main a") if a.get_text() == "Twice bylined"]
    assert len(links) == 1
