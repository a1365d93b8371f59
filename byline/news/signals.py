"""News signals: keep an article's denormalised section true, announce bulk imports."""

import threading
from contextlib import contextmanager

from django.dispatch import Signal, receiver
from wagtail.signals import post_page_move

# Sent with `articles=[...]` after a bulk import wrote pages without Page.save(),
# so that indexes (search, later related articles) can catch up in one go.
articles_imported = Signal()
# Sent once when an import has finished, with `article_ids=[...]` of every article it
# created or changed, for work better done once per import than once per batch.
import_finished = Signal()
# Sent by `load_demo` after the demo newsroom exists (`home=`), so other apps can
# add their own demo content (comments, for one) without news knowing them.
demo_loaded = Signal()

_state = threading.local()


@contextmanager
def bulk_import():
    """Mark publications inside this block as part of an import.

    Apps with work that is cheaper done once for the whole import (related
    articles relearn their model) skip it per article while `importing()` is
    true and catch up on `import_finished`, which the importer sends after.
    """
    previous = getattr(_state, "importing", False)
    _state.importing = True
    try:
        yield
    finally:
        _state.importing = previous


def importing():
    return getattr(_state, "importing", False)


@receiver(post_page_move)
def refresh_article_section(sender, instance, **kwargs):
    from byline.news.models import ArticlePage

    if isinstance(instance.specific, ArticlePage):
        article = instance.specific
        article.section = article._section_from_tree()
        ArticlePage.objects.filter(pk=article.pk).update(section=article.section)
