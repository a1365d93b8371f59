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


def restricted_key():
    """What a compiled public listing depends on (`byline.core.prepared`)."""
    return tuple(restricted_paths())


def public(queryset):
    """Exclude pages in a restricted part of the tree (what `.public()` does)."""
    q = Q()
    for path in restricted_paths():
        q |= Q(path__startswith=path)
    return queryset.exclude(q) if q else queryset


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
            nothing = PageViewRestriction.objects.none()
            # Filled in advance: serving iterates it, and even an empty queryset
            # compiles its SQL first. Admin views that refine it get a clone.
            nothing._result_cache = []
            return nothing
        return super().get_view_restrictions()


def forget_restrictions():
    siteconfig.forget(CACHE_KEY)


def forget_aliases():
    siteconfig.forget(ALIASES_KEY)
