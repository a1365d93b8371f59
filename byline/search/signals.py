"""Keep the search index to what is public: follow publishing, imports, deletes,
view restrictions and moves; keep the names of authors, sections and tags."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from taggit.models import Tag
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import post_page_move

from byline.core.privacy import forget_restrictions, restricted_paths
from byline.news.models import ArticlePage, Author, SectionPage
from byline.news.signals import articles_imported
from byline.search import topics
from byline.search.indexing import index_articles, remove_articles

BATCH = 500


# Publishing and unpublishing: byline/publishing/pipeline.py, step 3.
@receiver(post_delete, sender=ArticlePage)
def article_deleted(sender, instance, **kwargs):
    remove_articles([instance.pk])


@receiver(articles_imported)
def articles_bulk_imported(sender, articles, **kwargs):
    index_articles(articles)
    topics.index_of_articles([a.pk for a in articles])


@receiver(post_save, sender=Author)
def author_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        topics.index_authors([instance])


@receiver(post_save, sender=Tag)
def tag_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        topics.index_tags([instance])


@receiver(post_save, sender=SectionPage)
def section_saved(sender, instance, raw=False, **kwargs):
    # Sections made in code (the demo, imports) are live without a publish.
    if raw:
        return
    if instance.live:
        topics.index_sections([instance])
    else:
        topics.remove("section", [instance.pk])


@receiver(post_delete, sender=Author)
@receiver(post_delete, sender=Tag)
@receiver(post_delete, sender=SectionPage)
def topic_gone(sender, instance, **kwargs):
    kind = {Author: "author", Tag: "tag", SectionPage: "section"}[sender]
    topics.remove(kind, [instance.pk])


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def restriction_changed(sender, instance, raw=False, **kwargs):
    """A restriction added hides its page's articles; one removed may show them."""
    if raw:
        return
    path = Page.objects.filter(pk=instance.page_id).values_list("path", flat=True)
    path = path.first()
    if path is None:  # the page itself is being deleted
        return
    # Whatever order receivers run in, decide with the restrictions as they now are.
    forget_restrictions()
    _reindex_below(path)


@receiver(post_page_move)
def page_moved(sender, instance, **kwargs):
    # A move can carry articles into or out of a restricted part of the tree,
    # and changes the section an article is filtered by.
    path = Page.objects.filter(pk=instance.pk).values_list("path", flat=True).first()
    if path is None:
        return
    forget_restrictions()  # they are matched by path, which the move changed
    if restricted_paths() or issubclass(instance.specific_class or Page, ArticlePage):
        _reindex_below(path)


def _reindex_below(path):
    ids = list(
        ArticlePage.objects.filter(path__startswith=path).values_list("pk", flat=True)
    )
    for start in range(0, len(ids), BATCH):
        index_articles(ArticlePage.objects.filter(pk__in=ids[start : start + BATCH]))
