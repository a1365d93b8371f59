"""What a browser holds: an anonymous reader id (for votes) and, for ten minutes
after posting, the right to edit or delete its own comments."""

import secrets
import time

from django.core import signing

READER_COOKIE = "byline_reader"
EDIT_COOKIE = "byline_edit"
EDIT_SECONDS = 10 * 60
YEAR = 365 * 24 * 60 * 60


def reader_id(request):
    """Return this browser's signed reader id, or None if it has none yet."""
    value = request.get_signed_cookie(READER_COOKIE, default=None, salt=READER_COOKIE)
    return value or None


def new_or_existing_reader_id(request):
    """This browser's reader id, or a fresh one to be set with ensure_reader_id."""
    return reader_id(request) or secrets.token_urlsafe(16)


def ensure_reader_id(request, response, value=None):
    value = value or new_or_existing_reader_id(request)
    response.set_signed_cookie(
        READER_COOKIE,
        value,
        salt=READER_COOKIE,
        max_age=YEAR,
        httponly=True,
        samesite="Lax",
    )
    return value


def voter_key(request):
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    reader = reader_id(request)
    return f"browser:{reader}" if reader else None


def edit_grants(request):
    """Return {comment id: time granted} still within the edit window."""
    raw = request.COOKIES.get(EDIT_COOKIE)
    if not raw:
        return {}
    try:
        grants = signing.loads(raw, salt=EDIT_COOKIE, max_age=EDIT_SECONDS)
    except signing.BadSignature:
        return {}
    now = time.time()
    return {
        int(pk): granted
        for pk, granted in grants.items()
        if now - granted <= EDIT_SECONDS
    }


def can_edit(request, comment):
    if comment.status == comment.Status.DELETED:
        return False
    if request.user.is_authenticated and comment.user_id == request.user.pk:
        return time.time() - comment.created.timestamp() <= EDIT_SECONDS
    return comment.pk in edit_grants(request)


def grant_edit(request, response, comment):
    grants = edit_grants(request)
    grants[comment.pk] = time.time()
    response.set_cookie(
        EDIT_COOKIE,
        signing.dumps({str(k): v for k, v in grants.items()}, salt=EDIT_COOKIE),
        max_age=EDIT_SECONDS,
        httponly=True,
        samesite="Lax",
    )
