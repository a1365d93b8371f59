"""What views say about caching: which responses may be kept, and what they show.

A view calls `cache_page(request, *tags)` before it renders. If the request is
anonymous and plain (see `middleware.PageCacheMiddleware.plain_request`), the
response is kept whole until one of the tags changes; template tags that add
content (related articles) add their own tags with `add_tags`.
"""

from functools import wraps

STATE = "_byline_page_cache"


class PageCacheState:
    def __init__(self, plain, started_ns):
        self.plain = plain  # anonymous, no session or comment cookie, known query
        self.started_ns = started_ns
        self.tags = None  # None: this response is not to be kept
        self.shared_seconds = None


def state(request):
    return getattr(request, STATE, None)


def cache_page(request, *tags, shared_seconds=None):
    """Declare this response cacheable, built from `tags` (see tags.py).

    `shared_seconds` overrides how long proxies keep it (pages that purges do
    not reach, such as deep listing pages, keep it short).
    """
    current = state(request)
    if current is None:
        return
    current.tags = set(current.tags or ()) | set(tags)
    if shared_seconds is not None:
        current.shared_seconds = shared_seconds


def add_tags(request, *tags):
    """Add what a part of the page shows, if the page is being cached at all."""
    current = state(request) if request is not None else None
    if current is not None and current.tags is not None:
        current.tags.update(tags)


def storing(request):
    """True when this response will be cached whole and shared between readers:
    it must then carry nothing personal (no CSRF token; forms fetch one)."""
    current = state(request)
    return bool(current and current.plain and current.tags is not None)


def cached_view(tags_for, *, listing=False):
    """Decorate a view whose responses are cached, `tags_for(request, **kwargs)`
    naming what it shows; `listing` for paginated ones (see cache_listing)."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            declare = cache_listing if listing else cache_page
            declare(request, *tags_for(request, *args, **kwargs))
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


def cache_listing(request, *tags):
    """Cache a paginated listing. Purges reach only its first page, so proxies
    keep later pages briefly (PAGE_CACHE_DEEP_SECONDS); the app cache is exact."""
    from django.conf import settings

    from byline.pagecache.tags import SITE

    deep = request.GET.get("page", "1") not in ("", "1")
    cache_page(
        request,
        SITE,
        *tags,
        shared_seconds=settings.PAGE_CACHE_DEEP_SECONDS if deep else None,
    )
