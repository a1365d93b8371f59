"""The comments' signed, expiring links (confirm, unsubscribe, manage, own
comments, address check), made and read by `core.optin`, the one helper every
double opt-in list shares, under the comments' own namespace."""

from byline.core import optin

NAMESPACE = "byline.comments"
CONFIRM_DAYS = 3
LINK_DAYS = 2


def make(purpose, value):
    return optin.make_token(NAMESPACE, purpose, value)


def read(purpose, token, max_days=None):
    """Return the signed value, or None if the token is forged or expired."""
    return optin.read_token(NAMESPACE, purpose, token, max_days)
