"""Index articles when they are published or imported; drop them when they go away."""

from django.db.models.signals import post_delete
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from byline.news.models import ArticlePage
from byline.news.signals import articles_imported
from byline.search.indexing import index_articles, remove_articles


@receiver(page_published, sender=ArticlePage)
def article_published(sender, instance, **kwargs):
    index_articles([instance])


@receiver(page_unpublished, sender=ArticlePage)
@receiver(post_delete, sender=ArticlePage)
def article_withdrawn(sender, instance, **kwargs):
    remove_articles([instance.pk])


@receiver(articles_imported)
def articles_bulk_imported(sender, articles, **kwargs):
    index_articles(articles)
