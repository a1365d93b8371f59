"""Forget cached site-wide data (chrome, sites, view restrictions) when it changes."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import post_page_move

from byline.core.chrome import PAGES_OUTSIDE_CHROME, invalidate_chrome, page_types
from byline.core.models import SiteSettings
from byline.core.privacy import forget_aliases, forget_restrictions
from byline.core.sites import forget_sites


def _shows_in_chrome(instance):
    # Articles never appear in the header or footer; everything else may (the
    # apps name such pages through the chrome's hook).
    outside = page_types(PAGES_OUTSIDE_CHROME)
    return isinstance(instance, Page) and not isinstance(instance, outside)


@receiver(post_save)
@receiver(post_delete)
def page_or_settings_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    if _shows_in_chrome(instance) or isinstance(instance, SiteSettings | Site):
        invalidate_chrome()
    if _shows_in_chrome(instance) or isinstance(instance, Site):
        # A site's cached root page goes stale with it.
        forget_sites()
    if isinstance(instance, PageViewRestriction):
        forget_restrictions()
        # Again once committed: a request that read the restrictions between
        # this change and the commit may have cached the old ones, which would
        # serve a page made private to everyone.
        transaction.on_commit(forget_restrictions, robust=True)
    if isinstance(instance, Page) and instance.alias_of_id is not None:
        forget_aliases()


# Publishing and unpublishing: byline/publishing/pipeline.py, step 1.
@receiver(post_page_move)
def page_moved(sender, instance, **kwargs):
    if _shows_in_chrome(instance):
        invalidate_chrome()
        forget_sites()
    if kwargs.get("url_path_before") is not None:
        # A move changes the paths that restrictions are matched by.
        forget_restrictions()
