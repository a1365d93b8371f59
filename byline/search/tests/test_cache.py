"""Anonymous search pages are kept in the shared cache and never outlive a
change to what search shows (cache.py; issue 18, budget e)."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from byline.core.cacheable import PERSONAL_COOKIES
from byline.news.models import Author


@pytest.fixture(autouse=True)
def site_settings_made(client, published_article):
    """The first page ever rendered makes the site's settings, which changes
    the SITE version every page is keyed by: render one first."""
    client.get("/search/", {"q": "warm"})


def search(client, q="putin", **params):
    return client.get("/search/", {"q": q, **params})


def test_a_repeated_anonymous_search_is_served_without_searching(
    client, published_article
):
    """The second reader asking gets the kept page: no query reads an article,
    the index or a name (the reader rate limit still counts the request)."""
    first = search(client)
    assert first["X-Search-Cache"] == "miss"
    with CaptureQueriesContext(connection) as queries:
        second = search(client)
    assert second["X-Search-Cache"] == "hit"
    read = [q["sql"] for q in queries.captured_queries]
    assert not [sql for sql in read if "search_" in sql or "news_" in sql], read
    assert not [sql for sql in read if "wagtailcore_page" in sql], read
    assert second.content == first.content
    assert b"Putin and Xi meet in Beijing" in second.content


def test_queries_differing_in_spaces_share_a_kept_page(client, published_article):
    """ "putin" and "  putin " are one search."""
    search(client, "putin")
    assert search(client, "  putin ")["X-Search-Cache"] == "hit"


def test_publishing_a_match_shows_it_at_once(client, published_article, make_article):
    """A newly published article is in the very next search."""
    search(client)
    make_article("Putin visits Pyongyang")
    response = search(client)
    assert response["X-Search-Cache"] == "miss"
    assert b"Putin visits Pyongyang" in response.content


def test_unpublishing_takes_a_result_out_at_once(client, published_article):
    """A withdrawn article leaves the next search."""
    assert b"Putin and Xi" in search(client).content
    published_article.unpublish()
    assert b"Putin and Xi" not in search(client).content


def test_renaming_an_author_shows_in_kept_results(client, published_article):
    """A result shows its byline: an author's new name is shown at once."""
    assert b"Ada Reporter" in search(client).content
    author = Author.objects.get(slug="ada-reporter")
    author.name = "Ada Lovelace"
    author.save()
    assert b"Ada Lovelace" in search(client).content


@pytest.mark.parametrize("cookie", sorted(PERSONAL_COOKIES))
def test_personal_requests_are_neither_kept_nor_served_kept(
    client, published_article, cookie
):
    """A reader with a personal cookie gets a page of their own."""
    search(client)
    client.cookies[cookie] = "x"
    assert "X-Search-Cache" not in search(client)


def test_a_reader_id_alone_gets_the_kept_page(client, published_article):
    """The reader cookie makes no page personal (issue 18): a voter searches
    from the shared cache like everyone else."""
    assert search(client)["X-Search-Cache"] == "miss"
    client.cookies["byline_reader"] = "x"
    assert search(client)["X-Search-Cache"] == "hit"


def test_a_signed_in_editor_never_gets_or_leaves_a_kept_page(client, published_article):
    """Signed in (a session): rendered afresh, and not kept for anyone."""
    editor = get_user_model().objects.create_user("ed", password="pw-1234567890")
    client.force_login(editor)
    assert "X-Search-Cache" not in search(client, "beijing")
    client.logout()
    assert search(client, "beijing")["X-Search-Cache"] == "miss"


def test_a_kept_page_carries_nothing_personal(client, published_article):
    """No cookie is set and no CSRF token is written into a kept page."""
    response = search(client)
    assert response["X-Search-Cache"] == "miss"
    assert not response.cookies
    assert b"csrfmiddlewaretoken" not in response.content


def test_unknown_parameters_are_not_kept(client, published_article):
    """Only the search form's own parameters make a kept page."""
    assert "X-Search-Cache" not in search(client, utm_x="1", other="2")
