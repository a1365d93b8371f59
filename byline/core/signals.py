"""Forget cached site-wide data (chrome, sites, view restrictions) when it changes."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from byline.core.chrome import invalidate_chrome
from byline.core.models import SiteSettings
from byline.core.privacy import forget_aliases, forget_restrictions
from byline.core.sites import forget_sites


def _shows_in_chrome(instance):
    # Articles never appear in the header or footer; everything else may.
    from byline.news.models import ArticlePage

    return isinstance(instance, Page) and not isinstance(instance, ArticlePage)


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
    if isinstance(instance, Page) and instance.alias_of_id is not None:
        forget_aliases()


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
def page_state_changed(sender, instance, **kwargs):
    if _shows_in_chrome(instance):
        invalidate_chrome()
        forget_sites()
    if kwargs.get("url_path_before") is not None:
        # A move changes the paths that restrictions are matched by.
        forget_restrictions()
