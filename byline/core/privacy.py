"""Pages behind a view restriction, kept out of public listings cheaply.

Wagtail's `.public()` reads every view restriction from the database each time a
listing is built (the home page builds ten), and serving a page reads its
ancestors and their restrictions (two queries). Restrictions are rare and change
rarely, so their paths are cached and forgotten when one is saved or deleted or
a page moves; pages no restriction covers skip both reads.
"""

from django.db.models import Q
from wagtail.models import Page, PageViewRestriction

from byline.core import siteconfig

CACHE_KEY = "byline:restricted-paths:v1"
ALIASES_KEY = "byline:site-has-aliases:v1"
TIMEOUT = 60 * 60


def restricted_paths():
    return siteconfig.get(CACHE_KEY, _read_restricted_paths, TIMEOUT)


def _read_restricted_paths():
    return sorted(PageViewRestriction.objects.values_list("page__path", flat=True))


def public(queryset):
    """Exclude pages in a restricted part of the tree (what `.public()` does)."""
    q = restricted_q()
    return queryset.exclude(q) if q else queryset


def restricted_q(prefix=""):
    """Return a Q matching pages (or, with `prefix="related__"`, rows whose related
    page) in a restricted part of the tree; an empty Q when nothing is restricted."""
    q = Q()
    for path in restricted_paths():
        q |= Q(**{f"{prefix}path__startswith": path})
    return q


def is_restricted(path):
    """Return whether a page at this tree path is behind a view restriction."""
    return any(path.startswith(restricted) for restricted in restricted_paths())


def is_public(page):
    """Return whether an anonymous reader may see a page: live and unrestricted."""
    return _public(page, restricted_paths())


def split_public(pages):
    """Return (the pages an anonymous reader may see, the others), reading the
    restrictions once for all of them (an import's batch is 500 pages)."""
    restricted = restricted_paths()
    shown, hidden = [], []
    for page in pages:
        (shown if _public(page, restricted) else hidden).append(page)
    return shown, hidden


def _public(page, restricted):
    return bool(page.live) and not any(page.path.startswith(r) for r in restricted)


def _site_has_aliases():
    return siteconfig.get(ALIASES_KEY, _read_has_aliases, TIMEOUT)


def _read_has_aliases():
    return Page.objects.filter(alias_of__isnull=False).exists()


class CachedViewRestrictions:
    """Page mixin: `get_view_restrictions()` (which Wagtail checks before serving)
    reads nothing when no cached restricted path covers the page."""

    def get_view_restrictions(self):
        # An alias takes its source's restrictions, wherever that lives: with
        # any alias on the site, Wagtail's own walk decides.
        covered = any(self.path.startswith(path) for path in restricted_paths())
        if not covered and not _site_has_aliases():
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()


def forget_restrictions():
    siteconfig.forget(CACHE_KEY)


def forget_aliases():
    siteconfig.forget(ALIASES_KEY)
