"""Subscriptions and notifications: who is told what, once, and only when confirmed."""

import logging
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from byline.comments import mail
from byline.comments.models import Comment, CommentSettings, Delivery, Subscription

logger = logging.getLogger(__name__)
# A stranger can type anyone's address: confirmations to one address for one
# target are not resent more often than this.
RESEND_AFTER = timedelta(hours=1)


def subscribe(email, article, kind, comment=None):
    """Start (or continue) a subscription; return (subscription, mail_needed)."""
    email = email.strip().lower()
    target = {"email": email, "article": article, "kind": kind, "comment": comment}
    current = (
        Subscription.objects.filter(**target, ended=None).order_by("-created").first()
    )
    now = timezone.now()
    if current and current.confirmed:
        return current, False
    if current:
        if current.confirmation_sent and now - current.confirmation_sent < RESEND_AFTER:
            return current, False
        return current, True
    return Subscription.objects.create(**target), True


def confirm(subscription):
    if subscription.confirmed is None and subscription.ended is None:
        subscription.confirmed = timezone.now()
        subscription.save(update_fields=["confirmed"])


def end(subscription):
    if subscription.ended is None:
        subscription.ended = timezone.now()
        subscription.save(update_fields=["ended"])


def send_confirmation(subscription_id):
    subscription = (
        Subscription.objects.select_related("article")
        .filter(pk=subscription_id, confirmed=None, ended=None)
        .first()
    )
    if subscription is None:
        return
    mail.send_confirmation(subscription)
    Subscription.objects.filter(pk=subscription.pk).update(
        confirmation_sent=timezone.now()
    )


def recipients(comment):
    """Active subscriptions to tell about an approved comment, one per address."""
    targets = Q(kind=Subscription.Kind.ARTICLE, article_id=comment.article_id)
    if comment.parent_id:
        targets |= Q(kind=Subscription.Kind.REPLIES, comment_id=comment.parent_id)
    subscriptions = (
        Subscription.objects.filter(targets, ended=None)
        .exclude(confirmed=None)
        .exclude(email__iexact=comment.email)
        # A reply to someone's own comment reads better as a reply notice.
        .order_by("-kind", "pk")
    )
    chosen = {}
    for subscription in subscriptions:
        chosen.setdefault(subscription.email, subscription)
    return list(chosen.values())


def notify_subscribers(comment_id):
    """Mail each subscriber about an approved comment, once each.

    The delivery is recorded before the mail goes out, in its own transaction,
    and marked sent as soon as the server accepts it: a run after a crash sends
    what was recorded but never marked, and nothing that was.
    """
    comment = (
        Comment.objects.select_related("article")
        .filter(pk=comment_id, status=Comment.Status.APPROVED)
        .first()
    )
    if comment is None:
        return 0
    sent = 0
    for subscription in recipients(comment):
        earlier = Delivery.objects.filter(
            comment=comment, subscription__email=subscription.email
        ).first()
        if earlier is not None and (earlier.sent or earlier.error):
            continue
        if earlier is not None:
            delivery = earlier  # recorded by a run that stopped before sending
        else:
            try:
                with transaction.atomic():
                    delivery = Delivery.objects.create(
                        subscription=subscription, comment=comment
                    )
            except IntegrityError:
                continue
        try:
            mail.send_notification(subscription, comment)
        except Exception as exc:  # one bad address must not stop the others
            logger.warning("comments: notification %s failed: %s", delivery.pk, exc)
            Delivery.objects.filter(pk=delivery.pk).update(error=str(exc)[:200])
            continue
        Delivery.objects.filter(pk=delivery.pk).update(sent=timezone.now())
        sent += 1
    return sent


def moderator_addresses(site_settings):
    from django.contrib.auth import get_user_model

    from byline.news.newsroom import EDITORS

    listed = site_settings.word_list(site_settings.moderator_emails)
    if listed:
        return listed
    editors = get_user_model().objects.filter(groups__name=EDITORS, is_active=True)
    return sorted({e for e in editors.values_list("email", flat=True) if e})


def alert_moderators(comment_id):
    comment = (
        Comment.objects.select_related("article")
        .filter(pk=comment_id, status=Comment.Status.PENDING)
        .first()
    )
    if comment is None:
        return
    site_settings = CommentSettings.objects.first() or CommentSettings()
    addresses = moderator_addresses(site_settings)
    if addresses:
        mail.send_moderation_alert(addresses, [comment])
