"""The site's comment settings, read on every article page, kept in the cache.

Forgotten when the settings are saved (`byline.comments.signals`).
"""

from django.core.cache import cache
from wagtail.models import Site

from byline.comments.models import CommentSettings

CACHE_KEY = "byline:comment-settings:v1:{site_id}"
TIMEOUT = 60 * 60


def for_request(request):
    site = Site.find_for_request(request)
    if site is None:
        return CommentSettings()
    key = CACHE_KEY.format(site_id=site.pk)
    settings = cache.get(key)
    if settings is None:
        settings = CommentSettings.for_site(site)
        cache.set(key, settings, TIMEOUT)
    return settings


def forget(site_id):
    cache.delete(CACHE_KEY.format(site_id=site_id))
