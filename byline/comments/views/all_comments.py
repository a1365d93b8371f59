""" "View all comments": every thread of an article, a page at a time."""

from django.contrib import messages
from django.shortcuts import render
from django.views.decorators.http import require_GET

from byline.comments.area import comment_area
from byline.comments.threads import thread_page
from byline.comments.views.answers import public_article


@require_GET
def all_comments(request, article_id):
    """Every thread, a page at a time, with the same actions as under the
    article (reply, report, vote, the comment form)."""
    article = public_article(article_id)
    # "Load more" in place: only the threads and the link to the next page.
    fragment = bool(request.GET.get("fragment"))
    return page_of_threads(
        request, article, request.GET.get("sort"), request.GET.get("page"), fragment
    )


def page_of_threads(
    request, article, sort, page, fragment=False, form=None, status=200
):
    """A "View all comments" page; with `form`, a comment form sent from it
    that failed, shown again with its errors and what the reader typed."""
    page_obj, sort = thread_page(article, sort, page)
    template = "comments/more.html" if fragment else "comments/all.html"
    values = comment_area(
        request,
        article,
        page_obj,
        sort,
        form=form,
        messages=messages.get_messages(request),
    )
    # Named apart from the context processors' `user` (always set, so truthy).
    values |= {"all_pages": True, "comment_user": values.pop("user")}
    return render(request, template, values, status=status)
