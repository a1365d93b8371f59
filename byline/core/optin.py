"""What every double opt-in list shares: signed links, paired mail, a rate limit.

Used by the newsletter and by correction alerts. (Comment subscriptions predate
this module and keep their own copy in `byline.comments`; they can move here.)
"""

import time

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from byline.core.clientip import client_ip

DAY = 24 * 60 * 60


def make_token(namespace, purpose, value):
    return signing.dumps(value, salt=f"{namespace}.{purpose}")


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
    return settings.SITE_URL + path


def one_click_headers(unsubscribe_url):
    # RFC 8058: mail clients offer one-click unsubscribe with a POST here.
    return {
        "List-Unsubscribe": f"<{unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def send_pair(to, subject, template, context, headers=None):
    """Send `template`.txt and `template`.html as one message."""
    context = {**context, "site_url": settings.SITE_URL}
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


def over_rate_limit(request, scope, limit, window):
    """Count one request from this client address; True once over `limit` per
    `window` seconds."""
    key = f"byline:optin:{scope}:{client_ip(request)}:{int(time.time() // window)}"
    cache.add(key, 0, window + 5)
    try:
        return cache.incr(key) > limit
    except ValueError:  # the key expired between add and incr
        cache.set(key, 1, window + 5)
        return False
