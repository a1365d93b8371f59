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
kept no longer (PAGE_CACHE_SECONDS).

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
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache
from markupsafe import Markup

from byline.core import cachetags as cache_tags
from byline.core.cacheable import state

KEY_PREFIX = "byline:pc:part:"
# Each process keeps its most-read parts in memory as well (as the middleware
# keeps pages): a part never changes under its key, which holds its versions.
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
    key = f"{prefix}:{name}"
    html = _local.get(key)
    if html is None:
        html = cache.get(key)
        if html is None:
            html = str(render())
            if not storable:
                return Markup(html)  # something it shows changed meanwhile
            cache.set(key, html, settings.PAGE_CACHE_SECONDS)
        _remember(key, html)
    return Markup(html)


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


def _remember(key, html):
    with _local_lock:
        _local[key] = html
        _local.move_to_end(key)
        while len(_local) > LOCAL_PARTS:
            _local.popitem(last=False)
