"""Whole pages are kept for anonymous readers and dropped exactly when they change."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from byline.core import cachetags as cache_tags


def get(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, (url, response.status_code)
    return response


def kept(client, url):
    """Fetch until the page comes from the cache (a site's first request may
    create its settings rows, which is a change, so allow three)."""
    for _ in range(3):
        response = get(client, url)
        if response["X-Page-Cache"] == "hit":
            return response
    raise AssertionError(f"{url} was never served from the cache")


@pytest.fixture
def open_article(make_article):
    """An article published today, so its comments are open."""
    from django.utils import timezone

    return make_article("Comments welcome", published_at=timezone.now())


def test_second_anonymous_view_is_served_from_the_cache_without_queries(
    client, published_article
):
    get(client, published_article.url)  # creates the site's settings rows
    cache_tags.cache.clear()
    first = get(client, published_article.url)
    assert first["X-Page-Cache"] == "miss"
    with CaptureQueriesContext(connection) as ctx:
        second = get(client, published_article.url)
    assert second["X-Page-Cache"] == "hit"
    assert len(ctx.captured_queries) == 0
    assert second.content == first.content


def test_cached_pages_tell_proxies_and_browsers_how_to_keep_them(
    client, published_article, settings
):
    settings.PAGE_CACHE_SHARED_SECONDS = 120
    response = get(client, published_article.url)
    control = response["Cache-Control"]
    for part in ("public", "max-age=0", "must-revalidate", "s-maxage=120"):
        assert part in control
    # Stale copies are for proxies only: a browser would hide a fresh comment.
    assert "stale-while-revalidate" not in control
    assert "stale-if-error" not in control
    cdn = response["CDN-Cache-Control"]
    for part in ("max-age=120", "stale-while-revalidate=30", "stale-if-error="):
        assert part in cdn
    assert response["ETag"].startswith('"')
    assert response["Last-Modified"]
    assert "Cookie" not in response.get("Vary", "")
    assert not response.cookies


@pytest.mark.parametrize("state", ["miss", "hit"])
def test_conditional_get_is_answered_with_304(client, published_article, state):
    get(client, published_article.url)  # creates the site's settings rows
    cache_tags.cache.clear()
    first = (kept if state == "hit" else get)(client, published_article.url)
    response = client.get(published_article.url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert response.status_code == 304
    assert response["ETag"] == first["ETag"]
    assert "s-maxage" in response["Cache-Control"]
    response = client.get(
        published_article.url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]
    )
    assert response.status_code == 304


def test_listing_pages_feeds_and_sitemaps_are_cached(client, published_article):
    section = published_article.get_parent()
    for url in [
        "/",
        section.url,
        "/tags/russia/",
        "/authors/ada-reporter/",
        "/feed/",
        "/feed/atom/",
        f"/{section.slug}/feed/",
        "/tags/russia/feed/",
        "/authors/ada-reporter/feed/",
        "/sitemap.xml",
        "/news-sitemap.xml",
        "/robots.txt",
    ]:
        kept(client, url)


def test_deep_listing_pages_are_kept_briefly_by_proxies(
    client, make_article, section, settings
):
    settings.NEWS_PAGE_SIZE = 1
    settings.PAGE_CACHE_DEEP_SECONDS = 45
    make_article()
    make_article()
    assert "s-maxage=45" in get(client, section.url + "?page=2")["Cache-Control"]
    assert "s-maxage=45" not in get(client, section.url)["Cache-Control"]


def test_signed_in_users_always_get_a_fresh_private_page(
    client, admin_user, published_article
):
    kept(client, published_article.url)
    client.force_login(admin_user)
    response = get(client, published_article.url)
    assert "X-Page-Cache" not in response
    assert "private" in response["Cache-Control"]
    # What they saw is not handed to the next anonymous reader either.
    assert get(Client(), published_article.url)["X-Page-Cache"] == "hit"


@pytest.mark.parametrize("cookie", ["byline_edit", "messages"])
def test_readers_taking_part_see_fresh_pages(client, published_article, cookie):
    kept(client, published_article.url)
    client.cookies[cookie] = "x"
    response = get(client, published_article.url)
    assert "X-Page-Cache" not in response
    assert "private" in response["Cache-Control"]


def test_a_reader_id_alone_keeps_the_shared_page(client, published_article):
    """The reader id of one who voted makes nothing on the page personal."""
    kept(client, published_article.url)
    client.cookies["byline_reader"] = "x"
    assert get(client, published_article.url)["X-Page-Cache"] == "hit"
    assert get(client, "/")["X-Page-Cache"] in ("hit", "miss")
    assert get(client, "/")["X-Page-Cache"] == "hit"


def test_tracking_parameters_share_the_page_and_unknown_ones_bypass(
    client, published_article
):
    kept(client, published_article.url)
    shared = get(client, published_article.url + "?utm_source=newsletter")
    assert shared["X-Page-Cache"] == "hit"
    other = get(client, published_article.url + "?preview=1")
    assert "X-Page-Cache" not in other


def test_shared_pages_carry_no_csrf_token_and_set_no_cookie(client, open_article):
    response = get(client, open_article.url)
    html = response.content.decode()
    assert 'action="/comments/article/' in html
    assert "csrfmiddlewaretoken" not in html
    assert "csrftoken" not in response.cookies


def test_signed_in_pages_keep_their_csrf_token(client, admin_user, open_article):
    client.force_login(admin_user)
    assert "csrfmiddlewaretoken" in get(client, open_article.url).content.decode()


def _comment(article):
    from byline.comments.tests.conftest import served_token

    return {
        "name": "Ana",
        "email": "ana@example.org",
        "text": "Posted from a cached page.",
        "ts": served_token(),
        "website": "",
    }


def test_a_reader_posts_from_a_cached_page_when_the_browser_vouches_for_it(
    open_article,
):
    from byline.comments.models import Comment

    browser = Client(enforce_csrf_checks=True)
    url = f"/comments/article/{open_article.pk}/post/"
    response = browser.post(
        url, _comment(open_article), HTTP_SEC_FETCH_SITE="same-origin"
    )
    assert response.status_code == 302
    response = browser.post(
        url, _comment(open_article), HTTP_ORIGIN="http://testserver"
    )
    assert response.status_code == 302
    assert Comment.objects.filter(article=open_article).count() == 2


def test_a_cross_site_post_is_refused_and_what_was_typed_is_offered_again(
    open_article,
):
    from byline.comments.models import Comment

    browser = Client(enforce_csrf_checks=True)
    response = browser.post(
        f"/comments/article/{open_article.pk}/post/",
        {**_comment(open_article), "text": "<b>Mine</b> & yours"},
        HTTP_SEC_FETCH_SITE="cross-site",
    )
    assert response.status_code == 403
    page = BeautifulSoup(response.content, "html.parser")
    assert "Please confirm" in page.h1.get_text()
    # Shown to read and edit, not hidden (H1): a textarea holding the text.
    assert page.find("textarea", attrs={"name": "text"}).string == (
        "<b>Mine</b> & yours"
    )
    assert page.find("input", attrs={"name": "csrfmiddlewaretoken"})
    assert not Comment.objects.exists()


def test_a_signed_in_user_still_needs_the_token(admin_user, open_article):
    from byline.comments.models import Comment

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(admin_user)
    response = browser.post(
        f"/comments/article/{open_article.pk}/post/",
        {"text": "Forged?", "ts": _comment(open_article)["ts"]},
        HTTP_SEC_FETCH_SITE="same-origin",
    )
    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_form_token_endpoint_gives_a_token_and_its_cookie_never_cached(client, db):
    response = client.get("/forms/token/")
    assert response.json()["csrf"]
    assert response.json()["ts"]
    assert "csrftoken" in response.cookies
    assert "no-store" in response["Cache-Control"]


def test_an_edit_reaches_every_page_that_shows_the_article(
    client, published_article, publish
):
    section = published_article.get_parent()
    urls = [
        published_article.url,
        "/",
        section.url,
        "/tags/russia/",
        "/authors/ada-reporter/",
        "/feed/",
        f"/{section.slug}/feed/",
        "/tags/china/feed/",
    ]
    for url in urls:
        kept(client, url)
    publish(published_article, title="Xi and Putin sign energy pact")
    for url in urls:
        response = get(client, url)
        assert response["X-Page-Cache"] == "miss", url
        assert "Xi and Putin sign energy pact" in response.content.decode(), url


def test_an_edit_leaves_unrelated_pages_in_the_cache(
    client, published_article, make_article, other_section, publish
):
    make_article("Markets steady", parent=other_section, tags=["Oil"])
    # (Its related list may show the other article on so small a site.)
    kept(client, "/tags/oil/")
    kept(client, other_section.url)
    publish(published_article, title="A changed headline")
    assert get(client, "/tags/oil/")["X-Page-Cache"] == "hit"
    assert get(client, other_section.url)["X-Page-Cache"] == "hit"


def test_a_removed_tag_no_longer_lists_the_article(
    client, published_article, make_article, publish
):
    make_article("Another Russia story", tags=["Russia"])
    assert published_article.title in kept(client, "/tags/russia/").content.decode()
    publish(published_article, tags=["China"])
    html = get(client, "/tags/russia/").content.decode()
    assert published_article.title not in html
    assert "Another Russia story" in html


def test_unpublishing_takes_the_article_out_of_every_cached_page(
    client, published_article, django_capture_on_commit_callbacks
):
    section = published_article.get_parent()
    for url in [published_article.url, "/", section.url]:
        kept(client, url)
    with django_capture_on_commit_callbacks(execute=True):
        published_article.unpublish()
    assert client.get(published_article.url).status_code == 404
    for url in ["/", section.url]:
        assert published_article.title not in get(client, url).content.decode()


def test_a_page_made_private_leaves_the_cache_at_once(client, published_article):
    from wagtail.models import PageViewRestriction

    kept(client, published_article.url)
    PageViewRestriction.objects.create(
        page=published_article, restriction_type=PageViewRestriction.LOGIN
    )
    assert client.get(published_article.url).status_code == 302


def test_an_approved_comment_shows_at_once_on_the_article_and_its_cards(
    client, published_article
):
    from byline.comments import moderation
    from byline.comments.models import Comment

    section = published_article.get_parent()
    kept(client, published_article.url)
    kept(client, section.url)
    held = Comment.objects.create(
        article=published_article,
        depth=1,
        name="Cleo",
        email="cleo@example.org",
        text="Worth reading twice.",
    )
    moderation.approve([held])
    assert "Worth reading twice." in get(client, published_article.url).content.decode()
    assert "1 comment" in get(client, section.url).content.decode()


def test_site_settings_change_every_page(client, published_article):
    from wagtail.models import Site

    from byline.core.models import SiteSettings

    kept(client, published_article.url)
    settings_ = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings_.tagline = "Facts first, always"
    settings_.save()
    assert get(client, published_article.url)["X-Page-Cache"] == "miss"


def test_a_related_card_follows_the_article_it_shows(
    client, make_article, publish, django_capture_on_commit_callbacks
):
    from byline.related import lists
    from byline.related.showing import related_links

    oil = "<p>Kremlin sanctions oil exports Urals crude tanker fleet {}</p>"
    first = make_article("Oil sanctions bite", body=oil.format("refinery"))
    second = make_article("Kremlin shrugs", body=oil.format("rouble budget"))
    lists.rebuild()
    assert second.pk in [link.related_id for link in related_links(first)]
    kept(client, first.url)
    publish(second, title="Kremlin shrugs off the oil price cap")
    assert (
        "Kremlin shrugs off the oil price cap"
        in get(client, first.url).content.decode()
    )


def test_a_rebuild_of_related_lists_reaches_every_article(client, make_article):
    from byline.related import lists

    article = make_article("Oil sanctions bite")
    kept(client, article.url)
    lists.rebuild()
    assert get(client, article.url)["X-Page-Cache"] == "miss"


def test_a_page_rendered_before_a_change_is_not_kept(db):
    # The version a change writes is newer than a render that began before it.
    started = cache_tags.time.time_ns()
    cache_tags.bump([cache_tags.page(1)])
    versions = cache_tags.versions([cache_tags.page(1)], missing_below=started)
    assert max(versions.values()) > started
    fresh = cache_tags.versions([cache_tags.page(2)], missing_below=started)
    assert max(fresh.values()) < started


def test_publishing_purges_every_url_showing_the_article_at_the_proxy(
    proxy, published_article, publish
):
    from urllib.parse import urlsplit

    from wagtail.models import Site

    section = published_article.get_parent()
    publish(published_article, title="Purged headline")
    host = urlsplit(Site.objects.get(is_default_site=True).root_url).netloc
    expected = {
        f"{host}{published_article.url}",
        f"{host}/",
        f"{host}{section.url}",
        f"{host}/tags/russia/",
        f"{host}/tags/china/feed/",
        f"{host}/authors/ada-reporter/",
        f"{host}/authors/ada-reporter/feed/atom/",
        f"{host}/feed/",
        f"{host}/{section.slug}/feed/",
        f"{host}/sitemap.xml",
        f"{host}/news-sitemap.xml",
    }
    assert expected <= set(proxy), sorted(set(proxy))


def _wsgi_get(app, path, **environ):
    """GET path from the WSGI app itself (the fast path included)."""
    from io import BytesIO
    from wsgiref.util import setup_testing_defaults

    from django.core import signals
    from django.db import close_old_connections

    env = {"PATH_INFO": path, "REQUEST_METHOD": "GET", "wsgi.input": BytesIO()}
    env.update(environ)
    setup_testing_defaults(env)
    env["HTTP_HOST"] = "testserver"
    answer = {}

    def start_response(status, headers):
        answer["status"], answer["headers"] = status, dict(headers)

    # As Django's test client does: a request must not close the test's
    # connection, inside whose transaction the test runs (PostgreSQL).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        body = b"".join(app(env, start_response))
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
    return answer["status"], answer["headers"], body


def test_the_wsgi_fast_path_serves_what_the_middleware_kept(client, published_article):
    from byline.wsgi import application

    page = kept(client, published_article.url)
    with CaptureQueriesContext(connection) as ctx:
        status, headers, body = _wsgi_get(application, published_article.url)
    assert len(ctx.captured_queries) == 0
    assert status == "200 OK" and headers["X-Page-Cache"] == "hit"
    assert body == page.content
    for name in ("Cache-Control", "ETag", "X-Frame-Options", "Content-Type"):
        assert headers[name] == page[name]
    status, _, body = _wsgi_get(
        application, published_article.url, HTTP_IF_NONE_MATCH=page["ETag"]
    )
    assert status.startswith("304") and body == b""
    # Personal requests go through Django, fresh.
    status, headers, _ = _wsgi_get(
        application, published_article.url, HTTP_COOKIE="byline_edit=1"
    )
    assert "X-Page-Cache" not in headers
