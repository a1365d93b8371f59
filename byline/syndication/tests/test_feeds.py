"""Feeds parse cleanly and sitemaps are valid XML; drafts never appear in either."""

from datetime import timedelta
from xml.etree import ElementTree

import feedparser
import pytest
from django.utils import timezone

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


@pytest.fixture
def newsroom(make_article, other_section):
    now = timezone.now()
    return {
        "fresh": make_article(
            "Fresh story",
            tags=["Energy"],
            published_at=now - timedelta(hours=3),
            body="<p>Full <b>text</b> here.</p>",
        ),
        "old": make_article("Old story", published_at=now - timedelta(days=9)),
        "business": make_article(
            "Business story",
            parent=other_section,
            published_at=now - timedelta(hours=1),
        ),
        "draft": make_article("Draft story", publish=False, tags=["Energy"]),
    }


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    feed = feedparser.parse(response.content)
    assert not feed.bozo, (url, feed.get("bozo_exception"))
    return feed


@pytest.mark.parametrize("suffix", ["", "atom/"])
def test_every_feed_parses_and_leaves_drafts_out(client, newsroom, author, suffix):
    urls = [
        "/feed/",
        f"/{newsroom['fresh'].section.slug}/feed/",
        "/tags/energy/feed/",
        f"/authors/{author.slug}/feed/",
    ]
    for url in urls:
        feed = parse(client, url + suffix)
        titles = [entry.title for entry in feed.entries]
        assert "Draft story" not in titles
        assert titles, url


def test_rss_items_carry_what_readers_and_aggregators_need(client, newsroom, author):
    feed = parse(client, "/feed/")
    entry = next(e for e in feed.entries if e.title == "Fresh story")
    assert entry.link.endswith(newsroom["fresh"].url)
    assert entry.id and entry.summary == newsroom["fresh"].standfirst
    assert "<b>text</b>" in entry.content[0].value  # content:encoded, full text
    assert entry.author == author.name
    assert {t.term for t in entry.tags} >= {"World", "Energy"}
    assert entry.published_parsed
    assert [e.title for e in feed.entries][:2] == ["Business story", "Fresh story"]


def test_section_feed_lists_only_its_section(client, newsroom):
    feed = parse(client, f"/{newsroom['business'].section.slug}/feed/")
    assert [e.title for e in feed.entries] == ["Business story"]


def test_full_text_can_be_switched_off(client, newsroom):
    from wagtail.models import Site

    from byline.syndication.models import FeedSettings

    settings = FeedSettings.for_site(Site.objects.get(is_default_site=True))
    settings.full_text = False
    settings.save()
    entry = parse(client, "/feed/").entries[0]
    assert "content" not in entry


def test_unknown_feeds_are_404(client, newsroom):
    assert client.get("/no-such-section/feed/").status_code == 404
    assert client.get("/tags/no-such-tag/feed/").status_code == 404


def test_pages_announce_their_feeds(client, newsroom):
    html = client.get(newsroom["fresh"].section.url).content.decode()
    assert 'type="application/rss+xml"' in html
    assert f'href="/{newsroom["fresh"].section.slug}/feed/"' in html


def test_sitemap_index_and_pages_list_published_pages_only(client, newsroom):
    index = ElementTree.fromstring(client.get("/sitemap.xml").content)
    locations = [loc.text for loc in index.iter(f"{SITEMAP}loc")]
    assert locations
    urls = []
    for location in locations:
        path = location.split("://", 1)[1].split("/", 1)[1]
        page = ElementTree.fromstring(client.get("/" + path).content)
        for url in page.iter(f"{SITEMAP}url"):
            urls.append(url.find(f"{SITEMAP}loc").text)
            assert url.find(f"{SITEMAP}lastmod") is not None
    assert any(u.endswith(newsroom["fresh"].url) for u in urls)
    assert not any(u.endswith("/draft-story/") for u in urls)


def test_news_sitemap_has_the_last_two_days_only(client, newsroom):
    response = client.get("/news-sitemap.xml")
    tree = ElementTree.fromstring(response.content)
    titles = [t.text for t in tree.iter(f"{NEWS}title")]
    assert sorted(titles) == ["Business story", "Fresh story"]
    assert tree.find(f"{SITEMAP}url/{NEWS}news/{NEWS}publication/{NEWS}name").text


def test_robots_points_at_both_sitemaps(client, home):
    from wagtail.models import Site

    # At the site's own address, whatever Host the request named.
    root = Site.objects.get(is_default_site=True).root_url
    text = client.get("/robots.txt").content.decode()
    assert f"Sitemap: {root}/sitemap.xml" in text
    assert f"Sitemap: {root}/news-sitemap.xml" in text
    assert "Disallow: /admin/" in text


def test_a_feed_request_leaves_the_shared_feed_untouched(client, newsroom):
    """The URLconf's one feed instance serves every request, several at once in
    a gthread worker: a request's state goes on its own copy, so another
    request's feed cannot take its address or section from this one."""
    from django.urls import resolve

    for url in ("/feed/", f"/{newsroom['business'].section.slug}/feed/"):
        shared = resolve(url).func
        before = dict(vars(shared))
        feed = parse(client, url)
        assert feed.feed.title
        assert vars(shared) == before, url


@pytest.mark.django_db
def test_enclosures_of_pictures_in_a_private_bucket_name_their_type(
    s3_bucket, settings, client, make_article
):
    """A signed link's query string does not hide the picture's type: a PNG
    is enclosed as image/png, with its size, and the link opens."""
    import urllib.request
    from io import BytesIO

    from django.core.files.images import ImageFile
    from PIL import Image as PILImage
    from wagtail.images import get_image_model

    storage = settings.STORAGES["default"]
    options = {**storage["OPTIONS"], "querystring_auth": True}
    options.pop("default_acl")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**storage, "OPTIONS": options},
    }
    buffer = BytesIO()
    PILImage.new("RGB", (1200, 700), (30, 80, 120)).save(buffer, "PNG")
    image = get_image_model()(title="Chart")
    image.file.save("chart.png", ImageFile(buffer, name="chart.png"))
    make_article("Charted", hero_image=image)
    (enclosure,) = parse(client, "/feed/").entries[0].enclosures
    assert enclosure.type == "image/png"
    with urllib.request.urlopen(enclosure.href, timeout=10) as response:
        assert int(enclosure.length) == len(response.read()) > 0


def test_sitemap_index_dates_itself_by_the_newest_article_in_one_query(
    client, make_article, django_assert_max_num_queries
):
    """The index's lastmod is the newest publication, even beside pages made by
    code with no date (the home page, imported sections), and is found by one
    aggregate rather than by building every page of the site."""
    make_article("Older")
    newest = make_article("Newest")
    client.get("/sitemap.xml")  # site and settings caches warm
    with django_assert_max_num_queries(8):
        index = ElementTree.fromstring(client.get("/sitemap.xml").content)
    lastmod = index.find(f"{SITEMAP}sitemap/{SITEMAP}lastmod").text
    assert lastmod.startswith(newest.last_published_at.date().isoformat())
