"""Rate limits on every public POST and on search, per reader address.

A fixed window per address and kind, counted in the shared cache, so every
worker process sees the same count. Over the limit the reader gets 429 with
Retry-After and a plain explanation (JSON for API and script callers); a form
post is shown again with what was typed, to send once the wait is over.
The admin has its own defence (login lockout) and is not limited here.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.http import JsonResponse
from django.shortcuts import render

from byline.core.clientip import client_ip
from byline.core.forms import posted_fields

SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}
EXEMPT_PREFIXES = ("/admin/", "/django-admin/", "/static/", "/media/")


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


def over_limit(kind, address, limit, window):
    """Count one request; return the seconds to wait if it is over, else 0."""
    now = time.time()
    bucket = int(now // window)
    key = f"byline:rate:{kind}:{address}:{bucket}"
    cache.add(key, 0, window + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window + 5)
        count = 1
    if count <= limit:
        return 0
    return max(1, int((bucket + 1) * window - now) + 1)


class RateLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        kind = _kind(request)
        if kind is not None:
            limit, window = limits()[kind]
            wait = over_limit(kind, client_ip(request), limit, window)
            if wait:
                return too_many(request, kind, wait)
        return self.get_response(request)


def too_many(request, kind, wait):
    reason = (
        f"Too many requests from your address: wait {wait} seconds, then try again."
    )
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
            {
                "reason": reason,
                "wait": wait,
                "fields": posted_fields(request),
                "action": request.get_full_path(),
            },
            status=429,
        )
    response["Retry-After"] = str(wait)
    response["Cache-Control"] = "no-store"
    return response
