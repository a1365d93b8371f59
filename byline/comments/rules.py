"""The site's comment settings, read on every article page, kept in the cache.

Forgotten when the settings are saved (`byline.comments.signals`).
"""

from wagtail.models import Site

from byline.comments.models import CommentSettings
from byline.core import siteconfig

CACHE_KEY = "byline:comment-settings:v1:{site_id}"
TIMEOUT = 60 * 60


def for_request(request):
    site = Site.find_for_request(request)
    if site is None:
        return CommentSettings()
    return siteconfig.get(
        CACHE_KEY.format(site_id=site.pk),
        lambda: CommentSettings.for_site(site),
        TIMEOUT,
    )


def forget(site_id):
    siteconfig.forget(CACHE_KEY.format(site_id=site_id))
