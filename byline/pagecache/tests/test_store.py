"""A page that changed is rendered again by one request while other readers get
the copy kept before, for a bounded time, and never a reader who just posted
(pagecache/store.py)."""

import time

import pytest
from bs4 import BeautifulSoup
from django.core import signing

from byline.comments.models import Comment
from byline.comments.moderation import recount
from byline.core import cachetags as cache_tags
from byline.pagecache import store
from byline.pagecache.middleware import key_for
from byline.pagecache.tests.test_page_cache import _wsgi_get, get, kept

# What gunicorn's gthread worker (make run) says of itself.
THREADED = {"wsgi.multithread": True}


def page_key(path):
    """The cache key of a plain test-client GET of path."""
    return key_for("GET", {}, [], "http", "testserver:80", path)


def comment_texts(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return {p.get_text(strip=True) for p in soup.select("#comments p")}


def approve_new_comment(article, text):
    comment = Comment.objects.create(
        article=article,
        depth=1,
        name="Cleo",
        email="cleo@example.org",
        text=text,
        status=Comment.Status.APPROVED,
    )
    recount([article.pk])  # as every route that writes comments does
    return comment


@pytest.fixture
def renderer():
    """Another request rendering a page again: it holds the page's refresh mark."""
    marks = []

    def take(path):
        action, mark = store.decide(page_key(path))
        assert action == store.RENDER and mark is not None, action
        marks.append(mark)
        return mark

    yield take
    for mark in marks:
        store.done(mark)


def test_readers_get_the_kept_copy_while_one_request_renders_the_changed_page(
    client, published_article, renderer
):
    """While one request renders a changed page, others get the copy kept before
    (marked stale, kept by no browser or proxy); once it is kept, the new one."""
    kept(client, published_article.url)
    approve_new_comment(published_article, "Worth reading twice.")
    mark = renderer(published_article.url)

    stale = get(client, published_article.url)
    assert stale["X-Page-Cache"] == "stale"
    assert "Worth reading twice." not in comment_texts(stale)
    assert stale["Cache-Control"] == "private, no-cache"
    assert "CDN-Cache-Control" not in stale

    store.done(mark)
    fresh = get(client, published_article.url)
    assert fresh["X-Page-Cache"] == "miss"
    assert "Worth reading twice." in comment_texts(fresh)
    assert get(client, published_article.url)["X-Page-Cache"] == "hit"


def test_a_changed_page_is_rendered_by_one_request_at_a_time(client, published_article):
    """The first reader of a changed page takes its refresh mark; the next one,
    while the mark is held, does not render."""
    kept(client, published_article.url)
    approve_new_comment(published_article, "A second look.")
    key = page_key(published_article.url)
    first, mark = store.decide(key)
    second, entry = store.decide(key)
    store.done(mark)
    assert (first, second) == (store.RENDER, store.STALE)
    assert mark is not None and entry is not None


def test_a_copy_missing_a_change_older_than_the_bound_is_never_served(
    client, published_article, settings
):
    """Past PAGE_CACHE_STALE_SECONDS after a change, the kept copy without it is
    not shown, even while another request renders the page: every reader
    renders it."""
    kept(client, published_article.url)
    settings.PAGE_CACHE_STALE_SECONDS = 1
    approve_new_comment(published_article, "Late but shown.")
    time.sleep(1.1)
    store.cache.add(store.REFRESH_PREFIX + page_key(published_article.url), 1, 60)
    response = get(client, published_article.url)
    assert response["X-Page-Cache"] == "miss"
    assert "Late but shown." in comment_texts(response)


def test_a_copy_kept_long_ago_is_served_stale_just_after_a_change(
    client, published_article, settings, renderer
):
    """The bound is on how long ago the change was made, not on the copy's
    age: a listing kept for minutes is served stale while one request renders
    it, the moment a comment count changes, not rendered by all its readers."""
    kept(client, published_article.url)
    settings.PAGE_CACHE_STALE_SECONDS = 1
    time.sleep(1.1)  # the copy is older than the bound
    approve_new_comment(published_article, "Shown once rendered.")
    renderer(published_article.url)
    response = get(client, published_article.url)
    assert response["X-Page-Cache"] == "stale"
    assert "Shown once rendered." not in comment_texts(response)


def test_a_copy_rendered_longer_ago_than_the_cap_is_never_served_stale(
    client, published_article, settings
):
    """A tag's version is its latest change: while comments keep coming, the
    change just made is always young. A copy whose render began more than
    PAGE_CACHE_STALE_MAX_SECONDS ago is rendered again by its readers anyway,
    so failing renders cannot keep it on show."""
    kept(client, published_article.url)
    settings.PAGE_CACHE_STALE_MAX_SECONDS = 1
    time.sleep(1.1)
    approve_new_comment(published_article, "Shown past the cap.")
    # Another request renders it (holds its mark).
    store.cache.add(store.REFRESH_PREFIX + page_key(published_article.url), 1, 60)
    response = get(client, published_article.url)
    assert response["X-Page-Cache"] == "miss"
    assert "Shown past the cap." in comment_texts(response)


def test_a_page_that_changed_while_rendered_is_kept_only_as_the_stale_copy(db):
    """A render that saw a change is never served as fresh; it is the copy
    served while the next render runs."""
    key = page_key("/somewhere/")
    started = time.time_ns()
    cache_tags.bump([cache_tags.page(1)])
    store.keep(key, 200, [], b"old", {cache_tags.page(1)}, started, '"e"', "d")
    entry, fresh = store.lookup(key)
    assert entry[2] == b"old" and not fresh
    action, mark = store.decide(key)
    assert action == store.RENDER
    assert store.decide(key) == (store.STALE, entry)
    store.done(mark)


def test_a_reader_who_just_posted_sees_their_comment_not_the_stale_copy(
    client, make_article, renderer
):
    """The reader who posted holds the edit grant, which keeps them off the
    shared cache: they see their own comment at once, stale copy or not."""
    from django.utils import timezone
    from wagtail.models import Site

    from byline.comments import defences
    from byline.comments.models import CommentSettings

    article = make_article("Comments welcome", published_at=timezone.now())
    comment_settings = CommentSettings.for_site(Site.objects.get(is_default_site=True))
    comment_settings.moderation = "none"
    comment_settings.save()
    kept(client, article.url)
    answer = client.post(
        f"/comments/article/{article.pk}/post/",
        {
            "name": "Ana",
            "email": "ana@example.org",
            "text": "My own words.",
            "ts": signing.dumps(time.time() - 10, salt=defences.SALT),
            "website": "",
        },
    )
    assert answer.status_code == 302
    renderer(article.url)
    from django.test import Client

    assert get(Client(), article.url)["X-Page-Cache"] == "stale"
    page = get(client, article.url)
    assert page.get("X-Page-Cache") is None
    assert "My own words." in comment_texts(page)


def test_the_wsgi_fast_path_serves_the_stale_copy_and_renders_with_the_mark(
    client, published_article, renderer
):
    """The fast path answers as the middleware does: the stale copy while
    another request renders; then, on a server of one thread a process, the
    request that takes the mark renders the new page."""
    from byline.wsgi import application

    kept(client, published_article.url)
    approve_new_comment(published_article, "Seen by the fast path.")
    mark = renderer(published_article.url)
    status, headers, body = _wsgi_get(application, published_article.url)
    assert headers["X-Page-Cache"] == "stale"
    assert headers["Cache-Control"] == "private, no-cache"
    assert b"Seen by the fast path." not in body
    store.done(mark)
    status, headers, body = _wsgi_get(application, published_article.url)
    assert headers.get("X-Page-Cache") == "miss", (status, headers)
    assert b"Seen by the fast path." in body
    assert store.decide(page_key(published_article.url))[0] == store.HIT


# Committed, so that a render thread, with a connection of its own, sees the
# article (and the site's root page restored, if a test before flushed it).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_threaded_server_serves_the_stale_copy_and_renders_in_the_background(
    client, published_article, renderer
):
    """The fast path answers as the middleware does while another request
    renders: the stale copy. The reader who takes the mark is not made to wait
    for the render either: they get the stale copy, a render thread renders
    the page again, and the next reader gets the new page."""
    from byline.wsgi import application

    kept(client, published_article.url)
    approve_new_comment(published_article, "Seen by the fast path.")
    mark = renderer(published_article.url)
    status, headers, body = _wsgi_get(application, published_article.url)
    assert headers["X-Page-Cache"] == "stale"
    assert headers["Cache-Control"] == "private, no-cache"
    assert b"Seen by the fast path." not in body
    store.done(mark)
    status, headers, body = _wsgi_get(application, published_article.url, **THREADED)
    assert headers.get("X-Page-Cache") == "stale", (status, headers)
    assert b"Seen by the fast path." not in body
    deadline = time.monotonic() + 30
    while store.decide(page_key(published_article.url))[0] != store.HIT:
        assert time.monotonic() < deadline, "the background render never kept it"
        time.sleep(0.05)
    status, headers, body = _wsgi_get(application, published_article.url)
    assert headers.get("X-Page-Cache") == "hit", (status, headers)
    assert b"Seen by the fast path." in body
    assert store.decide(page_key(published_article.url))[0] == store.HIT
