"""Whole-page cache for anonymous readers, with exact invalidation by tags.

Readers without a session, comment or message cookie all see the same page, so
a page rendered once is kept (Django cache: Redis in production) and served to
the next reader without touching the database. Each kept page remembers the
version of every tag it was built from (tags.py); publishing, editing,
withdrawing or a new comment writes new versions for exactly the tags that
changed, so every page showing the change misses at once, in every process.

Responses say the same to proxies: `s-maxage` with `stale-while-revalidate`
for shared caches (purged on change by purge.py), `max-age=0` so browsers ask
again, answered with 304 when the ETag matches.
"""

import hashlib
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, parse_http_date_safe

from byline.pagecache import tags as cache_tags
from byline.pagecache.pages import STATE, PageCacheState

KEY_PREFIX = "byline:pc:page:"
# Query parameters a cached page may depend on; any other makes it uncacheable.
KEPT_QUERY = {"page", "sort"}
# Parameters added by newsletters and social sites that never change a page.
TRACKING_PREFIXES = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid", "ref")
# Cookies that make a page personal: signed in, just commented (may edit), has
# voted, or has a message to see. csrftoken does not: forms fetch their token.
PERSONAL_COOKIES = ("byline_edit", "byline_reader", "messages")
# Headers never replayed from a kept page.
DROPPED_HEADERS = {"set-cookie", "date", "content-length", "x-page-cache"}


def key_for(method, cookies, query_pairs, scheme, host, path):
    """The cache key of a plain request, or None if the request is not plain.

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
    kept = []
    for name, value in query_pairs:
        if name in KEPT_QUERY:
            kept.append((name, value))
        elif not name.startswith(TRACKING_PREFIXES):
            return None
    query = "&".join(f"{name}={value}" for name, value in sorted(kept))
    raw = f"{scheme}://{host}{path}?{query}"
    return KEY_PREFIX + hashlib.sha256(raw.encode()).hexdigest()


def _key(request):
    if request.method not in ("GET", "HEAD"):
        return None
    try:
        host = request.get_host()
    except DisallowedHost:
        return None
    pairs = [(n, v) for n, values in request.GET.lists() for v in values]
    return key_for(
        request.method, request.COOKIES, pairs, request.scheme, host, request.path
    )


# Each process keeps its most-read pages in memory as well: a kept page never
# changes under its versions, so only the (small) versions need reading from
# the shared cache on a hit, not the page itself.
_local = OrderedDict()
_local_lock = threading.Lock()
LOCAL_PAGES = 256


def _remember(key, entry):
    with _local_lock:
        _local[key] = entry
        _local.move_to_end(key)
        while len(_local) > LOCAL_PAGES:
            _local.popitem(last=False)


def kept_entry(key):
    """The kept page under key if nothing it shows has changed, else None.

    Returns (status, headers, body, etag, last_modified).
    """
    entry = _local.get(key)
    if entry is not None:
        status, headers, body, versions, etag, modified = entry
        if cache_tags.current(list(versions)) == versions:
            return status, headers, body, etag, modified
    entry = cache.get(key)
    if entry is None:
        return None
    status, headers, body, versions, etag, modified = entry
    if cache_tags.current(list(versions)) != versions:
        return None  # something it shows has changed since it was kept
    _remember(key, entry)
    return status, headers, body, etag, modified


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.time_ns()
        key = _key(request) if settings.PAGE_CACHE else None
        if key is not None:
            hit = self._serve_kept(request, key)
            if hit is not None:
                return hit
        setattr(request, STATE, PageCacheState(key is not None, started))
        response = self.get_response(request)
        return self._after(request, response, key)

    def _serve_kept(self, request, key):
        entry = kept_entry(key)
        if entry is None:
            return None
        status, headers, body, etag, modified = entry
        response = HttpResponse(body, status=status)
        for name, value in headers:
            response[name] = value
        response["X-Page-Cache"] = "hit"
        return _conditional(request, response, etag, modified)

    def _after(self, request, response, key):
        state = getattr(request, STATE)
        if state.tags is None:
            return response
        if not state.plain:
            # Someone signed in or taking part: fresh, and kept by no one.
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
            response,
            public=True,
            max_age=0,
            s_maxage=shared,
            stale_while_revalidate=30,
            stale_if_error=24 * 60 * 60,
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
        versions = cache_tags.versions(state.tags, missing_below=state.started_ns)
        if max(versions.values()) < state.started_ns:
            # Nothing it shows changed while it was being rendered.
            headers = [
                (name, value)
                for name, value in response.items()
                if name.lower() not in DROPPED_HEADERS
            ]
            entry = (response.status_code, headers, body, versions, etag, modified)
            cache.set(key, entry, settings.PAGE_CACHE_SECONDS)
            _remember(key, entry)
        response["X-Page-Cache"] = "miss"
        return _conditional(request, response, etag, modified)


def _conditional(request, response, etag, modified):
    return get_conditional_response(
        request,
        etag=etag,
        last_modified=parse_http_date_safe(modified),
        response=response,
    )
