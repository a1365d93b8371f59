"""Forget the cached header and footer when what they show may have changed."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from byline.core.chrome import invalidate_chrome
from byline.core.models import SiteSettings


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


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
def page_state_changed(sender, instance, **kwargs):
    if _shows_in_chrome(instance):
        invalidate_chrome()
