"""What the comment views share: the article or comment a URL names, and an
answer in JSON (for a client that asks for it) or as a redirect with a message
placed where the reader is (core/notices.py)."""

import functools

from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from byline.comments import public, settings_cache
from byline.comments.forms import sort_key
from byline.comments.models import Comment
from byline.comments.threads import on_first_page, page_showing
from byline.core import notices
from byline.core.params import parse_int


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


# The fields a form on a "View all comments" page sends with what it posts
# (comments/listing_fields.html): the list's sort and page, so that a reader
# without JavaScript comes back to the page they were reading. A sort and a
# number, never an address, so no post can send a reader off the site.
LISTING_FIELDS = ("back_sort", "back_page")


def listing(request):
    """(sort, page number) of the "View all comments" page the post came from,
    or None for a post from the article's page. Read from the form, or from the
    query of the vote-confirm page's own address, which carries them."""
    if request is None:
        return None
    data = request.POST if "back_sort" in request.POST else request.GET
    if "back_sort" not in data:
        return None
    page = parse_int(data.get("back_page"), minimum=1, maximum=10**6) or 1
    return sort_key(data.get("back_sort")), page


def listing_query(request):
    """The listing's fields as a query string ("" when there is none)."""
    found = listing(request)
    return urlencode(dict(zip(LISTING_FIELDS, found, strict=True))) if found else ""


def all_comments_url(article_id, sort, page):
    query = urlencode({"sort": sort, "page": page})
    return f"{reverse('comments:all', args=[article_id])}?{query}"


def back_to(comment, request=None):
    """(url, place) to send the reader back to: on the "View all comments" page
    the form was on, the page that shows the comment now (a vote can move it
    in "Most voted") at the comment, or the page they were on at the top of the
    comments; from the article, the comment if the article's page shows it,
    else the top of the comments (core/notices.py)."""
    found = listing(request)
    if found is not None:
        sort, page = found
        showing = None
        if comment.status == Comment.Status.APPROVED:
            showing = page_showing(comment, sort)
        url = all_comments_url(comment.article_id, sort, showing or page)
        return url, f"comment-{comment.pk}" if showing else "comments"
    shown = comment.status == Comment.Status.APPROVED and on_first_page(comment)
    return comment.article.url, f"comment-{comment.pk}" if shown else "comments"


def back_to_comments(article, request):
    """(url, place): the top of the comments the reader was reading."""
    found = listing(request)
    if found is not None:
        return all_comments_url(article.pk, *found), "comments"
    return article.url, "comments"


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
