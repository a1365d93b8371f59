"""Sign every bulk import of articles, and a demo loaded before signing existed.

Publications and withdrawals are signed by the publish pipeline (step 6 of
byline/publishing/pipeline.py), inside the publishing transaction: if signing
fails, nothing is published unsigned.
"""

from django.dispatch import receiver

from byline.news.signals import articles_imported, demo_loaded
from byline.provenance import records


@receiver(articles_imported)
def sign_imports(sender, articles, signer=None, bylines=None, **kwargs):
    """Sign the import's records. Given the import's `signer`, start signing
    them and return the Signing, which the import finishes once it has written
    its other rows (`records.start_imports`); else sign and store them now.
    Connected last, so the log's lock is taken after the rows the other
    receivers lock, in the order a publication takes them. `bylines`: the
    authors the import has just written ({page id: [Author]})."""
    if signer is not None:
        return records.start_imports(articles, signer, bylines)
    records.record_imports(articles, bylines)
    return None


@receiver(demo_loaded)
def sign_demo(sender, **kwargs):
    """A demo loaded before signing existed gets its records on the next run."""
    records.sign_missing()
