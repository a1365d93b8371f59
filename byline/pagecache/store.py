"""Where kept pages live, and when a stale one may still be served.

A kept page is an entry `(status, headers, body, versions, etag, modified,
rendered_ns)`: `versions` are its tags' versions (tags.py) when it was rendered,
`rendered_ns` the time its render began. It is fresh while every version is
still current, and is then served as it is ("hit").

Stale while revalidating, inside the app (issue 18's comment storm): every
published comment bumps its article's tag, and on a busy thread that is several
times a second, more often than the article takes to render. Every reader then
missed, and rendered the same page at once (a thundering herd), and a render
that saw a change while it ran was not even kept. Now:

- When a page is stale, one request takes its refresh mark (`cache.add`, with
  a timeout) and the page is rendered again; meanwhile every other reader is
  served the stale copy ("stale"), if the first change it does not show was
  made less than PAGE_CACHE_STALE_SECONDS ago (until 2026-12-06: if its render
  began less than that ago, so a listing kept for minutes was rendered by
  every one of its readers at once the moment a comment count changed, each
  waiting behind a storm's posts: reader p99 of seconds). A tag's version is
  the time of its latest change, so while a tag keeps changing that time keeps
  moving: a copy is also never served stale once its render began
  PAGE_CACHE_STALE_MAX_SECONDS ago (300), in case its renders keep failing.
  Served by the WSGI fast path (or the event loop, asgi.py), the request that
  took the mark is served the stale copy too, and the render is done in the
  background by a render thread (`decide(background=True)`, wsgi.py): during a
  comment storm those renders queue behind the posts, and a reader waiting for
  one waited for them all (`bench/spike.py`: reader p99 of about a second).
  Staleness is bounded: no reader is shown a page missing a change made longer
  ago than that, and only while it is being rendered anew. Past that, or with
  the setting at 0, a reader renders as before.
- A render during which something it shows changed is kept too, with that tag's
  version marked CHANGED: never served as fresh, only as the stale copy while
  the next render runs, so a busy page is always at most one render behind.
- Stale copies tell browsers and proxies not to keep them (`private,
  no-cache`): proxies were purged when the change was committed and must not
  store the old page again; a browser asks again next time.
- Requests with a personal cookie (signed in, or a reader who just posted and
  holds the edit grant) never reach the cache, so a reader always sees their
  own comment at once.

Correctness never depends on the mark: it only spares renders (`cache.add` is
atomic on Redis and on the machine's diskcache alike).
"""

import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache

from byline.core import cachetags as cache_tags

HIT, STALE, RENDER = "hit", "stale", "render"
REVALIDATE = "revalidate"
# A tag version no tag ever has: it changed while the page was rendered.
CHANGED = 0
REFRESH_PREFIX = "byline:pc:refresh:"
# Headers a stale copy is served with instead of the kept ones.
STALE_CACHE_CONTROL = "private, no-cache"
NOT_FOR_STALE = {"cache-control", "cdn-cache-control"}
# The WSGI fast path (wsgi.py) sets this in the environ when it has already
# looked the page up, so the middleware does not look (or take a mark) again.
DECIDED = "byline.pagecache.decided"

# Each process keeps its most-read pages in memory as well: a kept page never
# changes under its versions, so only the (small) versions need reading from
# the shared cache on a hit, not the page itself. It is kept no longer than in
# the shared cache (PAGE_CACHE_SECONDS): a page carries what was true only for
# a time, such as signed image links that expire (AWS_QUERYSTRING_AUTH).
_local = OrderedDict()
_local_lock = threading.Lock()
LOCAL_PAGES = 256


def _remember(key, entry):
    with _local_lock:
        _local[key] = entry
        _local.move_to_end(key)
        while len(_local) > LOCAL_PAGES:
            _local.popitem(last=False)


def _fresh(entry):
    versions = entry[3]
    return cache_tags.current(list(versions)) == versions


def _out_of_date_since(entry):
    """When the first change this copy does not show was made (tags' versions
    are the times they changed), or None if that cannot be told (a version
    evicted from the cache)."""
    kept = entry[3]
    now = cache_tags.current(list(kept))
    changes = [version for tag, version in now.items() if version != kept[tag]]
    if None in changes:
        return None
    return min(changes, default=time.time_ns())


def _too_old(entry):
    return time.time_ns() - entry[6] >= settings.PAGE_CACHE_SECONDS * 1_000_000_000


def lookup(key):
    """Return (entry, fresh): the newest kept page under key (None if there is
    none) and whether nothing it shows has changed since it was rendered."""
    local = _local.get(key)
    if local is not None and _too_old(local):
        with _local_lock:
            if _local.get(key) is local:  # not a newer one kept meanwhile
                del _local[key]
        local = None
    if local is not None and _fresh(local):
        return local, True
    shared = cache.get(key)
    if shared is not None and len(shared) != 7:
        shared = None  # kept by an older release, in another shape
    if shared is not None and (local is None or shared[6] > local[6]):
        if _fresh(shared):
            _remember(key, shared)
            return shared, True
        return shared, False
    return local, False


def decide(key, background=False):
    """What to answer a plain request with: (HIT, entry), (STALE, entry), or
    (RENDER, mark), `mark` being the refresh mark this request took (or None),
    to be given back to `done` once the page is rendered and kept.

    With `background`, the request that takes the mark is not made to wait for
    the render either: (REVALIDATE, (entry, mark)) says to serve it the stale
    copy and render the page again in the background."""
    entry, fresh = lookup(key)
    if entry is None:
        return RENDER, None
    if fresh:
        return HIT, entry
    young = settings.PAGE_CACHE_STALE_SECONDS * 1_000_000_000
    oldest = settings.PAGE_CACHE_STALE_MAX_SECONDS * 1_000_000_000
    since, now = _out_of_date_since(entry), time.time_ns()
    if since is None or now - since >= young or now - entry[6] >= oldest:
        return RENDER, None  # too far behind to show while it is rendered again
    mark = REFRESH_PREFIX + key
    if cache.add(mark, 1, settings.PAGE_CACHE_STALE_SECONDS):
        return (REVALIDATE, (entry, mark)) if background else (RENDER, mark)
    return STALE, entry


def done(mark):
    """Give back a refresh mark: the page is rendered (and kept, if it could be)."""
    if mark is not None:
        cache.delete(mark)


def stale_headers(headers):
    """A stale copy's headers: the kept ones, but kept by no cache."""
    kept = [(n, v) for n, v in headers if n.lower() not in NOT_FOR_STALE]
    return [*kept, ("Cache-Control", STALE_CACHE_CONTROL)]


def keep(key, status, headers, body, tags, started_ns, etag, modified):
    """Keep a rendered page, begun at started_ns and built from tags."""
    versions = cache_tags.versions(tags, missing_below=started_ns)
    changed = [tag for tag, version in versions.items() if version >= started_ns]
    if changed:
        # Something it shows changed while it was rendered: keep it as the
        # stale copy to serve during the next render, unless a later render
        # was kept meanwhile.
        versions.update(dict.fromkeys(changed, CHANGED))
        newer = cache.get(key)
        if newer is not None and len(newer) == 7 and newer[6] > started_ns:
            return
    entry = (status, headers, body, versions, etag, modified, started_ns)
    cache.set(key, entry, settings.PAGE_CACHE_SECONDS)
    _remember(key, entry)
