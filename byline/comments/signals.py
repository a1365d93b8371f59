"""Keep each article's comment count true; tell subscribers and moderators."""

from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.db.models.signals import post_delete, post_init, post_save
from django.dispatch import Signal, receiver
from wagtail.rich_text import expand_db_html
from wagtail.signals import page_published

from byline.comments import anchors
from byline.comments.models import Comment, CommentSettings
from byline.news.models import ArticlePage

# Sent with `article_ids` whenever what readers see of their comments changed
# (count, a comment shown or hidden, a score), for caches of those pages.
comments_changed = Signal()


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
    comments_changed.send(sender=Comment, article_ids=list(article_ids))


def approved(comment_ids):
    """Comments just approved (by any path): notify their subscribers after commit."""
    from byline.comments.tasks import notify_subscribers

    for pk in comment_ids:
        transaction.on_commit(lambda pk=pk: notify_subscribers.enqueue(pk), robust=True)


@receiver(post_init, sender=Comment)
def remember_status(sender, instance, **kwargs):
    instance._loaded_status = instance.status if instance.pk else None


@receiver(post_save, sender=Comment)
def comment_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    recount([instance.article_id])
    was = instance._loaded_status
    instance._loaded_status = instance.status
    if instance.status == Comment.Status.APPROVED and was != Comment.Status.APPROVED:
        approved([instance.pk])
    elif created and instance.status == Comment.Status.PENDING:
        from byline.comments.tasks import alert_moderators

        pk = instance.pk
        transaction.on_commit(lambda: alert_moderators.enqueue(pk), robust=True)


@receiver(post_delete, sender=Comment)
def comment_deleted(sender, instance, **kwargs):
    recount([instance.article_id])


@receiver(page_published, sender=ArticlePage)
def count_again_after_publish(sender, instance, **kwargs):
    """A revision carries the comment count of when it was saved; publishing it
    (an old draft, an editor's stale form) would put that count back."""
    recount([instance.pk])


@receiver(page_published, sender=ArticlePage)
def reanchor_feedback(sender, instance, **kwargs):
    """Find every commented passage again in the article as now published."""
    quoted = Comment.objects.filter(article_id=instance.pk).exclude(quote="")
    if not quoted.exists():
        return
    text = anchors.text_of(expand_db_html(instance.body))
    for comment in quoted.only("pk", "quote", "quote_prefix", "quote_suffix"):
        found = anchors.locate(
            text, comment.quote, comment.quote_prefix, comment.quote_suffix
        )
        Comment.objects.filter(pk=comment.pk).update(
            anchor_start=found.start if found.state != anchors.LOST else None,
            anchor_end=found.end if found.state != anchors.LOST else None,
            anchor_state=found.state,
        )


@receiver(post_save, sender=CommentSettings)
def settings_saved(sender, instance, **kwargs):
    from byline.comments import rules

    rules.forget(instance.site_id)
