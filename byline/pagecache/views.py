"""What forms on cached pages need: a token fetched when used, and a second
chance, with everything the reader typed, when a post arrives without one."""

from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from byline.comments.defences import form_token
from byline.core.forms import posted_fields


@never_cache
def form_tokens(request):
    """A CSRF token (its cookie is set with it) and a fresh comment-form stamp."""
    return JsonResponse({"csrf": get_token(request), "ts": form_token()})


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: explain, and offer to send the same post again."""
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
    return render(
        request,
        "pagecache/confirm_post.html",
        {"fields": posted_fields(request), "action": request.get_full_path()},
        status=403,
    )
