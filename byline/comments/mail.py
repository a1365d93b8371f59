"""Mail the comments app sends: confirmations, notifications, moderator alerts,
and a commenter's link to their own comments. Text and HTML, always paired."""

from django.urls import reverse

from byline.comments import tokens
from byline.core import optin

absolute = optin.absolute


def _send(to, subject, template, context, headers=None):
    # The one paired-mail sender (core.optin), with the comments' templates.
    optin.send_pair(to, subject, f"comments/mail/{template}", context, headers)


def manage_url(email):
    return absolute(
        reverse("comments:subscriptions", args=[tokens.make("manage", email)])
    )


def unsubscribe_url(subscription):
    token = tokens.make("unsubscribe", subscription.pk)
    return absolute(reverse("comments:unsubscribe", args=[token]))


def send_confirmation(subscription):
    token = tokens.make("confirm", subscription.pk)
    _send(
        subscription.email,
        "Confirm your comment notifications",
        "confirm",
        {
            "subscription": subscription,
            "article": subscription.article,
            "confirm_url": absolute(reverse("comments:confirm", args=[token])),
            "days": tokens.CONFIRM_DAYS,
        },
    )


def send_notification(subscription, comment):
    unsubscribe = unsubscribe_url(subscription)
    _send(
        subscription.email,
        f"New {'reply' if comment.parent_id else 'comment'} on "
        f"“{comment.article.title}”",
        "notification",
        {
            "subscription": subscription,
            "comment": comment,
            "article": comment.article,
            "comment_url": absolute(comment.article.url + f"#comment-{comment.pk}"),
            "unsubscribe_url": unsubscribe,
            "manage_url": manage_url(subscription.email),
        },
        headers=optin.one_click_headers(unsubscribe),
    )


# A moderator's mail lists this many comments; the queue has the rest.
MODERATION_LISTED = 30


def send_moderation_alert(email, waiting):
    """One moderator's mail about the comments `waiting` (a queryset)."""
    total = waiting.count()
    listed = list(
        waiting.select_related("article").order_by("created")[:MODERATION_LISTED]
    )
    _send(
        email,
        f"{total} comment{'s' if total != 1 else ''} awaiting review",
        "moderation",
        {
            "comments": listed,
            "more": total - len(listed),
            "queue_url": absolute(
                reverse("wagtailsnippets_comments_comment:list") + "?status=pending"
            ),
        },
    )


def send_own_comments_link(email):
    token = tokens.make("mine", email)
    _send(
        email,
        "Your comments",
        "mine",
        {
            "mine_url": absolute(reverse("comments:mine", args=[token])),
            "days": tokens.LINK_DAYS,
        },
    )


def send_address_check(comment):
    token = tokens.make("address", [comment.pk, comment.email])
    _send(
        comment.email,
        "Did you write this comment?",
        "address_check",
        {
            "comment": comment,
            "article": comment.article,
            "check_url": absolute(reverse("comments:address", args=[token])),
            "days": tokens.CONFIRM_DAYS,
        },
    )
