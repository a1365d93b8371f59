"""Search result pages kept in the shared cache, exact on every index change.

The page cache keeps no search page (`q` is not one of its kept parameters: a
reader can type endless queries). Here a search page for an anonymous reader
is kept under its normalised query and two versions:

- the search version, written anew after every change to what search can show
  (`bump`: an article indexed or removed on publish, unpublish, edit, import,
  move or restriction; an author, section or tag indexed or removed), so a
  kept page never outlives the change, in any process;
- the page cache's SITE tag (header, footer and navigation of every page).

Only plain requests are kept: no session (signed in), no cookie that makes a
page personal (`core.cacheable.PERSONAL_COOKIES`); such pages carry no
CSRF token and no messages, so every anonymous reader may share them. Kept
pages expire after KEEP_SECONDS, so rare queries do not fill the cache.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse

from byline.core import cachetags as cache_tags
from byline.core import replicas
from byline.core.cacheable import PERSONAL_COOKIES

VERSION_KEY = "byline:search:version"
KEY_PREFIX = "byline:search:page:"
KEEP_SECONDS = 600
# Parameters of a search page; any other makes a request not worth keeping.
PARAMETERS = {
    "q", "page", "format", "exact", "section", "type", "author",
    "date_from", "date_to", "sort",
}  # fmt: skip


def bump():
    """Make every kept search page stale: now, and again once the change is
    committed (a reader asking in between may have kept the old answer under
    the version written now)."""
    _new_version()
    transaction.on_commit(_committed, robust=True)


def _committed():
    # Before the version: a reader who sees it reads a replica only once it
    # has this commit (byline/core/replicas.py).
    replicas.record_primary_position()
    _new_version()


def _new_version():
    cache.set(VERSION_KEY, time.time_ns(), None)


def _version():
    found = cache.get(VERSION_KEY)
    if found is None:
        # First use, or evicted: a fresh version no kept page can match.
        cache.add(VERSION_KEY, time.time_ns(), None)
        found = cache.get(VERSION_KEY)
    return found


def key_for(request):
    """Return the cache key of a plain anonymous search, or None."""
    if request.method != "GET" or settings.SESSION_COOKIE_NAME in request.COOKIES:
        return None
    if any(name in request.COOKIES for name in PERSONAL_COOKIES):
        return None
    pairs = []
    for name, values in sorted(request.GET.lists()):
        if name not in PARAMETERS:
            return None
        if name == "q":
            values = [" ".join(v.split()) for v in values]
        pairs.append((name, values))
    site = cache_tags.versions([cache_tags.SITE], missing_below=time.time_ns())
    version = _version()
    if version is None:
        return None
    # A tuple's repr keeps its parts apart, whatever a query holds.
    raw = repr((request.get_host(), request.path, pairs, site, version))
    return KEY_PREFIX + hashlib.sha256(raw.encode()).hexdigest()


def kept(key):
    """Return the kept response for key, or None."""
    entry = cache.get(key) if key else None
    if entry is None:
        return None
    status, content_type, content = entry
    response = HttpResponse(content, status=status, content_type=content_type)
    response["X-Search-Cache"] = "hit"
    return response


def keep(key, response):
    if key and response.status_code == 200 and not response.cookies:
        cache.set(
            key,
            (response.status_code, response["Content-Type"], response.content),
            KEEP_SECONDS,
        )
        response["X-Search-Cache"] = "miss"
    return response
