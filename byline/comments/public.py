"""What readers may reach of the comments: those of live, public articles.

Every comment endpoint (post, reply, vote, report, edit, delete, subscribe,
confirmation links, the "View all comments" pages) finds its article or comment
through here, so a comment of a draft, unpublished, private or password-protected
article answers 404 as the article itself does, and never redirects to its URL.
What counts as public is news' decision (`news.public.public_articles`, the one
path every public read of articles takes); this module only asks.
"""

from byline.comments.models import Comment
from byline.news.public import public_articles


def articles():
    """Live articles outside every view restriction."""
    return public_articles().order_by()


def comments(*statuses):
    """Comments in one of `statuses` (approved by default) on a public article."""
    return Comment.objects.filter(
        status__in=statuses or [Comment.Status.APPROVED],
        article__in=articles(),
    ).select_related("article")
