"""CSRF protection that lets shared, cached pages post without a token.

A cached page cannot carry a reader's token. CSRF is an attack on a browser's
credentials; a reader without a session has none to steal, so for them the
browser's own word that the post comes from this site is enough: `Sec-Fetch-Site:
same-origin`, or an `Origin` header naming this site (or CSRF_TRUSTED_ORIGINS).
Signed-in users, who see uncached pages with tokens, still need the token; a
post with neither gets the confirmation page (views.csrf_failure).
"""

from django.conf import settings
from django.middleware.csrf import CsrfViewMiddleware

SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}


def same_origin(request):
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site == "same-origin"
    origin = request.headers.get("Origin")
    if not origin or origin == "null":
        return False
    try:
        own = f"{request.scheme}://{request.get_host()}"
    except Exception:
        return False
    return origin == own or origin in settings.CSRF_TRUSTED_ORIGINS


class SharedPageCsrfMiddleware(CsrfViewMiddleware):
    def process_view(self, request, callback, callback_args, callback_kwargs):
        if (
            request.method not in SAFE_METHODS
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and not getattr(callback, "csrf_exempt", False)
            and same_origin(request)
        ):
            return self._accept(request)
        return super().process_view(request, callback, callback_args, callback_kwargs)
