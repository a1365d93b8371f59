"""Sign every bulk import of articles, and a demo loaded before signing existed.

Publications and withdrawals are signed by the publish pipeline (step 6 of
byline/publishing/pipeline.py), inside the publishing transaction: if signing
fails, nothing is published unsigned.
"""

from django.dispatch import receiver

from byline.news.signals import articles_imported, demo_loaded
from byline.provenance import records


@receiver(articles_imported)
def sign_imports(sender, articles, signing=None, **kwargs):
    """Store the import's records: signed while it wrote its other rows, if it
    began signing them (`records.start_imports`), or signed now."""
    if signing is not None:
        signing.finish()
    else:
        records.record_imports(articles)


@receiver(demo_loaded)
def sign_demo(sender, **kwargs):
    """A demo loaded before signing existed gets its records on the next run."""
    records.sign_missing()
