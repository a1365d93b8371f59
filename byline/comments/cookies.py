"""What a browser holds: an anonymous reader id (for votes, and to know the
browser that wrote a comment), the addresses it proved by mail, and, for ten
minutes after posting, the right to edit or delete its own comments.

Every cookie here has a bounded size, whatever a reader does: a browser sends
all of them with every request, and a Cookie header past the server's limit
(gunicorn's and nginx's are 8 KB) is refused before the site sees it, locking
the reader out of every page. The edit grants once grew by one entry per
comment until a prolific commenter got 431 for everything (bench/spike.py,
2026-12-05); they now keep the newest EDIT_KEPT unexpired ones. MAX_COOKIE_BYTES
is the bound each cookie is tested against (test_cookies.py).
"""

import secrets
import time

from django.core import signing
from django.utils.crypto import salted_hmac

READER_COOKIE = "byline_reader"
EDIT_COOKIE = "byline_edit"
# A guest's name and address, kept only when they tick "Save my name and email
# in this browser" (WordPress's opt-in). Not personal for the page cache: the
# page's script fills the form in from /comments/me/.
COMMENTER_COOKIE = "byline_commenter"
# Not a personal cookie for the page cache: no page shows anything from it.
CONFIRMED_COOKIE = "byline_confirmed"
CONFIRMED_KEPT = 5
EDIT_SECONDS = 10 * 60
# Grants kept at most: the newest comments a browser may still change. Ten
# minutes of a reader posting faster than this is a flood, not a conversation.
EDIT_KEPT = 20
# Each cookie we set stays under this many bytes (name and value), the cap
# Django's messages cookie has too; the largest is a remembered guest's name and
# address at the form's longest (test_cookies.py). A prolific commenter's whole
# Cookie header stays under 4 KB.
MAX_COOKIE_BYTES = 2048
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


def edit_grants(request):
    """Return {comment id: time granted} still within the edit window."""
    raw = request.COOKIES.get(EDIT_COOKIE)
    if not raw or len(raw) > MAX_COOKIE_BYTES:
        return {}  # none, or too big to be one we set
    try:
        grants = signing.loads(raw, salt=EDIT_COOKIE, max_age=EDIT_SECONDS)
    except signing.BadSignature:
        return {}
    if not isinstance(grants, dict):
        return {}
    now = time.time()
    kept = {}
    for pk, granted in grants.items():
        try:
            pk, granted = int(pk), float(granted)
        except (TypeError, ValueError):
            continue
        if now - granted <= EDIT_SECONDS:
            kept[pk] = granted
    return kept


def can_edit(request, comment):
    if comment.status == comment.Status.DELETED:
        return False
    if request.user.is_authenticated and comment.user_id == request.user.pk:
        return time.time() - comment.created.timestamp() <= EDIT_SECONDS
    return comment.pk in edit_grants(request)


def grant_edit(request, response, comment):
    """Let this browser change `comment` for EDIT_SECONDS: the newest EDIT_KEPT
    unexpired grants are kept (expired ones dropped), so the cookie's size is
    bounded however many comments the reader posts."""
    grants = edit_grants(request)
    grants[comment.pk] = time.time()
    newest = sorted(grants.items(), key=lambda item: item[1], reverse=True)
    # Whole seconds: the window is minutes long, and digits are bytes.
    kept = {str(pk): int(granted) for pk, granted in newest[:EDIT_KEPT]}
    response.set_cookie(
        EDIT_COOKIE,
        signing.dumps(kept, salt=EDIT_COOKIE, compress=True),
        max_age=EDIT_SECONDS,
        httponly=True,
        samesite="Lax",
    )


def _address_key(email):
    # The cookie names no address: a keyed hash of it is enough to compare.
    digest = salted_hmac(CONFIRMED_COOKIE, email.strip().lower(), algorithm="sha256")
    return digest.hexdigest()[:32]


def _confirmed_keys(request):
    value = request.get_signed_cookie(
        CONFIRMED_COOKIE, default="", salt=CONFIRMED_COOKIE
    )
    return [key for key in value.split(",") if key]


def address_confirmed(request, email):
    """Whether this browser proved by mail that it belongs to `email`'s owner."""
    return bool(email) and _address_key(email) in _confirmed_keys(request)


def remember_confirmed(request, response, email):
    """Remember in this browser that it confirmed `email` (a mailed link pressed)."""
    key = _address_key(email)
    keys = [key] + [k for k in _confirmed_keys(request) if k != key]
    response.set_signed_cookie(
        CONFIRMED_COOKIE,
        ",".join(keys[:CONFIRMED_KEPT]),
        salt=CONFIRMED_COOKIE,
        max_age=YEAR,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )


def commenter(request):
    """The name and address this browser asked to be remembered, or None."""
    value = request.COOKIES.get(COMMENTER_COOKIE)
    if not value:
        return None
    try:
        saved = signing.loads(value, salt=COMMENTER_COOKIE)
    except signing.BadSignature:
        return None
    if not isinstance(saved, dict):
        return None
    return {"name": str(saved.get("name", "")), "email": str(saved.get("email", ""))}


def remember_commenter(request, response, name, email, remember):
    """Keep the guest's name and address for a year if they asked; forget them
    if they posted with the box unticked (as WordPress does)."""
    if not remember:
        if COMMENTER_COOKIE in request.COOKIES:
            response.delete_cookie(COMMENTER_COOKIE, samesite="Lax")
        return
    response.set_cookie(
        COMMENTER_COOKIE,
        signing.dumps({"name": name, "email": email}, salt=COMMENTER_COOKIE),
        max_age=YEAR,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )
