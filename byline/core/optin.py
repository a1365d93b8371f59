"""What every double opt-in list shares: signed links and paired mail.

Used by the newsletter, correction alerts and comment subscriptions, each under
its own namespace (`newsletter.signup`, `provenance.alerts`, `comments.tokens`).
Their rate limits, per address and per recipient, are `byline.core.ratelimit`'s.
"""

from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from byline.core import addresses

DAY = 24 * 60 * 60


def make_token(namespace, purpose, value):
    # Compressed when that is shorter: links that carry an address stay short.
    return signing.dumps(value, salt=f"{namespace}.{purpose}", compress=True)


def read_token(namespace, purpose, token, max_days=None):
    """The signed value, or None when the link is forged or expired."""
    try:
        return signing.loads(
            token,
            salt=f"{namespace}.{purpose}",
            max_age=max_days * DAY if max_days else None,
        )
    except signing.BadSignature:
        return None


def absolute(path):
    # The configured site's address, never a request's (core/addresses.py).
    return addresses.absolute(path)


def one_click_headers(unsubscribe_url):
    # RFC 8058: mail clients offer one-click unsubscribe with a POST here.
    return {
        "List-Unsubscribe": f"<{unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def send_pair(to, subject, template, context, headers=None):
    """Send `template`.txt and `template`.html as one message."""
    context = {**context, "site_url": addresses.root_url()}
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"{template}.txt", context),
        to=[to],
        headers=headers or {},
    )
    message.attach_alternative(
        render_to_string(f"{template}.html", context), "text/html"
    )
    message.send()
