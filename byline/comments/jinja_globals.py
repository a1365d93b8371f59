"""The comments app's Jinja2 globals and filters (byline/jinja.py collects
them): the comment area under an article, a comment's text, and the marks
on the passages readers commented on."""

from jinja2 import pass_context
from markupsafe import Markup

from byline.comments import anchors
from byline.comments import text as comment_text
from byline.comments.area import comments_block
from byline.comments.models import Comment


@pass_context
def comments_for(context, article):
    return Markup(comments_block(context, article))


def comment_html(comment):
    return Markup(comment_text.render(comment.text))


def with_feedback(html, article):
    """Mark the passages of the article body that readers commented on (one query)."""
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
    return Markup(anchors.mark(str(html), ranges))


GLOBALS = {"comments_for": comments_for, "comment_html": comment_html}
FILTERS = {"comment_html": comment_html, "with_feedback": with_feedback}
