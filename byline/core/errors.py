"""The 500 handler, which tells a database outage from a bug.

When the database cannot be reached (restarting, failing over, full disk) the
reader gets 503 with Retry-After and a page saying that nothing they sent was
saved, with what they typed to send again; proxies may serve a stale copy
(stale-if-error). Anything else is the plain 500 page. Neither needs the
database to render.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader

RETRY_SECONDS = 10


def database_unavailable(exc):
    return isinstance(exc, OperationalError | InterfaceError)


def server_error(request):
    exc = sys.exc_info()[1]
    if database_unavailable(exc):
        fields = []
        if request.method == "POST":
            try:
                fields = [
                    (name, value)
                    for name, values in request.POST.lists()
                    if name != "csrfmiddlewaretoken"
                    for value in values
                ]
            except Exception:  # an unreadable body is not worth a second error
                fields = []
        html = loader.get_template("503.html").render(
            {
                "fields": fields,
                "action": request.get_full_path(),
                "retry": RETRY_SECONDS,
            }
        )
        response = HttpResponse(html, status=503)
        response["Retry-After"] = str(RETRY_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
    return HttpResponseServerError(loader.get_template("500.html").render())
