"""Keep each article's count of approved comments true."""

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from byline.comments.models import Comment
from byline.news.models import ArticlePage


def recount(article_ids):
    approved = (
        Comment.objects.approved()
        .filter(article_id=OuterRef("pk"))
        .values("article_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    ArticlePage.objects.filter(pk__in=article_ids).update(
        comment_count=Coalesce(Subquery(approved), 0)
    )


@receiver(post_save, sender=Comment)
@receiver(post_delete, sender=Comment)
def comment_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        recount([instance.article_id])
