"""Keep related lists true as articles are published, edited, withdrawn or imported."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver
from wagtail.models import PageViewRestriction
from wagtail.signals import page_published, page_unpublished

from byline.news.models import ArticlePage
from byline.news.signals import import_finished, importing
from byline.related.models import RelatedLink
from byline.related.tasks import rebuild_related, refresh_related

# Imports of more articles than this relearn everything in one go.
REBUILD_AFTER_IMPORT_OF = 50


def _after_commit(task, *args):
    transaction.on_commit(lambda: task.enqueue(*args), robust=True)


@receiver(page_published, sender=ArticlePage)
@receiver(page_unpublished, sender=ArticlePage)
def article_changed(sender, instance, **kwargs):
    if importing():
        return  # the importer sends import_finished once it is done
    _after_commit(refresh_related, instance.pk)


@receiver(pre_delete, sender=ArticlePage)
def article_deleted(sender, instance, **kwargs):
    # Its links vanish with it (cascade); remember whose lists showed it.
    containing = list(
        RelatedLink.objects.filter(related_id=instance.pk).values_list(
            "article_id", flat=True
        )
    )
    _after_commit(refresh_related, instance.pk, containing)


@receiver(import_finished)
def articles_bulk_imported(sender, article_ids, **kwargs):
    from django.conf import settings

    from byline.related.store import full_rebuild_below, live_articles

    if not getattr(settings, "RELATED_AFTER_IMPORT", True):
        return
    if (
        len(article_ids) > REBUILD_AFTER_IMPORT_OF
        or live_articles().count() < full_rebuild_below()
    ):
        _after_commit(rebuild_related)
    else:
        for pk in article_ids:
            _after_commit(refresh_related, pk)


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def restriction_changed(sender, instance, raw=False, **kwargs):
    # A restriction can hide a whole section: private pages must leave every list.
    if not raw:
        _after_commit(rebuild_related)
