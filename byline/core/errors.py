"""The 500 handler, which tells a database outage from a bug.

When the database cannot be reached (restarting, failing over, full disk) the
reader gets 503 with Retry-After and a page saying that nothing they sent was
saved, with what they typed to send again (`resend.py` decides what may be
offered); proxies may serve a stale copy (stale-if-error). Anything else is the
plain 500 page. Neither needs the database to render.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.middleware.csrf import get_token
from django.template import loader

from byline.core import resend

RETRY_SECONDS = 10


def database_unavailable(exc):
    return isinstance(exc, OperationalError | InterfaceError)


def server_error(request):
    exc = sys.exc_info()[1]
    if database_unavailable(exc):
        offer = resend.offer(request)
        # Rendered without the request: its context processors read the
        # database. The token is asked for here, and its cookie set on the way
        # out by the CSRF middleware.
        html = loader.get_template("503.html").render(
            {
                "offer": offer,
                "csrf_token": get_token(request) if offer else "",
                "retry": RETRY_SECONDS,
            }
        )
        response = HttpResponse(html, status=503)
        response["Retry-After"] = str(RETRY_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
    return HttpResponseServerError(loader.get_template("500.html").render())
