"""The publish pipeline: everything a publish or an unpublish does, in order.

Wagtail sends `page_published` and `page_unpublished` inside the transaction
that changes the page. This module holds Byline's only receivers of them, and
each calls the apps' steps in the order listed here (a test pins both the
receivers and this order):

Before a live article is saved (`pre_save`)
  0. pagecache: the listings it appears in now (section, tags, authors, other
     articles' related lists) are marked for invalidation, since the publish
     may take it out of them.

Publish
  1. core: a page other than an article may be in the header or footer:
     forget the cached site chrome and sites.
  2. news: store the renditions an article's cards show.
  3. search: index the article and the topics it names.
  4. related: refresh its "You may also like" list after commit (an import
     does it once at its end instead).
  5. comments: take its comment count again (a revision carries an old one),
     and find each commented passage again in the new text.
  6. provenance: sign the publication, inside the transaction (no article is
     published unsigned); a correction's subscribers are mailed after commit.
  7. pagecache: invalidate the page and everything that lists it (skipped in
     an import, which invalidates everything at its end).

Unpublish
  1. core, as for a publish.
  3. search: remove the article from the index.
  4. related, as for a publish.
  6. provenance: sign the withdrawal.
  7. pagecache, as for a publish.

Page-cache invalidation is gathered per transaction and applied once it
commits (pagecache/invalidation.py): however many steps add to it, each cached
address is purged once per publish.
"""

from django.db.models.signals import pre_save
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from byline.comments import moderation
from byline.core.chrome import invalidate_chrome
from byline.core.queueing import enqueue_on_commit
from byline.core.sites import forget_sites
from byline.news.cards import store_renditions
from byline.news.models import ArticlePage
from byline.news.signals import importing
from byline.pagecache import invalidation
from byline.provenance import records
from byline.provenance import tasks as provenance_tasks
from byline.related import tasks as related_tasks
from byline.search import topics
from byline.search.indexing import index_articles, remove_articles


def _after_commit(task, *args):
    enqueue_on_commit(task, *args)


def forget_site_chrome(page, revision=None):
    if not isinstance(page, ArticlePage):
        invalidate_chrome()
        forget_sites()


def store_card_renditions(page, revision=None):
    if isinstance(page, ArticlePage):
        store_renditions(page)


def index_for_search(page, revision=None):
    if isinstance(page, ArticlePage):
        index_articles([page])
        topics.index_of_articles([page.pk])


def remove_from_search(page, revision=None):
    if isinstance(page, ArticlePage):
        remove_articles([page.pk])


def refresh_related_list(page, revision=None):
    if isinstance(page, ArticlePage) and not importing():
        _after_commit(related_tasks.refresh_related, page.pk)


def update_comments(page, revision=None):
    if isinstance(page, ArticlePage):
        moderation.article_published(page)


def sign_publication(page, revision=None):
    if not isinstance(page, ArticlePage):
        return
    record = records.record_publication(page, revision.pk if revision else None)
    if record is not None and record.seq and record.payload.get("page_prev"):
        # A republication: readers who asked are told, once it is committed.
        _after_commit(provenance_tasks.notify_correction, record.seq)


def sign_withdrawal(page, revision=None):
    if isinstance(page, ArticlePage):
        records.record_withdrawal(page)


def invalidate_page_cache(page, revision=None):
    if not isinstance(page, ArticlePage):
        invalidation.page(page)
    elif not importing():
        invalidation.articles([page.pk])


PUBLISH = (
    forget_site_chrome,
    store_card_renditions,
    index_for_search,
    refresh_related_list,
    update_comments,
    sign_publication,
    invalidate_page_cache,
)
UNPUBLISH = (
    forget_site_chrome,
    remove_from_search,
    refresh_related_list,
    sign_withdrawal,
    invalidate_page_cache,
)


@receiver(pre_save, sender=ArticlePage)
def invalidate_listings_before(sender, instance, raw=False, update_fields=None, **kw):
    """Step 0: a publish replaces a live article's tags, authors and section;
    the listings that showed the old ones hear of it in the same invalidation."""
    if raw or instance.pk is None or update_fields is not None or importing():
        return
    if ArticlePage.objects.filter(pk=instance.pk, live=True).exists():
        invalidation.listings([instance.pk])


@receiver(page_published)
def published(sender, instance, revision=None, **kwargs):
    for step in PUBLISH:
        step(instance, revision)


@receiver(page_unpublished)
def unpublished(sender, instance, **kwargs):
    for step in UNPUBLISH:
        step(instance)
