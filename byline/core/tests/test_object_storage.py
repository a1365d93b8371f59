"""Uploads and renditions on S3-compatible object storage (AWS_STORAGE_BUCKET_NAME).

Against moto's standalone S3 server started by the test (root conftest's
`s3_server`): the code path is django-storages and boto3 over HTTP, as with AWS,
MinIO or R2.
"""

import urllib.error
import urllib.request
from io import BytesIO

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ImproperlyConfigured
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images import get_image_model

from byline.config import object_storage, storage_origin
from byline.news.cards import CARD_IMAGE


def _keys(client, bucket):
    listed = client.list_objects_v2(Bucket=bucket).get("Contents", [])
    return {item["Key"] for item in listed}


def _upload(title="Harbour at dawn", size=(640, 400)):
    buffer = BytesIO()
    PILImage.new("RGB", size, (30, 80, 120)).save(buffer, "JPEG")
    image = get_image_model()(title=title)
    image.file.save("harbour.jpg", ImageFile(buffer, name="harbour.jpg"))
    return image


def _fetch_picture(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return PILImage.open(BytesIO(response.read()))


@pytest.mark.django_db
def test_an_upload_and_its_renditions_live_in_the_bucket_and_are_served_from_it(
    s3_bucket, tmp_path, settings
):
    """Another node sees the same files: nothing is written under MEDIA_ROOT."""
    client, bucket = s3_bucket
    settings.MEDIA_ROOT = tmp_path / "media"
    image = _upload()
    rendition = image.get_rendition("fill-120x80")

    keys = _keys(client, bucket)
    assert f"media/{image.file.name}" in keys
    assert f"media/{rendition.file.name}" in keys
    assert not settings.MEDIA_ROOT.exists()
    assert rendition.url.startswith(f"{client.meta.endpoint_url}/{bucket}/media/")
    assert _fetch_picture(rendition.url).size == (120, 80)


@pytest.mark.django_db
def test_an_article_card_shows_its_picture_from_the_bucket(
    s3_bucket, client, uncached, make_article
):
    s3, bucket = s3_bucket
    image = _upload()
    make_article(title="Harbour reopens after the storm", hero_image=image)
    html = client.get("/").content.decode()
    pictures = BeautifulSoup(html, "html.parser").select("main img")
    assert pictures, "the home page shows no picture"
    src = pictures[0]["src"]
    assert src == image.get_rendition(pictures_spec(src, image)).url
    assert src.startswith(f"{s3.meta.endpoint_url}/{bucket}/")
    assert _fetch_picture(src).size[0] > 0


def pictures_spec(src, image):
    """The rendition spec whose address the page shows (lead or card)."""
    from byline.news.cards import LEAD_IMAGE

    for spec in (LEAD_IMAGE, CARD_IMAGE):
        if image.get_rendition(spec).url == src:
            return spec
    raise AssertionError(f"{src} is no rendition of the image")


@pytest.mark.django_db
def test_signed_image_links_from_a_private_bucket_open(s3_bucket, settings):
    """AWS_QUERYSTRING_AUTH=1: no public reads, every link signed."""
    client, bucket = s3_bucket
    storage = dict(settings.STORAGES["default"])
    options = {**storage["OPTIONS"], "querystring_auth": True}
    options.pop("default_acl")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**storage, "OPTIONS": options},
    }
    rendition = _upload().get_rendition("fill-100x100")
    assert "Signature=" in rendition.url or "X-Amz-Signature=" in rendition.url
    assert _fetch_picture(rendition.url).size == (100, 100)
    unsigned = rendition.url.split("?")[0]
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(unsigned, timeout=10)
    assert refused.value.code == 403


def test_without_a_bucket_media_stays_on_local_files(monkeypatch):
    monkeypatch.delenv("AWS_STORAGE_BUCKET_NAME", raising=False)
    assert object_storage(3600) is None


def test_a_bucket_setting_names_the_storage_and_its_origin(monkeypatch):
    monkeypatch.setenv("AWS_STORAGE_BUCKET_NAME", "news-media")
    monkeypatch.setenv("AWS_S3_ENDPOINT_URL", "https://minio.example:9000/")
    storage = object_storage(3600)
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"]["bucket_name"] == "news-media"
    assert storage["OPTIONS"]["querystring_auth"] is False
    assert storage_origin(storage) == "https://minio.example:9000"
    monkeypatch.setenv("AWS_S3_CUSTOM_DOMAIN", "cdn.news.example")
    assert storage_origin(object_storage(3600)) == "https://cdn.news.example"


def test_signed_links_must_outlive_the_page_cache(monkeypatch):
    """A cached page keeps its image links as long as it is kept: links that
    expire sooner would break its pictures for later readers."""
    monkeypatch.setenv("AWS_STORAGE_BUCKET_NAME", "news-media")
    monkeypatch.setenv("AWS_QUERYSTRING_AUTH", "1")
    monkeypatch.setenv("AWS_QUERYSTRING_EXPIRE", "600")
    with pytest.raises(ImproperlyConfigured, match="AWS_QUERYSTRING_EXPIRE"):
        object_storage(3600)
    monkeypatch.setenv("AWS_QUERYSTRING_EXPIRE", "7200")
    assert object_storage(3600)["OPTIONS"]["querystring_expire"] == 7200


def test_signed_links_must_outlive_a_proxys_copy_too(monkeypatch):
    """A proxy keeps a page PAGE_CACHE_SHARED_SECONDS after the page cache
    handed it over, at the end of its own life."""
    monkeypatch.setenv("AWS_STORAGE_BUCKET_NAME", "news-media")
    monkeypatch.setenv("AWS_QUERYSTRING_AUTH", "1")
    monkeypatch.setenv("AWS_QUERYSTRING_EXPIRE", "3700")
    with pytest.raises(ImproperlyConfigured, match="PAGE_CACHE_SHARED_SECONDS=300"):
        object_storage(3600, 300)
    monkeypatch.delenv("AWS_QUERYSTRING_EXPIRE")
    assert object_storage(3600, 300)["OPTIONS"]["querystring_expire"] == 7800
