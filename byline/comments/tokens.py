"""Signed, expiring links sent by mail: confirm, unsubscribe, manage, own comments."""

from django.core import signing

CONFIRM_DAYS = 3
LINK_DAYS = 2
DAY = 24 * 60 * 60


def make(purpose, value):
    return signing.dumps(value, salt=f"byline.comments.{purpose}", compress=True)


def read(purpose, token, max_days=None):
    """Return the signed value, or None if the token is forged or expired."""
    try:
        return signing.loads(
            token,
            salt=f"byline.comments.{purpose}",
            max_age=max_days * DAY if max_days else None,
        )
    except signing.BadSignature:
        return None
