"""`load_demo` with AWS_STORAGE_BUCKET_NAME set: every picture in the bucket.

Against moto's standalone S3 server (root conftest's `s3_server`), through
django-storages and boto3 over HTTP, as with AWS, MinIO or R2.
"""

import urllib.request
from io import StringIO

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from wagtail.images import get_image_model

from byline.news.models import ArticlePage


def _keys(client, bucket):
    pages = client.get_paginator("list_objects_v2").paginate(Bucket=bucket)
    return {item["Key"] for page in pages for item in page.get("Contents", [])}


def _stored_names():
    images = get_image_model()
    renditions = images.get_rendition_model()
    names = set(images.objects.values_list("file", flat=True))
    return names | set(renditions.objects.values_list("file", flat=True))


@pytest.fixture
def bucket_demo(db, s3_bucket, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo", stdout=StringIO())
    return s3_bucket


def test_the_demo_puts_every_image_and_rendition_in_the_bucket(bucket_demo, settings):
    """Every original and every rendition the demo makes is an object in the
    bucket, and nothing is written under MEDIA_ROOT."""
    client, bucket = bucket_demo
    names = _stored_names()
    assert len(names) > 12 * 6
    assert {f"media/{name}" for name in names} <= _keys(client, bucket)
    assert not settings.MEDIA_ROOT.exists()


def test_the_demo_pages_show_pictures_from_the_bucket(bucket_demo, client, uncached):
    """The home page and an article show only pictures that the bucket serves."""
    _assert_pictures_from_the_bucket(client, *bucket_demo)


def test_loading_again_puts_back_what_the_bucket_lost(bucket_demo, client, uncached):
    """A development S3 server keeps objects in memory: after a restart the
    database still names the demo's pictures, and `load_demo` (which `make run`
    runs) puts every original and rendition back under its own name."""
    s3, bucket = bucket_demo
    for key in _keys(s3, bucket):
        s3.delete_object(Bucket=bucket, Key=key)
    call_command("load_demo", stdout=StringIO())
    assert {f"media/{name}" for name in _stored_names()} <= _keys(s3, bucket)
    _assert_pictures_from_the_bucket(client, s3, bucket)


def _assert_pictures_from_the_bucket(client, s3, bucket):
    origin = f"{s3.meta.endpoint_url}/{bucket}/media/"
    article = ArticlePage.objects.live().first()
    for path in ("/", article.url):
        page = BeautifulSoup(client.get(path).content, "html.parser")
        sources = [img["src"] for img in page.select("img")]
        sources += [
            candidate.split()[0]
            for img in page.select("img[srcset]")
            for candidate in img["srcset"].split(",")
        ]
        assert sources, f"{path} shows no picture"
        for src in sources:
            assert src.startswith(origin), src
            with urllib.request.urlopen(src, timeout=10) as response:
                assert response.status == 200
