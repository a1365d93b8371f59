"""What the comment views share: the article or comment a URL names, and an
answer in JSON (for a client that asks for it) or as a redirect with a message
placed where the reader is (core/notices.py)."""

import functools

from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from byline.comments import public, settings_cache
from byline.comments.models import Comment
from byline.comments.threads import on_first_page
from byline.core import notices


def public_article(article_id):
    """The public article `article_id`, or 404."""
    return get_object_or_404(public.articles().select_related("section"), pk=article_id)


def comment_settings(request):
    return settings_cache.for_request(request)


def wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


def json_not_found(view):
    """A JSON client asking for a missing (or not public) article or comment
    gets a JSON 404 with a reason, like every other JSON answer here."""

    @functools.wraps(view)
    def answer(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except Http404:
            if not wants_json(request):
                raise
            reason = _("There is no such article or comment here.")
            return JsonResponse({"ok": False, "reason": reason}, status=404)

    return answer


def back_to(comment):
    """(url, place) to send the reader back to: the comment if the article's
    page shows it, else the top of the comments (core/notices.py)."""
    shown = comment.status == Comment.Status.APPROVED and on_first_page(comment)
    return comment.article.url, f"comment-{comment.pk}" if shown else "comments"


def refuse(request, back, reason, status):
    """Say why not: in JSON, or at `back` (url, place on its page)."""
    if wants_json(request):
        return JsonResponse({"ok": False, "reason": reason}, status=status)
    return notices.redirect(request, *back, reason, level=messages.WARNING)


def done(request, back, message, **data):
    """Say it worked: in JSON (with `data`), or at `back` (url, place)."""
    if wants_json(request):
        return JsonResponse({"ok": True, **data, "message": message})
    return notices.redirect(request, *back, message)
