"""The page sitemap in parts read as rows, its index, and the Google News sitemap."""

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from urllib.parse import quote, urlsplit
from xml.etree import ElementTree

import pytest
from django.db import connection
from django.db.models.signals import post_init
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


def index_entries(client):
    """[(path with query, lastmod text)] of the sitemap index."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    entries = []
    for entry in ElementTree.fromstring(response.content).iter(f"{SITEMAP}sitemap"):
        parts = urlsplit(entry.find(f"{SITEMAP}loc").text)
        lastmod = entry.find(f"{SITEMAP}lastmod")
        query = f"?{parts.query}" if parts.query else ""
        entries.append(
            (parts.path + query, lastmod.text if lastmod is not None else None)
        )
    return entries


def sitemap_urls(client, path):
    """{loc: lastmod text} of one part of the page sitemap."""
    response = client.get(path)
    assert response.status_code == 200, path
    tree = ElementTree.fromstring(response.content)
    return {
        url.find(f"{SITEMAP}loc").text: url.find(f"{SITEMAP}lastmod").text
        for url in tree.iter(f"{SITEMAP}url")
    }


def all_urls(client):
    urls = {}
    for path, _ in index_entries(client):
        part = sitemap_urls(client, path)
        assert not set(part) & set(urls), "a page listed in two parts"
        urls.update(part)
    return urls


@pytest.fixture
def pages_built():
    """Count the page objects built while the test runs."""
    from wagtail.models import Page

    built = []

    def count(sender, instance, **kwargs):
        if isinstance(instance, Page):
            built.append(instance)

    post_init.connect(count, weak=False)
    yield built
    post_init.disconnect(count)


@pytest.fixture
def mixed_site(make_article, other_section, home):
    """Articles of every kind a sitemap must list or leave out."""
    from wagtail.models import PageViewRestriction

    from byline.news.site_setup import ensure_section, unicode_slug

    private = ensure_section(home, "Members", "For members")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    pages = {
        "plain": make_article("Plain story"),
        "business": make_article("Business story", parent=other_section),
        "hindi": make_article("भारत की खबर", slug=unicode_slug("भारत की खबर")),
        "draft": make_article("Draft story", publish=False),
        "private": make_article("Members story", parent=private),
        "withdrawn": make_article("Withdrawn story"),
    }
    pages["withdrawn"].unpublish()
    for n in range(5):
        make_article(f"Filler {n}")
    return pages


def test_page_sitemap_says_what_wagtails_own_says(client, settings, mixed_site):
    """Every part together lists the pages Wagtail's sitemap lists (restricted,
    draft and unpublished pages left out, a Hindi slug percent-encoded), each
    with the same address and lastmod; dateless pages (made by code) take the
    newest publication, as before."""
    from django.db.models import Max
    from wagtail.contrib.sitemaps import Sitemap as WagtailSitemap
    from wagtail.models import Page

    settings.SITEMAP_PART_SIZE = 3
    wagtails = WagtailSitemap(None).get_urls(site=SimpleNamespace(domain="unused"))
    stand_in = Page.objects.live().public().aggregate(Max("last_published_at"))
    stand_in = stand_in["last_published_at__max"]
    expected = {
        u["location"]: (u["lastmod"] or stand_in).strftime("%Y-%m-%d") for u in wagtails
    }
    assert len(index_entries(client)) > 2  # several parts, each with its own URL
    assert all_urls(client) == expected
    locations = "\n".join(expected)
    assert mixed_site["plain"].full_url in locations
    assert quote(mixed_site["hindi"].slug) in locations  # percent-encoded
    for hidden in ("draft", "private", "withdrawn"):
        assert mixed_site[hidden].slug not in locations


def test_index_lists_every_part_dated_by_its_newest_page(
    client, settings, make_article, home
):
    """With parts of two pages, the index links each part (`?p=N` past the
    first) and dates it by the newest page in it, not the site's newest."""
    from wagtail.models import Page

    settings.SITEMAP_PART_SIZE = 2
    articles = [make_article(f"Story {n}") for n in range(6)]
    base = datetime(2020, 1, 1, tzinfo=UTC)
    for n, article in enumerate(articles):
        Page.objects.filter(pk=article.pk).update(
            last_published_at=base + timedelta(days=30 * n)
        )
    pages = list(Page.objects.filter(depth__gt=1).live().values_list("pk", flat=True))
    parts = sorted({(pk - 1) // 2 + 1 for pk in pages})
    entries = index_entries(client)
    assert [path for path, _ in entries] == [
        "/sitemap-pages.xml" if n == 1 else f"/sitemap-pages.xml?p={n}" for n in parts
    ]
    for path, lastmod in entries:
        dates = sitemap_urls(client, path).values()
        assert lastmod[:10] == max(dates), path
    assert entries[-1][1].startswith("2020-05-30")  # the last part's, not now


def test_sitemap_parts_past_the_last_or_not_numbers_are_404(
    client, settings, make_article
):
    """`?p=N` past the last part, `?p=0` and `?p=x` answer 404, as Django's
    paginated sitemap does; the old `?p=` addresses within range answer."""
    settings.SITEMAP_PART_SIZE = 2
    for n in range(4):
        make_article(f"Story {n}")
    last = index_entries(client)[-1][0]
    number = int(last.rsplit("=", 1)[1])
    assert client.get(f"/sitemap-pages.xml?p={number}").status_code == 200
    for bad in (number + 1, 0, "x"):
        assert client.get(f"/sitemap-pages.xml?p={bad}").status_code == 404, bad


def test_page_sitemap_reads_rows_not_pages(
    client, settings, uncached, make_article, pages_built
):
    """A part is built from rows: no page object, and the same number of
    queries for 3 articles as for 12 (Wagtail built every page, specific)."""
    # One part for every id: on PostgreSQL a long suite's page ids pass the
    # first part's 5,000, and part 1 would list none of these articles.
    settings.SITEMAP_PART_SIZE = 10**9
    for n in range(3):
        make_article(f"Story {n}")
    client.get("/sitemap-pages.xml")  # site and settings caches warm
    pages_built.clear()
    with CaptureQueriesContext(connection) as few:
        assert client.get("/sitemap-pages.xml").status_code == 200
    assert pages_built == []
    for n in range(9):
        make_article(f"More {n}")
    client.get("/sitemap-pages.xml")  # computes the publishes' kept part again
    with CaptureQueriesContext(connection) as many:
        body = client.get("/sitemap-pages.xml").content
    assert body.count(b"<url>") >= 12
    assert len(many) == len(few) <= 4


def test_news_sitemap_reads_rows_in_one_query(
    client, uncached, make_article, pages_built
):
    """The Google News sitemap is one query of rows, newest first, however
    many articles it lists, and builds no page object."""
    now = timezone.now()
    for n in range(2):
        make_article(f"Story {n}", published_at=now - timedelta(hours=n + 1))
    client.get("/news-sitemap.xml")  # site and settings caches warm
    with CaptureQueriesContext(connection) as few:
        client.get("/news-sitemap.xml")
    for n in range(6):
        make_article(f"More {n}", published_at=now - timedelta(minutes=n + 1))
    make_article("Last week", published_at=now - timedelta(days=7))
    pages_built.clear()
    with CaptureQueriesContext(connection) as many:
        response = client.get("/news-sitemap.xml")
    assert pages_built == []
    assert len(many) == len(few)
    tree = ElementTree.fromstring(response.content)
    titles = [t.text for t in tree.iter(f"{NEWS}title")]
    assert titles[:2] == ["More 0", "More 1"] and len(titles) == 8
    article = tree.find(f"{SITEMAP}url/{SITEMAP}loc").text
    assert article.startswith("http") and article.endswith("/more-0/")


def test_sitemaps_stay_kept_whole_until_a_publish(
    client, make_article, django_capture_on_commit_callbacks, settings
):
    """The index, the first part and the news sitemap are served from the page
    cache, with an ETag, until a publication purges them and they list it."""
    # One part for every id: on PostgreSQL, ids keep growing across the suite's
    # tests, and past the first part's 5,000 ids it listed no page at all.
    settings.SITEMAP_PART_SIZE = 10**9
    make_article("First story", published_at=timezone.now())
    urls = ("/sitemap.xml", "/sitemap-pages.xml", "/news-sitemap.xml")
    for url in urls:
        for _ in range(3):  # a first request may create settings rows
            response = client.get(url)
            if response["X-Page-Cache"] == "hit":
                break
        assert response["X-Page-Cache"] == "hit", url
        assert response["ETag"], url
    with django_capture_on_commit_callbacks(execute=True):
        make_article("Second story", published_at=timezone.now())
    for url in urls:
        response = client.get(url)
        assert response["X-Page-Cache"] == "miss", url
    assert b"/second-story/" in client.get("/sitemap-pages.xml").content
    assert b"Second story" in client.get("/news-sitemap.xml").content
