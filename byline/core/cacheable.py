"""What views say about caching: which responses may be kept, and what they show.

A view calls `cache_page(request, *tags)` before it renders. If the request is
anonymous and plain (see `byline.pagecache.middleware`), the response is kept
whole until one of the tags changes; template tags that add content (related
articles) add their own tags with `add_tags`.

This is the ground floor's half of the page cache: any app may declare what
its pages show, while the machinery that keeps, serves and purges pages
(`byline.pagecache`) sits above every app and reads these declarations.
"""

from functools import wraps

from django.conf import settings

from byline.core.cachetags import SITE

STATE = "_byline_page_cache"
# Cookies that make a page personal: signed in, just commented (may edit), or
# has a message to see. csrftoken does not (forms fetch their token), nor does
# the reader id of one who voted or commented (their state is fetched apart).
PERSONAL_COOKIES = ("byline_edit", "messages")


class PageCacheState:
    def __init__(self, plain, started_ns):
        self.plain = plain  # anonymous, no session or comment cookie, known query
        self.started_ns = started_ns
        self.tags = None  # None: this response is not to be kept
        self.shared_seconds = None
        self.query = {}  # the kept query parameters it was rendered for


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


def rendered_with(request, **query):
    """Declare the query parameters (of the kept ones: `page`, `sort`) this
    response shows, each written the one way the site writes it.

    A response is kept only when the request asked with exactly these: a page
    cannot be stored again under `?page=0002`, `?page=999` (shown as the last
    page) or `?sort=anything`, so a cache can hold no more pages than the site
    has, and no one can flood it with copies.
    """
    current = state(request)
    if current is not None:
        current.query.update({name: str(value) for name, value in query.items()})


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
    deep = request.GET.get("page", "1") not in ("", "1") or "before" in request.GET
    cache_page(
        request,
        SITE,
        *tags,
        shared_seconds=settings.PAGE_CACHE_DEEP_SECONDS if deep else None,
    )
