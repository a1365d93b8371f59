"""The site's comment settings, read on every article page, kept in the cache.

Forgotten when the settings are saved (below).
"""

from django.db.models.signals import post_save
from django.dispatch import receiver
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


@receiver(post_save, sender=CommentSettings)
def settings_saved(sender, instance, **kwargs):
    forget(instance.site_id)
