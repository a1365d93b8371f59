from django import template
from django.template import engines
from django.utils.safestring import mark_safe

from byline.comments import cookies, defences, rules
from byline.comments import text as comment_text
from byline.comments.forms import SORTS
from byline.comments.state import comments_open
from byline.comments.threads import thread_page

register = template.Library()


def comments_block(context, article):
    """The comment area under an article: count, form, the first page of threads.

    `context` is the page's (Django's or Jinja2's): the request, a comment form
    that failed to post, and the CSRF token it chose (none on shared pages).
    """
    request = context["request"]
    site_settings = rules.for_request(request)
    user = request.user if request.user.is_authenticated else None
    page_obj, sort = thread_page(article, request.GET.get("sort"), 1)
    # A submission that failed is shown again; otherwise the template draws the
    # empty form itself (building a Django form only to read its blanks cost a
    # tenth of the page).
    form = context.get("comment_form")
    values = {
        "request": request,
        "article": article,
        "page_obj": page_obj,
        "sort": sort,
        "sorts": [(key, label) for key, (label, _) in SORTS.items()],
        "form": form,
        "reply_token": defences.form_token(),
        "open": comments_open(article, site_settings),
        "edit_grants": cookies.edit_grants(request),
        "user": user,
    }
    csrf_token = context.get("csrf_token")
    if csrf_token is not None:
        values["csrf_token"] = csrf_token
    # The bare Jinja2 template: the page's context processors already ran.
    return engines["jinja2"].env.get_template("comments/block.html").render(values)


@register.filter
def comment_html(comment):
    return comment_text.render(comment.text)


@register.filter
def editable(comment, grants):
    return comment.pk in grants


@register.filter
def with_feedback(html, article):
    """Mark the passages of the article body that readers commented on (one query)."""

    from byline.comments import anchors
    from byline.comments.models import Comment

    if article.comment_count == 0:
        return html  # no approved comment, so none anchored (see thread_page)

    ranges = [
        (start, end, [pk])
        for pk, start, end in Comment.objects.approved()
        .filter(article_id=article.pk, anchor_state__in=["found", "moved"])
        .order_by("created", "pk")
        .values_list("pk", "anchor_start", "anchor_end")
        if start is not None and end is not None
    ]
    # The HTML is our own rich text; mark() re-escapes every text node it touches.
    return mark_safe(anchors.mark(str(html), ranges))
