"""What forms on cached pages need: a token fetched when used, and for a
reader's post refused by the CSRF check, a page to confirm it from."""

from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.views.csrf import csrf_failure as plain_csrf_failure
from django.views.decorators.cache import never_cache

from byline.comments.defences import form_token
from byline.core import resend


@never_cache
def form_tokens(request):
    """A CSRF token (its cookie is set with it) and a fresh comment-form stamp."""
    return JsonResponse({"csrf": get_token(request), "ts": form_token()})


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a reader's own form, shown whole to check and send
    again (byline/core/resend.py says when); anything else, Django's 403."""
    accept = request.headers.get("Accept", "")
    if "application/json" in accept and "text/html" not in accept:
        return JsonResponse(
            {
                "error": "csrf",
                "reason": "The form's security token was missing or out of date. "
                "Reload the page and send again.",
            },
            status=403,
        )
    offer = resend.offer(request)
    if offer is None:
        return plain_csrf_failure(request, reason=reason)
    response = render(
        request, "pagecache/confirm_post.html", {"offer": offer}, status=403
    )
    response["Cache-Control"] = "no-store"
    return response
