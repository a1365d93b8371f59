"""Keep the sitemap index's part rows exact (`sitemap_parts.py`): every change
to a page, to a view restriction or by an import marks the parts it touches."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import post_page_move

from byline.news.signals import articles_imported, import_finished, pages_updated
from byline.syndication import sitemap_parts


# A publish, an unpublish, a scheduled publish or expiry, a revision (the date
# of a page never published), a new page: each saves the page.
@receiver(post_save)
@receiver(post_delete)
def page_changed(sender, instance, raw=False, **kwargs):
    if isinstance(instance, Page) and not raw:
        sitemap_parts.mark_pages([instance.pk])


@receiver(post_page_move)
def page_moved(sender, instance, **kwargs):
    # Its subtree may have left one site for another, or entered a restriction.
    # Read again: the tree fields of the instance sent may predate the move.
    page = Page.objects.filter(pk=instance.pk).first()
    if page is not None:
        sitemap_parts.mark_subtree(page)


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def restriction_changed(sender, instance, raw=False, **kwargs):
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None and not raw:  # a deleted page marked its own parts
        sitemap_parts.mark_subtree(page)


@receiver(articles_imported)
def articles_written(sender, articles, **kwargs):
    """An import wrote these with SQL, without a page's signals."""
    sitemap_parts.mark_pages([article.pk for article in articles])


@receiver(pages_updated)
def pages_written(sender, pks, **kwargs):
    """Pages changed by `update_pages()`, without a page's signals."""
    sitemap_parts.mark_pages(pks)


@receiver(import_finished)
def import_done(sender, **kwargs):
    """Compute the parts an import touched now, not at the index's next read."""
    sitemap_parts.refresh()
