"""The event loop answers kept pages itself (pagecache/asgi.py); everything
else goes to the WSGI application on threads, which decides again."""

import asyncio
import threading
import time

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.core.handlers.wsgi import WSGIHandler

from byline.pagecache import store
from byline.pagecache.asgi import PageCacheASGI, environ_of
from byline.pagecache.tests.test_page_cache import kept
from byline.pagecache.tests.test_store import (  # noqa: F401 (fixture)
    approve_new_comment,
    page_key,
    renderer,
)
from byline.pagecache.wsgi import PageCacheApplication, key_of


def _scope(path, method="GET", query=b"", headers=()):
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query,
        "root_path": "",
        "headers": [(b"host", b"testserver"), *headers],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }


def _call(app, scope, body=b""):
    """One request through the ASGI application: (status, headers, body)."""
    sent = []

    async def receive():
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message):
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    headers = {name.decode(): value.decode() for name, value in start["headers"]}
    chunks = [m.get("body", b"") for m in sent if m["type"] == "http.response.body"]
    return start["status"], headers, b"".join(chunks)


class _Threads:
    """Django (or `application`), recording the requests that reached it on a
    render thread through a2wsgi's threads: not the loop's background renders."""

    def __init__(self, application):
        self.application = application
        self.reached = []

    def __call__(self, environ, start_response):
        if not environ.get(store.DECIDED):
            self.reached.append((environ["REQUEST_METHOD"], key_of(environ)))
        return self.application(environ, start_response)


def _served(application=None):
    threads = _Threads(application or WSGIHandler())
    return PageCacheASGI(PageCacheApplication(threads), threads=4), threads


class CountingCache(LocMemCache):
    made = 0

    def __init__(self, *args, **kwargs):
        type(self).made += 1
        super().__init__(*args, **kwargs)


def _until_fresh(app, path):
    """Ask for a page until it is kept fresh: a stale answer starts a render
    in the background (without taking, or needing, a refresh mark here)."""
    deadline = time.monotonic() + 30
    while not store.lookup(page_key(path))[1]:
        assert time.monotonic() < deadline, "the page was never kept fresh"
        _call(app, _scope(path))
        time.sleep(0.05)


def _plain(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"plain"]


@pytest.mark.parametrize(
    "path, query, headers",
    [
        ("/news/", b"", ()),
        ("/news/caf\u00e9-society/", b"", ()),
        ("/search/", b"q=caf%C3%A9&q=two+words&page=2", ()),
        ("/tags/a%2Fb/", b"utm_source=x&b=1&a=2", ()),
        ("/", b"", ((b"cookie", b"byline_reader=abc; theme=dark"),)),
        ("/", b"", ((b"cookie", b"sessionid=abc"),)),
        ("/", b"", ((b"host", b"example.org:8443"),)),
    ],
)
def test_the_loop_computes_the_key_the_threads_keep_pages_under(
    path, query, headers, db
):
    """The loop looks a page up under the key the WSGI side (a2wsgi's environ,
    Django's middleware) keeps it under: a differing key would be a page the
    loop never finds, or another page's answer."""
    app, threads = _served(_plain)
    scope = _scope(path, query=query, headers=headers)
    if any(name == b"host" for name, _ in headers):
        scope["headers"] = list(headers)
    _call(app, scope)
    assert threads.reached == [("GET", key_of(environ_of(scope)))]


# Committed: a2wsgi's threads and the render threads have connections of their own.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_kept_page_is_answered_by_the_loop_without_a_thread(published_article):
    store.cache.clear()  # no copy kept by an earlier test
    app, threads = _served()
    path = published_article.url
    status, headers, body = _call(app, _scope(path))
    assert status == 200 and headers.get("x-page-cache") == "miss"
    assert len(threads.reached) == 1
    # A site's first request may create its settings rows, a change: the page
    # is then kept as the stale copy, and rendered again in the background.
    _until_fresh(app, path)
    reached = len(threads.reached)
    status, headers, body = _call(app, _scope(path))
    assert status == 200 and headers["x-page-cache"] == "hit"
    status, headers, again = _call(app, _scope(path))
    assert status == 200 and headers["x-page-cache"] == "hit"
    assert again == body and headers["content-length"] == str(len(body))
    status, headers, empty = _call(app, _scope(path, method="HEAD"))
    assert status == 200 and empty == b""
    etag = headers["etag"].encode()
    asked_again = _scope(path, headers=[(b"if-none-match", etag)])
    status, headers, empty = _call(app, asked_again)
    assert status == 304 and empty == b"" and "content-length" not in headers
    assert len(threads.reached) == reached, threads.reached


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_loop_serves_a_changed_page_stale_and_it_is_rendered_in_the_background(
    client, published_article
):
    app, threads = _served()
    path = published_article.url
    kept(client, path)
    approve_new_comment(published_article, "Seen after the background render.")
    status, headers, body = _call(app, _scope(path))
    assert headers["x-page-cache"] == "stale"
    assert headers["cache-control"] == "private, no-cache"
    assert b"Seen after the background render." not in body
    _until_fresh(app, path)
    status, headers, body = _call(app, _scope(path))
    assert headers["x-page-cache"] == "hit"
    assert b"Seen after the background render." in body
    assert threads.reached == []  # no request waited on a thread


