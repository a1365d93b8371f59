"""Kept pages answered by an event loop; everything else waits on threads.

gunicorn's gthread worker gave every request a thread of a pool. Readers of
kept pages and requests waiting for Django shared it: with few threads, a
comment storm's posts held them all; with many (32), the threads took turns at
the interpreter's lock for every request they parsed and wrote. Readers alone
(`bench/spike.py --commenters 0`, 200 connections, 2026-12-06) got 1,902 pages/s
at p99 572 ms with 32 threads a worker, 5,057 pages/s with 8.

So the server is an event loop (uvicorn's gunicorn worker, with httptools
parsing in C): one thread reads every connection's requests, and a request
for a kept page is answered on it, with no thread at all, as the WSGI fast
path answers it (`store.decide`: fresh, stale, or stale while a render thread
renders it again in the background). Every other request goes to Django
(`byline.wsgi`'s) on one of SERVER_THREADS threads through a2wsgi, and Django
runs on the process's RENDER_THREADS (`render_threads`). Those
threads mostly wait, so the loop keeps the interpreter's lock for the readers.
Same spike, readers alone: 6,689 pages/s at p99 164 ms; with twenty commenters,
p99 129 ms (bench/README.md).

The loop never waits for a render: `decide(background=True)` never hands it a
refresh mark to hold. A page with no copy young enough to show goes to Django,
whose PageCacheMiddleware looks it up again and renders it.
"""

import contextvars

from a2wsgi import WSGIMiddleware
from django.conf import settings
from django.core.cache import caches

from byline.pagecache import render_threads, store
from byline.pagecache.wsgi import key_of


def environ_of(scope):
    """What the page cache's key and a kept answer read of a request, named as
    the WSGI side (a2wsgi) names them, so both compute the same key."""
    script_name = scope.get("root_path", "").encode().decode("latin-1")
    path_info = scope["path"].encode().decode("latin-1")
    if path_info.startswith(script_name):
        path_info = path_info[len(script_name) :]
    server_name, server_port = scope.get("server") or ("localhost", 80)
    client_addr, client_port = scope.get("client") or ("", 0)
    environ = {
        "REQUEST_METHOD": scope["method"],
        "SERVER_PROTOCOL": f"HTTP/{scope.get('http_version', '1.1')}",
        "REMOTE_ADDR": client_addr,
        "REMOTE_PORT": str(client_port),
        "SCRIPT_NAME": script_name,
        "PATH_INFO": path_info,
        "QUERY_STRING": scope["query_string"].decode("latin-1"),
        "SERVER_NAME": server_name,
        "SERVER_PORT": str(server_port or 0),
        "wsgi.url_scheme": scope.get("scheme", "http"),
    }
    for name, value in scope.get("headers", ()):
        name, value = name.decode("latin-1"), value.decode("latin-1")
        if name in ("content-type", "content-length"):
            continue  # not read by the key; never on a GET worth answering
        variable = "HTTP_" + name.upper().replace("-", "_")
        if variable in environ:
            value = environ[variable] + "," + value
        environ[variable] = value
    return environ


class PageCacheASGI:
    """The served application: `application` (WSGI) behind an event loop."""

    def __init__(self, application, threads, waiting_limit=None):
        """`application` is a `PageCacheApplication` (byline.wsgi); past
        `waiting_limit` requests handed to the threads and not yet answered,
        a request is answered 503 at once rather than queued."""
        self.application = application
        self.waiting_limit, self.waiting = waiting_limit, 0
        # What the loop did not answer had no copy to show: it goes straight to
        # Django on a render thread, whose middleware looks the page up again.
        # The threads a2wsgi runs it on never touch the cache: Django keeps a
        # cache backend per thread and per context (asgiref's Local), and a2wsgi
        # runs each request in a fresh copy of the loop's context, so each
        # request there made a backend of its own (8 SQLite files for
        # diskcache, a connection pool for Redis), thrown away at its end.
        self.threaded = WSGIMiddleware(self._render, workers=threads)
        # The loop looks pages up in one context of its own, kept for the
        # process: its cache backends are made once, on the loop's thread,
        # whatever context each request's task was given.
        self.context = contextvars.copy_context()
        self.context.run(lambda: [caches[alias] for alias in settings.CACHES])

    async def __call__(self, scope, receive, send):
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        if scope["type"] == "http":
            scope = _without_underscored_headers(scope)
        if scope["type"] == "http" and settings.PAGE_CACHE:
            answer = self.context.run(self._kept, scope)
            if answer is not None:
                status, headers, body = answer
                await send(
                    {
                        "type": "http.response.start",
                        "status": int(status[:3]),
                        "headers": [
                            (name.lower().encode("latin-1"), value.encode("latin-1"))
                            for name, value in headers
                        ],
                    }
                )
                await send({"type": "http.response.body", "body": body})
                return
        if scope["type"] != "http":
            await self.threaded(scope, receive, send)
            return
        if self.waiting_limit is not None and self.waiting >= self.waiting_limit:
            await _busy(send)
            return
        self.waiting += 1
        try:
            await self.threaded(scope, receive, send)
        finally:
            self.waiting -= 1

    def _render(self, environ, start_response):
        return render_threads.render(
            self.application.application, environ, start_response
        )

    def _kept(self, scope):
        if scope["method"] not in ("GET", "HEAD"):
            return None
        environ = environ_of(scope)
        key = key_of(environ)
        if key is None:
            return None
        action, found = store.decide(key, background=True)
        if action == store.RENDER:
            return None
        return self.application.kept(environ, action, found)


def _without_underscored_headers(scope):
    """The request without headers whose names hold "_". WSGI names both
    `X-Forwarded-For` and `X_Forwarded_For` HTTP_X_FORWARDED_FOR, so a client
    could add to a header our proxies write (core/clientip.py reads the address
    from it); gunicorn's own parser dropped such headers, and nginx does."""
    headers = scope.get("headers", ())
    if not any(b"_" in name for name, _ in headers):
        return scope
    return {**scope, "headers": [(n, v) for n, v in headers if b"_" not in n]}


async def _busy(send):
    body = b"The server is busy: try again in a few seconds."
    headers = [
        (b"content-type", b"text/plain; charset=utf-8"),
        (b"content-length", str(len(body)).encode()),
        (b"retry-after", b"5"),
        (b"cache-control", b"no-store"),
    ]
    await send({"type": "http.response.start", "status": 503, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _lifespan(receive, send):
    """Nothing to start or stop: the WSGI application was loaded with us."""
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return
