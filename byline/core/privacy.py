"""Pages behind a view restriction, kept out of public listings cheaply.

Wagtail's `.public()` reads every view restriction from the database each time a
listing is built (the home page builds ten). Restrictions are rare and change
rarely, so their paths are cached and forgotten when one is saved or deleted.
"""

from django.core.cache import cache
from django.db.models import Q
from wagtail.models import PageViewRestriction

CACHE_KEY = "byline:restricted-paths:v1"
TIMEOUT = 60 * 60


def restricted_paths():
    paths = cache.get(CACHE_KEY)
    if paths is None:
        paths = sorted(PageViewRestriction.objects.values_list("page__path", flat=True))
        cache.set(CACHE_KEY, paths, TIMEOUT)
    return paths


def public(queryset):
    """Exclude pages in a restricted part of the tree (what `.public()` does)."""
    q = Q()
    for path in restricted_paths():
        q |= Q(path__startswith=path)
    return queryset.exclude(q) if q else queryset


def forget_restrictions():
    cache.delete(CACHE_KEY)
