"""Spam defences that need no outside service: a honeypot, a minimum time to
write, and the limits per address and per email (counted by
`byline.core.ratelimit`)."""

import time

from django.conf import settings
from django.core import signing

MIN_SECONDS = 3
FORM_MAX_AGE = 24 * 60 * 60
SALT = "byline.comments.form"


def ip_limit():
    """(posts, seconds) allowed per client address (COMMENTS_IP_LIMIT, _WINDOW)."""
    return settings.COMMENTS_IP_LIMIT


def email_limit():
    return settings.COMMENTS_EMAIL_LIMIT


def form_token():
    """A signed stamp of when the form was served."""
    return signing.dumps(time.time(), salt=SALT)


def seconds_since_served(token):
    """Return how long ago the form was served, or None if the stamp is bad."""
    try:
        served = signing.loads(token or "", salt=SALT, max_age=FORM_MAX_AGE)
    except signing.BadSignature:
        return None
    return time.time() - float(served)
