"""Spam defences that need no outside service: a honeypot, a minimum time to
write, rate limits per address and per email."""

import time

from django.conf import settings
from django.core import signing
from django.core.cache import cache

MIN_SECONDS = 3
FORM_MAX_AGE = 24 * 60 * 60
SALT = "byline.comments.form"


def ip_limit():
    """(posts, seconds) allowed per client address (COMMENTS_IP_LIMIT, _WINDOW)."""
    return getattr(settings, "COMMENTS_IP_LIMIT", (5, 5 * 60))


def email_limit():
    return getattr(settings, "COMMENTS_EMAIL_LIMIT", (10, 60 * 60))


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


def over_limit(kind, key, limit):
    """Count one attempt for key; return True if it goes over `limit`."""
    allowed, window = limit
    bucket = int(time.time() // window)
    cache_key = f"byline:comments:rate:{kind}:{key}:{bucket}"
    cache.add(cache_key, 0, window + 5)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # evicted between add and incr
        cache.set(cache_key, 1, window + 5)
        count = 1
    return count > allowed
