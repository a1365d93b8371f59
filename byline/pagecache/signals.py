"""Follow every change a reader can see into the page caches (invalidation.py).

Publishing and unpublishing are steps 0 and 7 of byline/publishing/pipeline.py.
"""

from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver
from wagtail.contrib.settings.models import BaseSiteSetting
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import post_page_move

from byline.comments.signals import comments_changed
from byline.news.models import ArticlePage, Author
from byline.news.signals import demo_loaded, import_finished
from byline.pagecache import invalidation
from byline.related.signals import lists_changed


@receiver(post_page_move)
def page_moved(sender, instance, url_path_before=None, **kwargs):
    instance = instance.specific
    old = None
    for site in Site.objects.all():
        root = site.root_page.url_path
        if url_path_before and url_path_before.startswith(root):
            old = site.root_url + "/" + url_path_before[len(root) :]
    if isinstance(instance, ArticlePage):
        before = kwargs.get("parent_page_before")
        previous = [invalidation.Shown(before.pk)] if before is not None else []
        invalidation.articles([instance.pk], previous=previous, old_urls=[old])
    else:
        invalidation.everything()


@receiver(pre_delete, sender=ArticlePage)
def article_deleted(sender, instance, **kwargs):
    if instance.live:
        invalidation.articles([instance.pk])


@receiver(post_save)
@receiver(post_delete)
def site_wide_change(sender, instance, raw=False, **kwargs):
    if raw:
        return
    if isinstance(instance, PageViewRestriction):
        # A page turned private (or public again) must leave every cache at
        # once, with everything below it and every listing that showed them.
        invalidation.restriction(instance.page_id)
    elif isinstance(instance, BaseSiteSetting | Site | Author):
        # Settings and authors show on many pages.
        invalidation.everything()
    elif (
        isinstance(instance, Page)
        and not isinstance(instance, ArticlePage)
        and "created" not in kwargs
    ):
        invalidation.everything()  # a page deleted (publishing is handled above)


@receiver(comments_changed)
def comments_on_articles_changed(sender, article_ids, **kwargs):
    invalidation.comments(article_ids)


@receiver(lists_changed)
def related_lists_changed(sender, article_ids, **kwargs):
    invalidation.related_lists(article_ids)


@receiver(import_finished)
@receiver(demo_loaded)
def many_pages_changed(sender, **kwargs):
    invalidation.everything()
