"""Sign every publication, withdrawal and bulk import of an article.

Signing runs inside the publishing transaction: if it fails, nothing is
published unsigned.
"""

from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from byline.news.models import ArticlePage
from byline.news.signals import articles_imported
from byline.provenance import records


@receiver(page_published, sender=ArticlePage)
def sign_publication(sender, instance, revision=None, **kwargs):
    records.record_publication(instance, revision.pk if revision else None)


@receiver(page_unpublished, sender=ArticlePage)
def sign_withdrawal(sender, instance, **kwargs):
    records.record_withdrawal(instance)


@receiver(articles_imported)
def sign_imports(sender, articles, **kwargs):
    records.record_imports(articles)
