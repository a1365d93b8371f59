"""Whole-page cache for anonymous readers, with exact invalidation by tags.

Readers without a session, comment or message cookie all see the same page, so
a page rendered once is kept (Django cache: Redis in production) and served to
the next reader without touching the database. Each kept page remembers the
version of every tag it was built from (tags.py); publishing, editing,
withdrawing or a new comment writes new versions for exactly the tags that
changed, so every page showing the change misses at once, in every process.

Responses say the same to proxies: `s-maxage` for shared caches (purged on
change by purge.py), and `max-age=0, must-revalidate` so browsers ask again
every time, answered with 304 when the ETag matches. Serving stale copies while
refreshing them is for proxies only (`CDN-Cache-Control`, RFC 9213; nginx does
it by its own `proxy_cache_use_stale`): a browser that kept a stale page would
show a reader who has just commented the thread without their comment.

Pages are kept in store.py, which also decides when a page that has changed may
still be served to other readers while one request renders it again (bounded
by PAGE_CACHE_STALE_SECONDS; such copies are kept by no browser or proxy).

The reader id cookie (`byline_reader`, set on a first vote or comment) does not
make a page personal: no page renders anything from it. A reader's own votes,
held comments and remembered name come from `/comments/me/` (never cached),
which the page's script applies (comments/reader_state.py).
"""

import hashlib
import time
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpResponse, QueryDict
from django.http.request import split_domain_port
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, parse_http_date_safe

from byline.core.cacheable import PERSONAL_COOKIES, STATE, PageCacheState
from byline.pagecache import store

KEY_PREFIX = "byline:pc:page:"
# Query parameters a cached page may depend on; any other makes it uncacheable.
KEPT_QUERY = {"page", "sort", "before"}
# Parameters added by newsletters and social sites that never change a page.
TRACKING_PREFIXES = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid", "ref")
# Seconds a proxy may serve a page past its s-maxage while fetching it again,
# and while the site is down. Browsers never serve a stale page.
STALE_WHILE_REVALIDATE = 30
STALE_IF_ERROR = 24 * 60 * 60
# Headers never replayed from a kept page.
DROPPED_HEADERS = {"set-cookie", "date", "content-length", "x-page-cache"}


def kept_query(query_pairs):
    """The query a kept page is built from, or None if the request has a
    parameter that makes it uncacheable.

    Only KEPT_QUERY parameters count, the last value of each (as `GET.get`
    reads it), sorted and encoded again: joining decoded values would let
    `?page=1%26sort%3Dvotes` share a key with `?page=1&sort=votes`.
    """
    kept = {}
    for name, value in query_pairs:
        if name in KEPT_QUERY:
            kept[name] = value
        elif not name.startswith(TRACKING_PREFIXES):
            return None
    return urlencode(sorted(kept.items()))


def key_for(method, cookies, query_pairs, scheme, site, path):
    """The cache key of a plain request, or None if the request is not plain.

    `site` is the lower-case host name and the port Wagtail picks the site by
    (`hostname:port`): nothing else of the Host header reaches a page.
    Shared by the middleware and the WSGI fast path (wsgi.py), which must agree.
    """
    if method not in ("GET", "HEAD") or path.startswith(
        (settings.STATIC_URL, settings.MEDIA_URL)
    ):
        return None
    if settings.SESSION_COOKIE_NAME in cookies or any(
        name in cookies for name in PERSONAL_COOKIES
    ):
        return None
    query = kept_query(query_pairs)
    if query is None:
        return None
    # A tuple's repr cannot be confused between parts (a decoded path may hold
    # "?" or a newline).
    raw = repr((scheme, site, path, query))
    return KEY_PREFIX + hashlib.sha256(raw.encode()).hexdigest()


def _key(request):
    if request.method not in ("GET", "HEAD"):
        return None
    try:
        hostname, _ = split_domain_port(request.get_host())
    except DisallowedHost:
        return None
    pairs = [(n, v) for n, values in request.GET.lists() for v in values]
    site = f"{hostname}:{request.get_port()}"
    return key_for(
        request.method, request.COOKIES, pairs, request.scheme, site, request.path
    )


def _keep_only_kept_query(request):
    """Let the view see the query exactly as the key does, so that nothing the
    key ignores (utm_source, a second page=) can reach a page others are served."""
    pairs = [(n, v) for n, values in request.GET.lists() for v in values]
    query = kept_query(pairs)
    request.GET = QueryDict(query)
    request.META["QUERY_STRING"] = query


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.time_ns()
        key = _key(request) if settings.PAGE_CACHE else None
        mark = None
        if key is not None and not request.META.get(store.DECIDED):
            action, found = store.decide(key)
            if action != store.RENDER:
                return self._serve_kept(request, found, stale=action == store.STALE)
            mark = found
        if key is not None:
            _keep_only_kept_query(request)
        setattr(request, STATE, PageCacheState(key is not None, started))
        try:
            response = self.get_response(request)
            return self._after(request, response, key)
        finally:
            store.done(mark)

    def _serve_kept(self, request, entry, *, stale):
        status, headers, body, _, etag, modified, _ = entry
        response = HttpResponse(body, status=status)
        for name, value in store.stale_headers(headers) if stale else headers:
            response[name] = value
        response["X-Page-Cache"] = "stale" if stale else "hit"
        return _conditional(request, response, etag, modified)

    def _after(self, request, response, key):
        state = getattr(request, STATE)
        if state.tags is None:
            return response
        if not state.plain or not _asked_as_rendered(request, state):
            # Someone signed in or taking part, or a page asked for in words
            # other than its own (pages.rendered_with): fresh, kept by no one.
            patch_cache_control(response, private=True, no_cache=True)
            return response
        if (
            response.status_code != 200
            or response.streaming
            or response.cookies
            or "private" in response.get("Cache-Control", "")
        ):
            return response
        shared = state.shared_seconds or settings.PAGE_CACHE_SHARED_SECONDS
        patch_cache_control(
            response, public=True, max_age=0, must_revalidate=True, s_maxage=shared
        )
        response["CDN-Cache-Control"] = (
            f"public, max-age={shared}, "
            f"stale-while-revalidate={STALE_WHILE_REVALIDATE}, "
            f"stale-if-error={STALE_IF_ERROR}"
        )
        if response.has_header("Vary"):
            # Every plain reader gets this same page; proxies bypass the cookies
            # that make a page personal (README, deployment).
            vary = [
                v.strip()
                for v in response["Vary"].split(",")
                if v.strip().lower() != "cookie"
            ]
            if vary:
                response["Vary"] = ", ".join(vary)
            else:
                del response["Vary"]
        body = response.content
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        modified = http_date()
        response["ETag"] = etag
        response["Last-Modified"] = modified
        headers = [
            (name, value)
            for name, value in response.items()
            if name.lower() not in DROPPED_HEADERS
        ]
        store.keep(
            key,
            response.status_code,
            headers,
            body,
            state.tags,
            state.started_ns,
            etag,
            modified,
        )
        response["X-Page-Cache"] = "miss"
        return _conditional(request, response, etag, modified)


def _asked_as_rendered(request, state):
    asked = sorted(
        (name, value)
        for name, values in request.GET.lists()
        if name in KEPT_QUERY
        for value in values
    )
    return asked == sorted(state.query.items())


def _conditional(request, response, etag, modified):
    return get_conditional_response(
        request,
        etag=etag,
        last_modified=parse_http_date_safe(modified),
        response=response,
    )
