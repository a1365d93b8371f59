"""Keep related lists true as articles are published, edited, withdrawn or imported.

Connected by importing this module in `RelatedConfig.ready()`. Each receiver
enqueues a task after the commit (`tasks.py`): the lists are computed by the
task worker, which alone loads the text model's libraries.
"""

from django.conf import settings
from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver
from wagtail.models import PageViewRestriction

from byline.core.queueing import enqueue_on_commit
from byline.news.models import ArticlePage
from byline.news.signals import import_finished
from byline.related.models import ArticleVector, RelatedLink
from byline.related.tasks import rebuild_related, refresh_related

# Imports of more articles than this relearn everything in one go.
REBUILD_AFTER_IMPORT_OF = 50


def _after_commit(task, *args):
    enqueue_on_commit(task, *args)


# Publishing and unpublishing: byline/publishing/pipeline.py, step 4.


@receiver(pre_delete, sender=ArticlePage)
def article_deleted(sender, instance, **kwargs):
    # Its links and its vector vanish with it (cascade): remember whose lists
    # showed it, and the terms whose stored postings hold it.
    containing = list(
        RelatedLink.objects.filter(related_id=instance.pk).values_list(
            "article_id", flat=True
        )
    )
    vector = (
        ArticleVector.objects.filter(article_id=instance.pk)
        .values_list("data", flat=True)
        .first()
    )
    terms = ArticleVector.term_ids(vector) if vector is not None else []
    _after_commit(refresh_related, instance.pk, containing, terms)


@receiver(import_finished)
def articles_bulk_imported(sender, article_ids, **kwargs):
    if not settings.RELATED_AFTER_IMPORT:
        return
    # Imported here, not at the top: `corpus` loads numpy, scipy and
    # scikit-learn, which a web worker connecting these receivers must not.
    from byline.related.corpus import relearns_in_full  # noqa: PLC0415

    if len(article_ids) > REBUILD_AFTER_IMPORT_OF or relearns_in_full():
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
