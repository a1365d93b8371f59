"""A newsroom writing in Chinese, Russian, Arabic, Hindi and French works end to
end: Unicode slugs for sections, authors, tags and articles, in page links,
feeds, sitemaps and the API (issue 19, item 32)."""

from urllib.parse import quote, unquote, urlsplit
from xml.etree import ElementTree

import feedparser
import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from byline.news.demo.world import STORIES, unicode_slug

KEYS = [story[0] for story in STORIES]
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def get(client, url):
    """GET an address as a browser sends it: percent-encoded UTF-8."""
    return client.get(quote(unquote(url), safe="/?=&"))


@pytest.mark.parametrize("key", KEYS)
def test_article_with_unicode_tags_renders_with_working_links(
    client, world_newsroom, key
):
    """The article page (a 500 before, NoReverseMatch for the tag URL) links
    its section, author and tags by Unicode slug, and each link answers."""
    article = world_newsroom[key]
    response = get(client, article.url)
    assert response.status_code == 200
    page = soup(response)
    tag_links = [a["href"] for a in page.select(".tag-list a")]
    _, section, author, tags, *_ = next(s for s in STORIES if s[0] == key)
    assert sorted(unquote(h) for h in tag_links) == sorted(
        f"/tags/{unicode_slug(t)}/" for t in tags
    )
    author_link = page.find("a", rel="author")["href"]
    assert unquote(author_link) == f"/authors/{unicode_slug(author)}/"
    section_link = page.find("a", class_="section-name")["href"]
    assert unquote(section_link) == f"/{unicode_slug(section)}/"
    for href in [*tag_links, author_link, section_link]:
        listing = get(client, href)
        assert listing.status_code == 200, href
        assert article.title in listing.content.decode()


def test_reverse_gives_unicode_tag_author_and_feed_addresses(world_newsroom):
    """reverse() accepts a slug in any script for every route that takes one."""
    for name in ("tag", "author", "tag_feed", "tag_feed_atom", "author_feed"):
        url = reverse(name, args=["москва"])
        assert "москва" in unquote(url)


@pytest.mark.parametrize("key", KEYS)
def test_feeds_of_unicode_tags_authors_and_sections_list_the_article(
    client, world_newsroom, key
):
    """RSS for the tag, the author and the section parse and hold the story."""
    article = world_newsroom[key]
    _, section, author, tags, *_ = next(s for s in STORIES if s[0] == key)
    for url in (
        reverse("tag_feed", args=[unicode_slug(tags[0])]),
        reverse("author_feed", args=[unicode_slug(author)]),
        f"/{unicode_slug(section)}/feed/",
    ):
        response = get(client, url)
        assert response.status_code == 200, url
        feed = feedparser.parse(response.content)
        assert not feed.bozo, url
        assert [e.title for e in feed.entries] == [article.title]
        assert unquote(urlsplit(feed.entries[0].link).path) == unquote(article.url)


def test_sitemap_lists_unicode_addresses_that_answer(client, world_newsroom):
    """The sitemap holds every article's address (percent-encoded, as RFC 3986
    asks), and each one answers."""
    index = ElementTree.fromstring(client.get("/sitemap.xml").content)
    urls = []
    for loc in index.iter(f"{SITEMAP}loc"):
        address = urlsplit(loc.text)  # a part past the first is `?p=N`
        path = address.path + (f"?{address.query}" if address.query else "")
        part = ElementTree.fromstring(client.get(path).content)
        urls += [u.text for u in part.iter(f"{SITEMAP}loc")]
    paths = {unquote(urlsplit(u).path) for u in urls}
    for article in world_newsroom.values():
        assert unquote(article.url) in paths
    for url in urls:
        assert url.isascii()
        assert get(client, urlsplit(url).path).status_code == 200


@pytest.mark.parametrize("key", KEYS)
def test_api_filters_by_unicode_section_tag_and_author(client, world_newsroom, key):
    """?section=, ?tag= and ?author= take slugs in any script."""
    article = world_newsroom[key]
    _, section, author, tags, *_ = next(s for s in STORIES if s[0] == key)
    for name, value in (
        ("section", section),
        ("tag", tags[1]),
        ("author", author),
    ):
        response = client.get("/api/v2/articles/", {name: unicode_slug(value)})
        assert response.status_code == 200, (name, response.content)
        assert [item["id"] for item in response.json()["items"]] == [article.pk]


def test_sections_made_from_non_latin_titles_keep_their_own_slugs(world_newsroom):
    """Five sections in five scripts are five sections, not one "news"."""
    slugs = {a.get_parent().slug for a in world_newsroom.values()}
    assert slugs == {unicode_slug(s[1]) for s in STORIES}


@pytest.mark.parametrize(("key", "direction"), [("ar", "rtl"), ("ru", "ltr")])
def test_article_is_marked_with_the_direction_it_is_written_in(
    client, world_newsroom, key, direction
):
    """An Arabic story on an English site reads right to left (dir="rtl" on
    its headline, standfirst, body and tags; the site's own English labels stay
    left to right), a Russian one left to right."""
    page = soup(get(client, world_newsroom[key].url))
    for selector in ("h1", ".standfirst", ".article-body", ".tag-list"):
        assert page.select_one(f"article {selector}")["dir"] == direction
    # The labels take the site's direction (<html dir>), not the story's.
    assert page.select_one(".article-meta .dates").find_parent(dir=True).name == "html"
