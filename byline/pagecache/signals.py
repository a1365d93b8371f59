"""Follow every change a reader can see into the page caches (invalidation.py)."""

import threading

from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver
from wagtail.contrib.settings.models import BaseSiteSetting
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from byline.comments.signals import comments_changed
from byline.news.models import ArticleAuthor, ArticlePage, Author
from byline.news.signals import demo_loaded, import_finished, importing
from byline.pagecache import invalidation
from byline.related.store import lists_changed

# What a live article showed before a publish rewrote it: its tags and authors
# are replaced by the publish, and pages listing the old ones must hear of it.
_before = threading.local()


@receiver(pre_save, sender=ArticlePage)
def remember_what_was_shown(sender, instance, raw=False, update_fields=None, **kw):
    if raw or instance.pk is None or update_fields is not None or importing():
        return
    row = ArticlePage.objects.filter(pk=instance.pk, live=True).values("section_id")
    row = row.first()
    if row is None:
        return
    tags = ArticlePage.tags.through.objects.filter(
        content_object_id=instance.pk
    ).values_list("tag__slug", flat=True)
    authors = ArticleAuthor.objects.filter(page_id=instance.pk).values_list(
        "author_id", flat=True
    )
    shown = getattr(_before, "shown", {})
    shown[instance.pk] = invalidation.Shown(
        row["section_id"], tuple(tags), tuple(authors)
    )
    _before.shown = shown


def _previous(pk):
    shown = getattr(_before, "shown", {}).pop(pk, None)
    return [shown] if shown else []


@receiver(page_published)
@receiver(page_unpublished)
def page_state_changed(sender, instance, **kwargs):
    if isinstance(instance, ArticlePage):
        if not importing():
            invalidation.articles([instance.pk], previous=_previous(instance.pk))
    else:
        invalidation.page(instance)


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
    if isinstance(instance, BaseSiteSetting | Site | Author | PageViewRestriction):
        # Settings and authors show on many pages; a page turned private must
        # leave every cache at once.
        invalidation.everything()
    elif (
        isinstance(instance, Page)
        and not isinstance(instance, ArticlePage)
        and "created" not in kwargs
    ):
        invalidation.everything()  # a page deleted (publishing is handled above)


@receiver(comments_changed)
def comments_on_articles_changed(sender, article_ids, **kwargs):
    invalidation.articles(article_ids)


@receiver(lists_changed)
def related_lists_changed(sender, article_ids, **kwargs):
    invalidation.related_lists(article_ids)


@receiver(import_finished)
@receiver(demo_loaded)
def many_pages_changed(sender, **kwargs):
    invalidation.everything()
