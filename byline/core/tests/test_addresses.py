"""Absolute addresses come from the configured site, which SITE_URL sets."""

import json
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ImproperlyConfigured

from byline.config import check_site_url

OLD, NEW = "http://127.0.0.1:8000", "http://127.0.0.1:8640"


def _move_site(settings, url):
    """What `migrate` does after SITE_URL changed (as `PORT=8640 make run`)."""
    from byline.core.apps import site_address_from_settings

    settings.SITE_URL = url
    settings.SITE_URL_FROM_ENVIRONMENT = True
    site_address_from_settings(sender=None)


def test_a_new_site_address_reaches_every_absolute_link(
    client, settings, published_article
):
    """After the port changes, canonical, og:url, JSON-LD, the sitemap, the
    signed record and mail links all name the new address, none the old."""
    from byline.core import optin
    from byline.provenance.models import ProvenanceRecord

    _move_site(settings, NEW)
    published_article.save_revision().publish()  # signed at the new address
    page = client.get(published_article.url, headers={"host": "127.0.0.1:8000"})
    soup = BeautifulSoup(page.content, "html.parser")
    data = json.loads(soup.find("script", type="application/ld+json").string)
    found = [
        soup.find("link", rel="canonical")["href"],
        soup.find("meta", property="og:url")["content"],
        data["url"],
        data["author"][0]["url"],
        data["publisher"]["url"],
        ProvenanceRecord.objects.order_by("-seq").first().payload["url"],
        client.get(published_article.url + "provenance.json").json()["url"],
        optin.absolute("/newsletter/confirm/token/"),
    ]
    # Every part the index lists: page ids decide the part, and on PostgreSQL a
    # long suite's ids pass the first part's 5,000.
    index = ElementTree.fromstring(client.get("/sitemap.xml").content)
    parts = [loc.text for loc in index.iter() if loc.tag.endswith("loc")]
    found += parts
    for part in parts:
        address = urlsplit(part)
        path = address.path + (f"?{address.query}" if address.query else "")
        sitemap = ElementTree.fromstring(client.get(path).content)
        found += [loc.text for loc in sitemap.iter() if loc.tag.endswith("loc")]
    assert any(url.endswith(published_article.url) for url in found)
    for url in found:
        assert url.startswith(NEW + "/"), url


def test_the_site_keeps_its_address_when_site_url_is_not_set(settings, home):
    """Without SITE_URL in the environment, an address set in the admin stays."""
    from wagtail.models import Site

    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = "news.example.org", 443
    site.save()
    settings.SITE_URL, settings.SITE_URL_FROM_ENVIRONMENT = NEW, False
    from byline.core.apps import site_address_from_settings

    site_address_from_settings(sender=None)
    assert Site.objects.get(is_default_site=True).root_url == "https://news.example.org"


def test_an_address_taken_by_another_site_is_refused_by_name(settings, home):
    """SITE_URL naming another Wagtail site's address stops with a reason."""
    from wagtail.models import Site

    Site.objects.create(hostname="127.0.0.1", port=8640, root_page=home)
    with pytest.raises(ImproperlyConfigured, match="SITE_URL"):
        _move_site(settings, NEW)


def test_wagtails_placeholder_address_gives_way_to_site_url(settings, db):
    """A site nobody gave an address (Wagtail's localhost:80) takes SITE_URL's
    default, so pages and mail agree on a fresh install."""
    from wagtail.models import Page, Site

    from byline.core.apps import site_address_from_settings

    Site.objects.all().delete()
    Site.objects.create(
        hostname="localhost",
        port=80,
        root_page=Page.objects.get(depth=1),
        is_default_site=True,
    )
    settings.SITE_URL, settings.SITE_URL_FROM_ENVIRONMENT = NEW, False
    site_address_from_settings(sender=None)
    assert Site.objects.get(is_default_site=True).root_url == NEW


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://News.Example.org/", "https://news.example.org"),
        ("http://127.0.0.1:8640", NEW),
        ("http://example.org:80", "http://example.org"),
    ],
)
def test_site_url_is_kept_as_scheme_host_and_port(value, expected):
    """SITE_URL is normalised to what a Wagtail site holds."""
    assert check_site_url("SITE_URL", value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "news.example.org",
        "ftp://news.example.org",
        "https://news.example.org/news/",
        "https://news.example.org:8443",
        "http://news.example.org:443",
        "http://news.example.org:99999",
    ],
)
def test_a_site_url_wagtail_cannot_hold_stops_start_up(value):
    """A path, another scheme or https off port 443 is refused by name."""
    with pytest.raises(ImproperlyConfigured, match="SITE_URL"):
        check_site_url("SITE_URL", value)
