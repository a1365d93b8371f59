"""A reader's own state on an article, apart from the page everyone shares.

Pages are cached whole for every anonymous reader, so nothing on them may
depend on who is reading. What does (which way this browser voted, its
comments still awaiting moderation, the name and address it asked us to
remember) is answered here, never cached, and applied to the page by
static/js/reader-state.js. Without JavaScript the page still works: votes and
comments post as plain forms and the answer says what happened.
"""

from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from byline.comments import cookies, public, votes
from byline.comments.models import Comment, Vote
from byline.core.params import parse_id

HELD_SHOWN = 20  # a reader's own held comments shown on one article, newest first


def held_comments(request, article_id):
    """This reader's comments on the article that a moderator has not judged."""
    reader = cookies.reader_id(request)
    user = request.user if request.user.is_authenticated else None
    if reader is None and user is None:
        return []
    mine = Comment.objects.filter(article_id=article_id, status=Comment.Status.PENDING)
    mine = mine.filter(user=user) if user else mine.filter(browser=reader)
    rows = mine.order_by("-created").values(
        "pk", "name", "text", "quote", "parent_id", "created"
    )[:HELD_SHOWN]
    return [
        {
            "id": row["pk"],
            "name": row["name"],
            "text": row["text"],  # plain text: the script sets it as text
            "quote": row["quote"],
            "parent": row["parent_id"],
            "created": row["created"].isoformat(),
        }
        for row in rows
    ]


def votes_on(request, article_id):
    """{comment id: "up" or "down"}: how this reader voted on the article."""
    voter = votes.voter_for(request)
    if voter is None:
        return {}
    rows = Vote.objects.filter(voter=voter.key, comment__article_id=article_id)
    return {
        str(pk): votes.NAMES[value]
        for pk, value in rows.values_list("comment_id", "value")
    }


@never_cache
@require_GET
def reader_state(request):
    """GET /comments/me/?article=<id>: this reader's state on a public article."""
    article_id = parse_id(request.GET.get("article"))
    if article_id is None or not public.articles().filter(pk=article_id).exists():
        return JsonResponse(
            {"ok": False, "reason": "There is no such article here."}, status=404
        )
    response = JsonResponse(
        {
            "ok": True,
            "votes": votes_on(request, article_id),
            "held": held_comments(request, article_id),
            "commenter": cookies.commenter(request),
        }
    )
    # Personal: kept by no proxy and no browser (never_cache adds private).
    response["Cache-Control"] = "private, no-store"
    return response
