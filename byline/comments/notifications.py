"""Who is mailed about comments, which mail, and when: the one place.

- **"Confirm your comment notifications"** (`send_confirmation`): to an
  address given to "Notify me" or to the comment form's notify choice; at
  once, and again for the same article or comment only after `RESEND_AFTER`.
  Nothing else is mailed to a subscription until it is confirmed.
- **"New comment" / "New reply"** (`notify_subscribers`): to every confirmed
  subscriber of the article, and of the parent comment for a reply, one mail
  per address and never to the comment's own; when a comment becomes
  visible: posted approved, approved by a moderator, its address confirmed,
  or a moderator's reply.
- **"N comments awaiting review"** (`alert_moderators`): to the moderator
  addresses in the comment settings, else every active editor; when a
  comment is held (posted, or sent back by an edit), at most one mail per
  moderator per `COMMENTS_ALERT_MINUTES`, listing every held comment.
- **"Did you write this comment?"** (`send_address_check`): to the address a
  comment was held under because this browser is not known as its owner's
  (`moderation.UNCONFIRMED`); at once, once per comment, and to no address
  asked within `RESEND_AFTER`.
- **"Your comments"** (`send_own_comments_link`): to an address that has
  commented, when someone asks for it on "Your comments".

What schedules them: `posting.py` and `moderation.py`, after commit, through
the tasks in `tasks.py` (the names django-tasks keeps in its queue). Mail that
strangers can trigger goes through `ratelimit.allow_mail_to`. Each mail is a
`.txt` and `.html` pair under `comments/templates/comments/mail/`, sent by
`core.optin.send_pair`; its links are signed by `tokens.py`. A notification or
an alert is recorded (`Delivery`, `ModeratorAlert`) before it is sent and
marked after, so a retried task sends nothing twice. The newsletter and
correction alerts mail from their own apps (`newsletter/`,
`provenance/alerts.py`).
"""

import logging
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from byline.comments import moderation, public, tokens
from byline.comments.alert_windows import (
    claim,
    told,
    window_length,
    window_start,
)
from byline.comments.models import (
    Comment,
    CommentSettings,
    Delivery,
    ModeratorAlert,
    Subscription,
)
from byline.core import optin, ratelimit
from byline.news.newsroom import EDITORS

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
    if not ratelimit.allow_mail_to(subscription.email):
        logger.info(
            "comments: confirmation %s held back: recipient limit", subscription.pk
        )
        return
    _mail_confirmation(subscription)
    Subscription.objects.filter(pk=subscription.pk).update(
        confirmation_sent=timezone.now()
    )


def send_address_check(comment_id):
    """Ask the owner of a trusted address whether they wrote a comment held
    under it (moderation.UNCONFIRMED): their yes publishes it.

    One mail per comment, recorded before it is sent, and none to an address
    asked within the hour: a stranger typing someone's address cannot flood it.
    """
    comment = (
        public.comments(Comment.Status.PENDING)
        .filter(pk=comment_id, moderation_note=moderation.UNCONFIRMED)
        .first()
    )
    if comment is None or comment.address_check_sent is not None:
        return
    now = timezone.now()
    asked = Comment.objects.filter(
        email__iexact=comment.email, address_check_sent__gt=now - RESEND_AFTER
    )
    if asked.exists() or not ratelimit.allow_mail_to(comment.email):
        return
    claimed = Comment.objects.filter(pk=comment.pk, address_check_sent=None)
    if claimed.update(address_check_sent=now):
        _mail_address_check(comment)


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
    # An article made private or unpublished since: its comments reach no one.
    comment = public.comments().filter(pk=comment_id).first()
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
            _mail_notification(subscription, comment)
        except Exception as exc:  # one bad address must not stop the others
            logger.warning("comments: notification %s failed: %s", delivery.pk, exc)
            Delivery.objects.filter(pk=delivery.pk).update(error=str(exc)[:200])
            continue
        Delivery.objects.filter(pk=delivery.pk).update(sent=timezone.now())
        sent += 1
    return sent


def moderator_addresses(site_settings):
    listed = site_settings.word_list(site_settings.moderator_emails)
    if listed:
        return listed
    editors = get_user_model().objects.filter(groups__name=EDITORS, is_active=True)
    return sorted({e for e in editors.values_list("email", flat=True) if e})