def test_posts_and_pages_never_kept_go_to_the_threads(db):
    app, threads = _served(_plain)
    form = [(b"content-type", b"application/x-www-form-urlencoded")]
    status, _, body = _call(app, _scope("/x/", method="POST", headers=form), b"a=1")
    assert (status, body) == (200, b"plain")
    _call(app, _scope("/x/", headers=[(b"cookie", b"sessionid=abc")]))
    assert [method for method, _ in threads.reached] == ["POST", "GET"]


def test_no_request_makes_a_cache_backend_of_its_own(settings):
    """Django keeps a cache backend per thread and context; a2wsgi runs each
    request in a fresh copy of the loop's context, and the loop's tasks have
    one each. The loop looks pages up in one context kept for the process, and
    what it hands to the threads goes to Django without a look-up there: no
    backend is made per request (diskcache's 8 SQLite files, or a Redis pool)."""
    settings.CACHES = {
        "default": {
            "BACKEND": f"{__name__}.CountingCache",
            "LOCATION": "no-backend-per-request",
        }
    }
    app, threads = _served(_plain)
    made = CountingCache.made
    for n in range(6):
        _call(app, _scope(f"/never-kept-{n}/"))
        _call(app, _scope("/x/", method="POST"), b"a=1")
    assert CountingCache.made == made
    assert len(threads.reached) == 12


def test_the_lifespan_starts_and_stops():
    app, _ = _served(_plain)
    messages = iter([{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}])
    sent = []

    async def receive():
        return next(messages)

    async def send(message):
        sent.append(message["type"])

    asyncio.run(app({"type": "lifespan"}, receive, send))
    assert sent == ["lifespan.startup.complete", "lifespan.shutdown.complete"]


def test_headers_named_with_underscores_are_dropped(db):
    """`X_Forwarded_For` would reach Django as HTTP_X_FORWARDED_FOR, beside
    (and merged with) the header our proxy writes: dropped, as gunicorn's
    parser and nginx drop them."""
    seen = []

    def remember(environ, start_response):
        seen.append(environ.get("HTTP_X_FORWARDED_FOR"))
        return _plain(environ, start_response)

    app, _ = _served(remember)
    forged = [(b"x_forwarded_for", b"203.0.113.9"), (b"x-forwarded-for", b"1.2.3.4")]
    _call(app, _scope("/x/", method="POST", headers=forged), b"a=1")
    assert seen == ["1.2.3.4"]


def test_past_the_waiting_limit_a_request_is_answered_503_at_once(db):
    """Requests handed to the threads are bounded per process: past the limit
    the loop answers 503 with Retry-After instead of queueing without bound."""
    release = threading.Event()

    def held(environ, start_response):
        release.wait(10)
        return _plain(environ, start_response)

    app = PageCacheASGI(PageCacheApplication(held), threads=4, waiting_limit=2)
    answers = []

    async def ask(path):
        sent = []

        async def receive():
            return {"type": "http.request", "body": b"a=1", "more_body": False}

        async def send(message):
            sent.append(message)

        await app(_scope(path, method="POST"), receive, send)
        answers.append((path, sent[0]["status"], dict(sent[0]["headers"])))

    async def storm():
        first = [asyncio.create_task(ask(f"/held-{n}/")) for n in range(2)]
        await asyncio.sleep(0.3)  # both wait for their threads
        await asyncio.wait_for(ask("/third/"), 2)  # answered while they wait
        release.set()
        await asyncio.gather(*first)

    asyncio.run(storm())
    assert answers[0][:2] == ("/third/", 503)
    assert answers[0][2][b"retry-after"] == b"5"
    assert sorted(status for _, status, _ in answers[1:]) == [200, 200]
    assert app.waiting == 0
