"""Signed image links (AWS_QUERYSTRING_AUTH=1) expire: no kept page or kept
part may show a reader a link past its expiry.

Cards and "You may also like" store a rendition when an article is published
and ask the storage for its link at every render; a page (or a part of one)
kept in a process's memory must not outlive what it was rendered with. Against
moto's standalone S3 server over HTTP (root conftest's `s3_bucket`); moto does
not refuse expired links, so the test reads each link's own signed date and
expiry (Expires, or X-Amz-Date and X-Amz-Expires), as S3 does.
"""

import time
from datetime import UTC, datetime, timedelta
from io import BytesIO
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images import get_image_model

from byline.related import lists

# A link opens this long, longer than a page is kept (by the app, then by a
# proxy), as the settings demand.
LINK_SECONDS = 4
PAGE_SECONDS = 2
PROXY_SECONDS = 1
STORY = "<p>Moscow Kremlin sanctions oil exports Urals crude tanker fleet {}</p>"


def _picture(title):
    buffer = BytesIO()
    PILImage.new("RGB", (640, 400), (30, 80, 120)).save(buffer, "JPEG")
    image = get_image_model()(title=title)
    image.file.save("harbour.jpg", ImageFile(buffer, name="harbour.jpg"))
    return image


@pytest.fixture
def signed_bucket(s3_bucket, settings):
    """A private bucket whose every image link is signed for LINK_SECONDS."""
    storage = dict(settings.STORAGES["default"])
    options = {**storage["OPTIONS"], "querystring_auth": True}
    options["querystring_expire"] = LINK_SECONDS
    options.pop("default_acl")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**storage, "OPTIONS": options},
    }
    settings.PAGE_CACHE_SECONDS = PAGE_SECONDS
    settings.PAGE_CACHE_SHARED_SECONDS = PROXY_SECONDS
    return s3_bucket


def link_deadlines(html):
    """When each image link of the page stops opening (src and srcset)."""
    page = BeautifulSoup(html, "html.parser")
    links = [img["src"] for img in page.select("img")]
    links += [
        candidate.split()[0]
        for img in page.select("img[srcset]")
        for candidate in img["srcset"].split(",")
    ]
    deadlines = []
    for link in links:
        query = parse_qs(urlsplit(link).query)
        if "Expires" in query:  # signature version 2: the expiry itself
            deadline = datetime.fromtimestamp(int(query["Expires"][0]), UTC)
        else:  # version 4: the signing time and the lifetime
            signed = datetime.strptime(query["X-Amz-Date"][0], "%Y%m%dT%H%M%SZ")
            lifetime = timedelta(seconds=int(query["X-Amz-Expires"][0]))
            deadline = signed.replace(tzinfo=UTC) + lifetime
        deadlines.append((deadline, link))
    return deadlines


@pytest.mark.django_db
def test_kept_pages_and_parts_never_show_an_expired_image_link(
    signed_bucket, client, make_article
):
    """The home page's cards and an article's hero and related thumbnails,
    asked for again after their first links expired, carry open links."""
    oil = make_article(
        "Oil sanctions bite",
        body=STORY.format("refinery diesel"),
        hero_image=_picture("a"),
    )
    for title, words, picture in [
        ("Kremlin shrugs", "rouble budget", "b"),
        ("Tankers multiply", "shipping flags", "c"),
    ]:
        make_article(title, body=STORY.format(words), hero_image=_picture(picture))
    lists.rebuild()
    for path in ["/", oil.url]:
        assert len(link_deadlines(_kept(client, path))) >= 3
        time.sleep(LINK_SECONDS + 1)
        html = client.get(path).content
        now = datetime.now(UTC)
        expired = [link for deadline, link in link_deadlines(html) if deadline <= now]
        assert not expired, f"{path} shows expired links: {expired}"
    related = BeautifulSoup(html, "html.parser").select("#related img")
    assert len(related) == 2, "the related thumbnails are not shown"


def _kept(client, path):
    """The page once the page cache serves it (the first renders make and
    store the renditions, which changes what the page shows)."""
    for _ in range(5):
        response = client.get(path)
        if response.headers["X-Page-Cache"] == "hit":
            return response.content
    raise AssertionError(f"{path} is never served from the page cache")


def test_with_signed_links_a_part_lives_what_they_have_left(settings):
    """A part kept at most until a page built from it, kept by the app and
    then by a proxy, still carries open links."""
    from byline.core.fragments import part_seconds

    settings.PAGE_CACHE_SECONDS, settings.PAGE_CACHE_SHARED_SECONDS = 3600, 300
    storage = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {}}
    settings.STORAGES = {**settings.STORAGES, "default": storage}
    assert part_seconds() == 3600  # plain links never expire
    storage["OPTIONS"] = {"querystring_auth": True, "querystring_expire": 7800}
    assert part_seconds() == 3600
    storage["OPTIONS"]["querystring_expire"] = 5000
    assert part_seconds() == 5000 - 3600 - 300
    storage["OPTIONS"]["querystring_expire"] = 3700
    assert part_seconds() < 0  # not kept at all
