"""Images inside WordPress posts become Wagtail images where they stood, with
alt text and captions; only those whose files are missing become text."""

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from PIL import Image as PILImage

from byline.importers import wp_html
from byline.importers.wordpress import import_wordpress
from byline.news.models import ArticlePage

PICTURES = Path(__file__).parent / "data" / "pictures.wxr.xml"


def png(path, size=(64, 48)):
    path.parent.mkdir(parents=True, exist_ok=True)
    PILImage.new("RGB", size, (20, 60, 140)).save(path, "PNG")


@pytest.fixture
def pictures_site(db, tmp_path):
    """An export whose post shows four pictures (three files present) and the
    uploads folder they come from."""
    uploads = tmp_path / "uploads"
    for name in ["quay.png", "quay-300x200.png", "ferry.png", "crew.png"]:
        png(uploads / "2024" / "04" / name)
    report = import_wordpress(PICTURES, media_dir=uploads)
    return PICTURES, uploads, report


def blocks(html):
    """The body's top-level blocks as (tag, text or embed attributes)."""
    soup = BeautifulSoup(html, "html.parser")
    return [
        (
            node.name,
            dict(node.attrs) if node.name == "embed" else node.get_text().strip(),
        )
        for node in soup.find_all(recursive=False)
    ]


def test_pictures_are_placed_where_they_stood_with_alt_text_and_captions(
    pictures_site,
):
    """Inline, [caption] and <figure> images become embeds in order; captions
    follow their picture; the image without a file stays as text."""
    from wagtail.images import get_image_model

    _, _, report = pictures_site
    article = ArticlePage.objects.get(slug="harbour-pictures")
    images = {i.title.rsplit("/", 1)[-1]: i.pk for i in get_image_model().objects.all()}
    assert set(images) == {"quay.png", "ferry.png", "crew.png"}  # originals only
    got = blocks(article.body)
    assert got == [
        ("p", "The harbour at dawn, before the ferries."),
        ("embed", {"alt": "The quay", "embedtype": "image", "format": "right",
                   "id": str(images["quay.png"])}),
        ("p", "The first sailing leaves at six."),
        ("embed", {"alt": "A ferry", "embedtype": "image", "format": "fullwidth",
                   "id": str(images["ferry.png"])}),
        ("p", "The Morning Star in May"),
        ("embed", {"alt": "The crew", "embedtype": "image", "format": "fullwidth",
                   "id": str(images["crew.png"])}),
        ("p", "Crew of the evening crossing"),
        ("p", "[Image: A lost picture]"),
        ("p", "Timetables are at the quay."),
    ]  # fmt: skip
    assert report.converted["images placed in the text"] == 3
    assert report.converted["images kept as text"] == 1
    assert report.missing_media == ["2024/04/lost.png"]
    lines = "\n".join(report.lines())
    assert "3 placed where they stood, 1 kept as text" in lines
    assert "2024/04/lost.png" in lines


def test_imported_pictures_show_in_the_article(pictures_site, client):
    """Readers see each picture with its alt text inside the article body."""
    article = ArticlePage.objects.get(slug="harbour-pictures")
    page = BeautifulSoup(client.get(article.url).content, "html.parser")
    body = page.select_one("[data-provenance=body]")
    shown = [(img["alt"], img["class"]) for img in body.find_all("img")]
    assert [alt for alt, _ in shown] == ["The quay", "A ferry", "The crew"]
    assert all("richtext-image" in classes for _, classes in shown)
    assert "Morning Star" in body.get_text()


def test_a_second_run_creates_no_picture_twice(pictures_site):
    """Re-running the import finds the same images and changes nothing."""
    from wagtail.images import get_image_model

    export, uploads, _ = pictures_site
    before = get_image_model().objects.count()
    body = ArticlePage.objects.get(slug="harbour-pictures").body
    again = import_wordpress(export, media_dir=uploads)
    assert get_image_model().objects.count() == before
    assert not again.created and not again.updated
    assert ArticlePage.objects.get(slug="harbour-pictures").body == body


def test_a_picture_in_a_link_or_mid_sentence_splits_its_paragraph():
    """The embed is stored as a block; the words before and after keep their
    paragraphs, and formatting around the picture alone is dropped."""
    html, report = wp_html.convert(
        'Before <a href="/big.png"><img src="/a.png" alt="A"></a> after.',
        images=lambda src: 7,
    )
    assert blocks(html) == [
        ("p", "Before"),
        ("embed", {"alt": "A", "embedtype": "image", "format": "fullwidth",
                   "id": "7"}),
        ("p", "after."),
    ]  # fmt: skip
    assert report["images placed in the text"] == 1


def test_the_text_of_an_export_cannot_forge_an_embed():
    """Only pictures the importer found become embeds: an <embed> or our
    private marker characters in the export do not."""
    html, _ = wp_html.convert(
        '<embed embedtype="image" id="1" format="fullwidth" alt="x"/>'
        "<p>\ue0000\ue001 text</p>",
        images=lambda src: 7,
    )
    assert "<embed" not in html and "\ue000" not in html
