"""News signals: keep an article's denormalised section true, announce bulk imports."""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db.models.signals import post_save
from django.dispatch import Signal, receiver
from wagtail.images import get_image_model
from wagtail.signals import post_page_move

from byline.news.cards import forget_renditions
from byline.news.models import ArticlePage

# Sent with `articles=[...]` after a bulk import wrote pages without Page.save(),
# so that indexes (search, later related articles) can catch up in one go.
articles_imported = Signal()
# Sent once when an import has finished, with `article_ids=[...]` of every article it
# created or changed, for work better done once per import than once per batch.
import_finished = Signal()
# Sent with `pks=[...]` and `fields=` (the names written) by `update_pages()`,
# which changes page rows with QuerySet.update(), without Page.save(): whoever
# keeps figures about pages (the sitemap index's part rows) marks them stale.
pages_updated = Signal()
# Sent by `load_demo` after the demo newsroom exists (`home=`), so other apps can
# add their own demo content (comments, for one) without news knowing them.
demo_loaded = Signal()

# Whether the code running now is inside `bulk_import()`. Wagtail's
# `page_published` carries nothing of ours, so the importer cannot hand the
# publish pipeline a flag; a context variable is the explicit channel: it is set
# and reset by the `with` block alone, and, unlike a thread-local, it is not
# seen by other asyncio tasks that share the thread (each task, and each
# thread, starts from its own copy of the context).
_importing = ContextVar("byline_news_importing", default=False)


@contextmanager
def bulk_import():
    """Mark publications inside this block as part of an import.

    Apps with work that is cheaper done once for the whole import (related
    articles relearn their model) skip it per article while `importing()` is
    true and catch up on `import_finished`, which the importer sends after.
    Blocks nest; leaving one (by an error too) restores what was before.
    """
    token = _importing.set(True)
    try:
        yield
    finally:
        _importing.reset(token)


def importing():
    """Whether the caller runs inside `bulk_import()`."""
    return _importing.get()


@receiver(post_page_move)
def refresh_article_section(sender, instance, **kwargs):
    if isinstance(instance.specific, ArticlePage):
        article = instance.specific
        article.section = article._section_from_tree()
        ArticlePage.objects.filter(pk=article.pk).update(section=article.section)


@receiver(post_save, sender=get_image_model())
def image_changed(sender, instance, raw=False, created=False, **kwargs):
    """A new focal point or file asks for new renditions (as Wagtail would)."""
    if raw or created:
        return
    forget_renditions(instance.pk)
