"""The comment area: what comments/block.html draws under an article and on
the "View all comments" pages (which add their pagination)."""

from django.template import engines

from byline.comments import cookies, defences, settings_cache
from byline.comments.forms import SORTS, limits
from byline.comments.moderation import comments_open
from byline.comments.threads import placed_notices, thread_page
from byline.core.cacheable import rendered_with


def comments_block(context, article):
    """The comment area under an article: count, form, the first page of threads.

    `context` is the article page's: the request, a comment form that failed
    to post, and the CSRF token it chose (none on shared pages).
    """
    request = context["request"]
    page_obj, sort = thread_page(article, request.GET.get("sort"), 1)
    if "sort" in request.GET:
        # Kept by the page cache only when asked for by a sort's own name.
        rendered_with(request, sort=sort)
    # A submission that failed is shown again; otherwise the template draws the
    # empty form itself (building a Django form only to read its blanks cost a
    # tenth of the page).
    values = comment_area(
        request,
        article,
        page_obj,
        sort,
        form=context.get("comment_form"),
        messages=context.get("messages"),
    )
    csrf_token = context.get("csrf_token")
    if csrf_token is not None:
        values["csrf_token"] = csrf_token
    # The bare Jinja2 template: the page's context processors already ran.
    return engines["jinja2"].env.get_template("comments/block.html").render(values)


def comment_area(request, article, page_obj, sort, form=None, messages=None):
    """What comments/block.html draws, with the same actions wherever it is."""
    user = request.user if request.user.is_authenticated else None
    return {
        "request": request,
        "article": article,
        "page_obj": page_obj,
        "sort": sort,
        "sorts": [(key, label) for key, (label, _) in SORTS.items()],
        "form": form,
        # The fields' limits, for the empty form drawn without a Django form.
        "limits": limits(),
        "reply_token": defences.form_token(),
        "open": comments_open(article, settings_cache.for_request(request)),
        "edit_grants": cookies.edit_grants(request),
        "user": user,
        # Messages said at a comment or at the comment area (core/notices.py).
        "notices": placed_notices(messages, page_obj.object_list),
    }
