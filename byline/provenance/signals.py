"""Sign every publication, withdrawal and bulk import of an article.

Signing runs inside the publishing transaction: if it fails, nothing is
published unsigned.
"""

from django.db import transaction
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from byline.news.models import ArticlePage
from byline.news.signals import articles_imported, demo_loaded
from byline.provenance import records, tasks


@receiver(page_published, sender=ArticlePage)
def sign_publication(sender, instance, revision=None, **kwargs):
    record = records.record_publication(instance, revision.pk if revision else None)
    if record is not None and record.seq and record.payload.get("page_prev"):
        # A republication: readers who asked are told, once it is committed.
        seq = record.seq
        transaction.on_commit(lambda: tasks.notify_correction.enqueue(seq), robust=True)


@receiver(page_unpublished, sender=ArticlePage)
def sign_withdrawal(sender, instance, **kwargs):
    records.record_withdrawal(instance)


@receiver(articles_imported)
def sign_imports(sender, articles, **kwargs):
    records.record_imports(articles)


@receiver(demo_loaded)
def sign_demo(sender, **kwargs):
    """A demo loaded before signing existed gets its records on the next run."""
    records.sign_missing()
