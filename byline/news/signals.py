"""Keep the denormalised section of an article true when editors move it."""

from django.dispatch import receiver
from wagtail.signals import post_page_move


@receiver(post_page_move)
def refresh_article_section(sender, instance, **kwargs):
    from byline.news.models import ArticlePage

    if isinstance(instance.specific, ArticlePage):
        article = instance.specific
        article.section = article._section_from_tree()
        ArticlePage.objects.filter(pk=article.pk).update(section=article.section)
