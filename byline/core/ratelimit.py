"""Rate limits: how often one reader, address or recipient may do something.

Every limit in Byline counts through this module:

    verdict = ratelimit.hit("comment-email", email, settings.COMMENTS_EMAIL_LIMIT)
    if not verdict.allowed:
        ...  # refuse; verdict.retry_after says for how many seconds

- `hit(scope, key, limit)` counts one attempt of `key` (any string: an address,
  an email address, an account id) under `scope` (a short name saying what is
  limited) and says whether it is within `limit`, a pair (count, seconds): at
  most `count` attempts in each fixed window of `seconds`. The attempt is
  counted whether or not it is allowed, so hammering past the limit does not
  earn new attempts.
- `hit_address(request, scope, limit)` is the same for the reader's address:
  IPv4 addresses whole, IPv6 by /64 (`byline.core.clientip.network_of`).
- `allow_mail_to(email)` counts one mail that a stranger could have asked for
  (a confirmation, a link) to that address: MAIL_RECIPIENT_LIMIT.

Counters live in `byline.core.counters` (the database, or Redis when
RATE_LIMIT_STORE names one): shared by all processes, atomic, never evicted.
Keys are stored only as keyed hashes, so the store holds no addresses.

`RateLimitMiddleware` applies the site-wide limits: every public POST, search
and suggestions, per address. It checks after CSRF (`process_view`, listed
after the CSRF middleware), so a refused post that is offered back was already
vouched for (`byline.core.resend`). The admin has its own defence (login
lockout) and is not limited here.
"""

import logging
import math
import time
from typing import NamedTuple

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.crypto import salted_hmac
from django.utils.deprecation import MiddlewareMixin
from django.utils.translation import ngettext

from byline.core import counters, resend
from byline.core.clientip import client_network

logger = logging.getLogger(__name__)
SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}
EXEMPT_PREFIXES = (*resend.ADMIN_PREFIXES, "/static/", "/media/")


class Verdict(NamedTuple):
    allowed: bool
    count: int  # attempts in this window, this one included
    retry_after: int  # seconds until the window ends


def hit(scope, key, limit):
    """Count one attempt by `key` under `scope`; return a Verdict for `limit`,
    a pair (attempts allowed, window in seconds)."""
    allowed, window = limit
    now = time.time()
    bucket = int(now // window)
    ends = (bucket + 1) * window
    digest = salted_hmac(
        "byline.ratelimit", f"{scope}\0{key}", algorithm="sha256"
    ).hexdigest()[:40]
    count = counters.increment(f"{scope}:{window}:{bucket}:{digest}", ends)
    return Verdict(count <= allowed, count, max(1, math.ceil(ends - now)))


def hit_address(request, scope, limit):
    """`hit` for the reader's address (an IPv6 address counts as its /64)."""
    return hit(scope, client_network(request), limit)


def allow_mail_to(email):
    """Count one mail that anyone could have asked us to send to `email`
    (confirmations, links); False once the address has had its share."""
    verdict = hit("mail-to", email.strip().lower(), settings.MAIL_RECIPIENT_LIMIT)
    return verdict.allowed


def _kind(request):
    path = request.path
    if path.startswith(EXEMPT_PREFIXES):
        return None
    if request.method not in SAFE_METHODS:
        return "post"
    if path == "/search/suggest/":
        return "suggest"
    if path == "/search/":
        return "search"
    return None


def limits():
    return {
        "post": settings.RATE_LIMIT_POSTS,
        "search": settings.RATE_LIMIT_SEARCH,
        "suggest": settings.RATE_LIMIT_SUGGEST,
    }


class RateLimitMiddleware(MiddlewareMixin):
    def process_view(self, request, view, args, kwargs):
        kind = _kind(request)
        if kind is None:
            return None
        try:
            verdict = hit_address(request, kind, limits()[kind])
        except counters.UNAVAILABLE as exc:
            if kind == "post":
                raise  # the post could not be saved either: 503, text kept
            # Reading still works while the database takes no writes (a full
            # disk): searching goes on, unlimited until it is back.
            logger.warning("rate limits: counters unavailable: %s", exc)
            return None
        if verdict.allowed:
            return None
        return too_many(request, kind, verdict.retry_after)


def too_many(request, kind, wait):
    reason = ngettext(
        "Too many requests from your address: wait %(wait)d second, then try again.",
        "Too many requests from your address: wait %(wait)d seconds, then try again.",
        wait,
    ) % {"wait": wait}
    accept = request.headers.get("Accept", "")
    if (
        kind == "suggest"
        or request.path.startswith("/api/")
        or ("application/json" in accept and "text/html" not in accept)
    ):
        response = JsonResponse(
            {"error": "rate_limited", "reason": reason, "retry_after": wait},
            status=429,
        )
    else:
        response = render(
            request,
            "core/rate_limited.html",
            {"reason": reason, "wait": wait, "offer": resend.offer(request)},
            status=429,
        )
    response["Retry-After"] = str(wait)
    response["Cache-Control"] = "no-store"
    return response
