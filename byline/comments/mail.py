"""Mail the comments app sends: confirmations, notifications, moderator alerts,
and a commenter's link to their own comments. Text and HTML, always paired."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from byline.comments import tokens


def absolute(path):
    return settings.SITE_URL + path


def _send(to, subject, template, context, headers=None):
    context = {**context, "site_url": settings.SITE_URL}
    text = render_to_string(f"comments/mail/{template}.txt", context)
    html = render_to_string(f"comments/mail/{template}.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=[to] if isinstance(to, str) else list(to),
        headers=headers or {},
    )
    message.attach_alternative(html, "text/html")
    message.send()


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
        headers={
            # RFC 8058: mail clients offer one-click unsubscribe with a POST here.
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def send_moderation_alert(emails, comments):
    _send(
        emails,
        f"{len(comments)} comment{'s' if len(comments) != 1 else ''} awaiting review",
        "moderation",
        {
            "comments": comments,
            "queue_url": absolute("/admin/snippets/comments/comment/?status=pending"),
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