def alert_moderators(now=None):
    """Tell each moderator of held comments they have not been told of yet.

    At most one mail per moderator in each window of COMMENTS_ALERT_MINUTES,
    listing every comment waiting: a burst of held comments (a spam run) is one
    mail, not one each. The first held comment after a quiet spell is told at
    once. The alert row, unique per address and window, is written before the
    send and marked after it (as `Delivery` is), so two runs at once send one
    mail and a run after a crash sends what was recorded but never sent.

    Return the start of the next window when some moderator still has comments
    to be told of there (their window's mail has gone), else None: the task
    schedules itself then, and `manage.py alert_moderators` (every minute in
    `run_scheduler`) does the same where tasks cannot wait.
    """
    now = now or timezone.now()
    waiting = Comment.objects.filter(status=Comment.Status.PENDING)
    if not waiting.exists():
        return None
    window = window_start(now)
    site_settings = CommentSettings.objects.first() or CommentSettings()
    later = None
    for address in moderator_addresses(site_settings):
        fresh = list(waiting.exclude(pk__in=told(address)).values_list("pk", flat=True))
        if not fresh:
            continue
        alert = claim(address, window, now)
        if alert is None:
            later = window + window_length()
            continue
        alert.comments.add(*fresh)
        try:
            _mail_moderation_alert(address, waiting)
        except Exception as exc:  # one bad address must not stop the others
            logger.warning("comments: moderator alert %s failed: %s", alert.pk, exc)
            ModeratorAlert.objects.filter(pk=alert.pk).update(error=str(exc)[:200])
            continue
        ModeratorAlert.objects.filter(pk=alert.pk).update(sent=timezone.now())
    return later


def send_own_comments_link(email):
    """Mail the link to everything posted with `email`.

    Only addresses that have commented get it, and only so often (anyone can
    type an address); the page says the same either way.
    """
    if not Comment.objects.filter(email__iexact=email).exists():
        return
    if ratelimit.allow_mail_to(email):
        _mail_own_comments_link(email)


# What each mail says --------------------------------------------------------


def _send(to, subject, template, context, headers=None):
    # The one paired-mail sender (core.optin), with the comments' templates.
    optin.send_pair(to, subject, f"comments/mail/{template}", context, headers)


def manage_url(email):
    return optin.absolute(
        reverse("comments:subscriptions", args=[tokens.make("manage", email)])
    )


def unsubscribe_url(subscription):
    token = tokens.make("unsubscribe", subscription.pk)
    return optin.absolute(reverse("comments:unsubscribe", args=[token]))


def _mail_confirmation(subscription):
    token = tokens.make("confirm", subscription.pk)
    _send(
        subscription.email,
        gettext("Confirm your comment notifications"),
        "confirm",
        {
            "subscription": subscription,
            "article": subscription.article,
            "confirm_url": optin.absolute(reverse("comments:confirm", args=[token])),
            "days": tokens.CONFIRM_DAYS,
        },
    )


def _mail_notification(subscription, comment):
    unsubscribe = unsubscribe_url(subscription)
    _send(
        subscription.email,
        (
            gettext("New reply on “%(title)s”")
            if comment.parent_id
            else gettext("New comment on “%(title)s”")
        )
        % {"title": comment.article.title},
        "notification",
        {
            "subscription": subscription,
            "comment": comment,
            "article": comment.article,
            "comment_url": optin.absolute(
                comment.article.url + f"#comment-{comment.pk}"
            ),
            "unsubscribe_url": unsubscribe,
            "manage_url": manage_url(subscription.email),
        },
        headers=optin.one_click_headers(unsubscribe),
    )


# A moderator's mail lists this many comments; the queue has the rest.
MODERATION_LISTED = 30


def _mail_moderation_alert(email, waiting):
    """One moderator's mail about the comments `waiting` (a queryset)."""
    total = waiting.count()
    listed = list(
        waiting.select_related("article").order_by("created")[:MODERATION_LISTED]
    )
    _send(
        email,
        ngettext(
            "%(count)s comment awaiting review",
            "%(count)s comments awaiting review",
            total,
        )
        % {"count": total},
        "moderation",
        {
            "comments": listed,
            "more": total - len(listed),
            "queue_url": optin.absolute(
                reverse("wagtailsnippets_comments_comment:list") + "?status=pending"
            ),
        },
    )


def _mail_own_comments_link(email):
    token = tokens.make("mine", email)
    _send(
        email,
        gettext("Your comments"),
        "mine",
        {
            "mine_url": optin.absolute(reverse("comments:mine", args=[token])),
            "days": tokens.LINK_DAYS,
        },
    )


def _mail_address_check(comment):
    token = tokens.make("address", [comment.pk, comment.email])
    _send(
        comment.email,
        gettext("Did you write this comment?"),
        "address_check",
        {
            "comment": comment,
            "article": comment.article,
            "check_url": optin.absolute(reverse("comments:address", args=[token])),
            "days": tokens.CONFIRM_DAYS,
        },
    )
