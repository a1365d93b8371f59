"""CSRF protection that lets shared, cached pages post without a token.

A cached page cannot carry a reader's token. CSRF is an attack on a browser's
credentials; a reader without a session has none to steal, so for them the
browser's own word that the post comes from this site is enough: `Sec-Fetch-Site:
same-origin`, or an `Origin` header naming this site (or CSRF_TRUSTED_ORIGINS).
Signed-in users, who see uncached pages with tokens, still need the token.

A post that fails gets `views.csrf_failure`: Django's plain 403, or for a
reader's form the "Please confirm" page (see `byline.core.resend`). A form
sent again from that page is marked as resent, and is refused here from anyone
with a session: the forged post that led to the page carried no session
cookie, so the page could not know that a signed-in user would click.
"""

from django.conf import settings
from django.middleware.csrf import CsrfViewMiddleware
from django.views.csrf import csrf_failure as plain_csrf_failure

from byline.core import resend
from byline.core.internals import accept_without_token

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
        exempt = getattr(callback, "csrf_exempt", False)
        if request.method in SAFE_METHODS or exempt:
            return super().process_view(
                request, callback, callback_args, callback_kwargs
            )
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            if same_origin(request):
                resend.vouch(request)
                accept_without_token(request)
                return None
        elif _resent(request):
            return plain_csrf_failure(
                request, reason="A form offered again is for readers not signed in."
            )
        refused = super().process_view(
            request, callback, callback_args, callback_kwargs
        )
        if refused is None:
            resend.vouch(request)
        return refused


def _resent(request):
    try:
        return bool(request.POST.get(resend.RESENT_FIELD))
    except OSError:  # a broken upload; Django's own check refuses it next
        return False
