"""Serve kept pages before Django builds a request: the page cache's fast path.

A hit here costs a cache read and a version check, no middleware, no request
object, no database. Everything else (misses, personal requests, conditional
requests it cannot answer) goes to Django, run on the process's few render
threads (`render_threads`); its PageCacheMiddleware keeps pages and answers the
same way. Both compute the key with `key_for`, and
decide with `store.decide` whether a kept page is served, served stale while
another request renders it again, or rendered (this request then holds the
page's refresh mark until Django has rendered and kept it).
"""

from io import BytesIO

from django.conf import settings
from django.core.handlers.wsgi import (
    get_bytes_from_wsgi,
    get_path_info,
    get_script_name,
)
from django.http import QueryDict
from django.http.cookie import parse_cookie
from django.http.request import split_domain_port
from django.utils.http import parse_http_date_safe

from byline.pagecache import render_threads, store
from byline.pagecache.middleware import key_for

STATUS = {200: "200 OK", 304: "304 Not Modified"}
# What a 304 repeats of the full answer (RFC 9110, 15.4.5).
NOT_MODIFIED_KEEPS = {
    "cache-control",
    "content-location",
    "etag",
    "expires",
    "last-modified",
    "vary",
}
# Not passed to a render done in the background: it must be a full answer to
# keep, whatever the reader who found the page stale had asked for.
NOT_FOR_BACKGROUND = {
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_CACHE_CONTROL",
    "HTTP_PRAGMA",
}


def _scheme(environ):
    header = settings.SECURE_PROXY_SSL_HEADER
    if header and environ.get(header[0]) == header[1]:
        return "https"
    return environ.get("wsgi.url_scheme", "http")


def _site(environ):
    """`hostname:port` as the middleware reads them (request.get_host(),
    request.get_port()), or None without a usable host name."""
    host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
    hostname, _ = split_domain_port(host)
    if not hostname:
        return None
    port = environ.get("SERVER_PORT", "")
    if settings.USE_X_FORWARDED_PORT and "HTTP_X_FORWARDED_PORT" in environ:
        port = environ["HTTP_X_FORWARDED_PORT"]
    return f"{hostname}:{port}"


def _not_modified(environ, etag, modified):
    match = environ.get("HTTP_IF_NONE_MATCH")
    if match is not None:
        tags = [t.strip().removeprefix("W/") for t in match.split(",")]
        return "*" in tags or etag in tags
    since = environ.get("HTTP_IF_MODIFIED_SINCE")
    if since is not None:
        since, last = parse_http_date_safe(since), parse_http_date_safe(modified)
        return since is not None and last is not None and last <= since
    return False


def _background_environ(environ):
    """The request a reader made, to be made again by no one in particular."""
    copied = {
        name: value
        for name, value in environ.items()
        if isinstance(value, str) and name not in NOT_FOR_BACKGROUND
    }
    copied.update(
        {
            "wsgi.input": BytesIO(),
            "wsgi.errors": environ.get("wsgi.errors"),
            "wsgi.version": environ.get("wsgi.version", (1, 0)),
            "wsgi.multithread": True,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }
    )
    return copied


def key_of(environ):
    """The page cache's key for a request, or None if it is never kept (the
    key PageCacheMiddleware keeps Django's answer under)."""
    method = environ.get("REQUEST_METHOD", "GET")
    if method not in ("GET", "HEAD"):
        return None  # before parsing anything
    site = _site(environ)
    if site is None:
        return None
    path = get_script_name(environ) + get_path_info(environ)
    # Decoded as Django decodes it, so both compute the same key.
    query = QueryDict(get_bytes_from_wsgi(environ, "QUERY_STRING", ""))
    return key_for(
        method,
        parse_cookie(environ.get("HTTP_COOKIE", "")),
        [(name, value) for name, values in query.lists() for value in values],
        _scheme(environ),
        site,
        path,
    )


def kept_answer(environ, entry, stale):
    """(status, headers, body) answering a request with a kept page."""
    status, headers, body, _, etag, modified, _ = entry
    if stale:
        headers = store.stale_headers(headers)
    served = "stale" if stale else "hit"
    if _not_modified(environ, etag, modified):
        kept = [(n, v) for n, v in headers if n.lower() in NOT_MODIFIED_KEEPS]
        return STATUS[304], [*kept, ("X-Page-Cache", served)], b""
    headers = [
        *headers,
        ("Content-Length", str(len(body))),
        ("X-Page-Cache", served),
    ]
    head = environ.get("REQUEST_METHOD") == "HEAD"
    return STATUS.get(status, f"{status} OK"), headers, b"" if head else body


class PageCacheApplication:
    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        with render_threads.kept_pages(environ):
            key = key_of(environ) if settings.PAGE_CACHE else None
            action, found = (
                store.decide(key, background=render_threads.threaded(environ))
                if key is not None
                else (store.RENDER, None)
            )
            if action != store.RENDER:
                return self._answer(environ, start_response, action, found)
        if key is None:
            return render_threads.render(self.application, environ, start_response)
        environ[store.DECIDED] = True
        try:
            # Django's response is whole (and kept) once this returns.
            return render_threads.render(self.application, environ, start_response)
        finally:
            store.done(found)

    def _answer(self, environ, start_response, action, found):
        status, headers, body = self.kept(environ, action, found)
        start_response(status, headers)
        return [body]

    def kept(self, environ, action, found):
        """(status, headers, body) of a kept page, fresh or stale, that `decide`
        said to serve (HIT, STALE, or REVALIDATE: stale while a render thread
        renders it again)."""
        if action == store.REVALIDATE:
            found, mark = found
            render_threads.in_background(
                self.revalidate, _background_environ(environ), mark
            )
        stale = action in (store.STALE, store.REVALIDATE)
        return kept_answer(environ, found, stale)

    def revalidate(self, environ, mark):
        """Render a page again and keep it, for no one waiting (`decide`)."""
        environ[store.DECIDED] = True
        try:
            response = self.application(environ, lambda status, headers: None)
            try:
                for _ in response:
                    pass
            finally:
                response.close()
        finally:
            store.done(mark)
