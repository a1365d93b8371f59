"""`import_wordpress --media-dir` with AWS_STORAGE_BUCKET_NAME set: the uploads
go into the bucket (moto's standalone S3 server, over HTTP with boto3), and the
imported articles show them from there."""

import urllib.request
from io import StringIO
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from PIL import Image as PILImage
from wagtail.images import get_image_model

from byline.news.models import ArticlePage

DATA = Path(__file__).parent / "data"


def _keys(client, bucket):
    listed = client.list_objects_v2(Bucket=bucket).get("Contents", [])
    return {item["Key"] for item in listed}


def _uploads(folder, names, size=(640, 400)):
    for name in names:
        path = folder / "2024" / "04" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        PILImage.new("RGB", size, (20, 60, 140)).save(path)
    return folder


def _pictures(html, selector):
    page = BeautifulSoup(html, "html.parser")
    return [img["src"] for img in page.select(selector)]


def _opens(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status == 200


@pytest.mark.django_db
def test_media_dir_uploads_go_to_the_bucket_and_show_from_it(
    s3_bucket, settings, tmp_path, client, uncached
):
    """Inline pictures and a featured image are objects in the bucket, nothing
    is written under MEDIA_ROOT, and the article shows them from the bucket."""
    s3, bucket = s3_bucket
    settings.MEDIA_ROOT = tmp_path / "media"
    uploads = _uploads(tmp_path / "uploads", ["quay.png", "ferry.png", "crew.png"])
    call_command(
        "import_wordpress",
        str(DATA / "pictures.wxr.xml"),
        media_dir=str(uploads),
        no_progress=True,
        stdout=StringIO(),
    )
    images = get_image_model().objects.all()
    assert images.count() == 3
    keys = _keys(s3, bucket)
    assert {f"media/{image.file.name}" for image in images} <= keys
    assert not settings.MEDIA_ROOT.exists()

    article = ArticlePage.objects.get(slug="harbour-pictures")
    html = client.get(article.url).content
    shown = _pictures(html, "[data-provenance=body] img")
    assert len(shown) == 3
    origin = f"{s3.meta.endpoint_url}/{bucket}/media/"
    assert all(src.startswith(origin) and _opens(src) for src in shown), shown


@pytest.mark.django_db
def test_a_featured_image_from_media_dir_is_the_card_picture_from_the_bucket(
    s3_bucket, tmp_path, client, uncached
):
    """The WordPress featured image becomes the hero, and the home page's card
    shows its rendition from the bucket."""
    s3, bucket = s3_bucket
    uploads = _uploads(tmp_path / "uploads", ["quay.jpg"])
    call_command(
        "import_wordpress",
        str(DATA / "small.wxr.xml"),
        media_dir=str(uploads),
        no_progress=True,
        stdout=StringIO(),
    )
    article = ArticlePage.objects.get(source_id="wp:gazette.example.org:10")
    assert article.hero_image is not None
    assert f"media/{article.hero_image.file.name}" in _keys(s3, bucket)
    cards = _pictures(client.get("/").content, "main img")
    origin = f"{s3.meta.endpoint_url}/{bucket}/media/"
    assert cards and all(src.startswith(origin) and _opens(src) for src in cards)
