"""Parts of a page kept rendered between renders, under the page cache's tags.

A page the page cache cannot serve (a reader signed in, a query string it does
not keep, `Cache-Control: no-cache`, PAGE_CACHE=0) is rendered again, but most
of an article page is the same for every reader: the headline, byline, body,
corrections, trust box, tags, author boxes and "You may also like". Those parts
are kept here, each under the versions of the tags the whole page is kept
under (core/cachetags.py: the site, the article's own tag, every related list). Every
change that makes a kept page stale writes a new version of one of those tags
(invalidation.py), so it makes the kept parts stale too, at the same moment and
in every process: a part is exactly as fresh as a kept page would be, and is
kept no longer (PAGE_CACHE_SECONDS), in the shared cache and in each process's
memory alike. When image links expire (a private bucket, AWS_QUERYSTRING_AUTH)
a part is kept shorter still, so that a page built from it at the end of its
life carries open links for the whole of the page's own, a proxy's copy
included (`part_seconds`).

A part is stored only if none of its versions is newer than the start of the
request rendering it, the rule the middleware keeps whole pages by: a request
that read the article before a change must not store what it read under the
versions written after it.

What a part shows of the request (its site, for links and absolute URLs) is in
its key; what is personal (CSRF tokens, messages, forms, the comment area) is
never inside a part. Previews are never kept nor served from here.
"""

import hashlib
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache
from markupsafe import Markup

from byline.core import cachetags as cache_tags
from byline.core.cacheable import state

KEY_PREFIX = "byline:pc:part:"
# Each process keeps its most-read parts in memory as well (as the middleware
# keeps pages): a part never changes under its key, which holds its versions.
# Each is kept with the time it was rendered, and dropped when it has lived
# its `part_seconds`.
LOCAL_PARTS = 256
_local = OrderedDict()
_local_lock = threading.Lock()
# What a request's parts of each article are kept under, worked out once per
# request (a page asks for several parts), on the request as the page cache's
# state is.
KEYS = "_byline_part_keys"


def article_tags(article):
    """The tags an article page is kept under, its parts with it."""
    return (cache_tags.SITE, cache_tags.page(article.pk), cache_tags.RELATED)


def kept_part(request, name, article, render):
    """Return part `name` of an article page: kept, or rendered by `render()`
    and kept.

    `render` returns the part's HTML (Markup or str, already escaped).
    """
    under = _kept_under(request, article)
    if under is None:
        return Markup(render())
    prefix, storable = under
    seconds = part_seconds()
    if seconds <= 0:
        return Markup(render())
    key = f"{prefix}:{name}"
    now = time.time_ns()
    kept = _local.get(key)
    if kept is None or now - kept[1] >= seconds * 1_000_000_000:
        kept = cache.get(key)
        if not isinstance(kept, tuple):  # none, or kept by an older release
            html = str(render())
            if not storable:
                return Markup(html)  # something it shows changed meanwhile
            kept = (html, now)
            cache.set(key, kept, seconds)
        _remember(key, kept)
    return Markup(kept[0])


def part_seconds():
    """How long a part may be kept: as long as a page (PAGE_CACHE_SECONDS).

    With signed image links that expire (django-storages' `querystring_auth`,
    AWS_QUERYSTRING_EXPIRE seconds after the render that signed them), a page
    rendered from a part at the end of the part's life is itself kept for
    PAGE_CACHE_SECONDS, and a proxy's copy of it PAGE_CACHE_SHARED_SECONDS
    more, so the part lives only what the links have left after that (0 or
    less: not kept at all).
    """
    page = settings.PAGE_CACHE_SECONDS
    options = settings.STORAGES["default"].get("OPTIONS", {})
    if not options.get("querystring_auth"):
        return page
    # django-storages signs for an hour when no lifetime is set.
    expire = options.get("querystring_expire", 3600)
    return min(page, expire - page - settings.PAGE_CACHE_SHARED_SECONDS)


def _kept_under(request, article):
    """(key prefix, storable) of the article's parts for this request, or None
    if they are not to be kept: no page-cache state, a preview (unsaved content
    under the live page's id) or an article that is not live."""
    current = state(request) if request is not None else None
    if (
        current is None
        or article.pk is None
        or not article.live
        or getattr(request, "is_preview", False)
    ):
        return None
    known = getattr(request, KEYS, None)
    if known is None:
        known = {}
        setattr(request, KEYS, known)
    if article.pk not in known:
        started = current.started_ns
        versions = cache_tags.versions(article_tags(article), missing_below=started)
        raw = repr(
            (article.pk, request.scheme, request.get_host(), sorted(versions.items()))
        )
        known[article.pk] = (
            KEY_PREFIX + hashlib.sha256(raw.encode()).hexdigest(),
            # Stored only if nothing it shows changed since the request began.
            max(versions.values()) < started,
        )
    return known[article.pk]


def _remember(key, kept):
    with _local_lock:
        _local[key] = kept
        _local.move_to_end(key)
        while len(_local) > LOCAL_PARTS:
            _local.popitem(last=False)
