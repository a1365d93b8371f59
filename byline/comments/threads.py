"""Pages of comment threads, in a fixed number of queries however many there are."""

from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber

from byline.comments.forms import SORTS, sort_key
from byline.comments.models import Comment
from byline.core import notices

THREADS_PER_PAGE = 20
REPLIES_SHOWN = 10


@dataclass
class Node:
    comment: Comment
    children: list = field(default_factory=list)


@dataclass
class Thread:
    root: Comment
    replies: list  # Nodes, nested
    total_replies: int
    shown_replies: int

    @property
    def more_replies(self):
        return self.total_replies - self.shown_replies


def thread_page(article, sort=None, page=None, per_page=THREADS_PER_PAGE):
    """Return (page of Threads, sort) for an article's approved comments."""
    sort = sort_key(sort)
    if getattr(article, "comment_count", None) == 0:
        # The stored count (kept by every path that shows or hides a comment)
        # says there is nothing to fetch: most articles of an archive.
        return Paginator([], per_page).get_page(page), sort
    roots = (
        Comment.objects.approved()
        .filter(article=article, depth=1)
        .order_by(*SORTS[sort][1])
    )
    page_obj = Paginator(roots, per_page).get_page(page)
    start = (page_obj.number - 1) * per_page
    # Sliced here rather than through the page so that the query runs even when
    # there are no comments: the page costs the same either way.
    root_list = list(roots[start : start + per_page])
    page_obj.object_list = threads_for(root_list)
    return page_obj, sort


def threads_for(roots, replies_shown=REPLIES_SHOWN):
    """Attach up to `replies_shown` replies to each root, oldest first (one query)."""
    # The query runs even for no roots, so a page costs the same queries with
    # no comments as with a thousand.
    replies = (
        Comment.objects.approved()
        .filter(root_id__in=[r.pk for r in roots] or [0], depth__gt=1)
        .annotate(
            position=Window(
                RowNumber(), partition_by=F("root_id"), order_by=[F("created"), F("pk")]
            ),
            in_thread=Window(Count("pk"), partition_by=F("root_id")),
        )
        .filter(position__lte=replies_shown)
        .order_by("root_id", "created", "pk")
    )
    by_root, totals = {}, {}
    for reply in replies:
        by_root.setdefault(reply.root_id, []).append(reply)
        totals[reply.root_id] = reply.in_thread
    threads = []
    for root in roots:
        shown = by_root.get(root.pk, [])
        threads.append(
            Thread(root, _nest(root, shown), totals.get(root.pk, 0), len(shown))
        )
    return threads


def _nest(root, replies):
    nodes = {root.pk: Node(root)}
    for reply in replies:
        nodes[reply.pk] = Node(reply)
    for reply in replies:
        parent = nodes.get(reply.parent_id)
        if parent is not None:
            parent.children.append(nodes[reply.pk])
    return nodes[root.pk].children


def comment_ids(threads):
    """Every comment a page of threads shows."""
    ids, nodes = set(), []
    for thread in threads:
        ids.add(thread.root.pk)
        nodes.extend(thread.replies)
    while nodes:
        node = nodes.pop()
        ids.add(node.comment.pk)
        nodes.extend(node.children)
    return ids


def placed_notices(messages, threads):
    """This reader's messages said at the comments (core/notices.py), by place.

    A message about a comment this page does not show (on a later page, or
    beyond the replies shown) is said at the top of the comments instead, so
    it is never lost.
    """
    grouped = {}
    if not messages:
        return grouped
    shown = None
    for message in messages:
        place = notices.place_of(message)
        if place is None:
            continue
        if place.startswith("comment-"):
            shown = comment_ids(threads) if shown is None else shown
            number = place[len("comment-") :]
            if not (number.isascii() and number.isdigit() and int(number) in shown):
                place = "comments"
        grouped.setdefault(place, []).append(message)
    return grouped


def on_first_page(comment, per_page=THREADS_PER_PAGE, replies_shown=REPLIES_SHOWN):
    """Whether the article's page (first page, default order) shows this
    approved comment, so that a link to `#comment-<id>` finds it there."""
    roots = Comment.objects.approved().filter(article_id=comment.article_id, depth=1)
    first = roots.order_by(*SORTS[sort_key(None)][1]).values_list("pk", flat=True)
    if comment.root_id not in set(first[:per_page]):
        return False
    if comment.depth == 1:
        return True
    replies = Comment.objects.approved().filter(root_id=comment.root_id, depth__gt=1)
    shown = replies.order_by("created", "pk").values_list("pk", flat=True)
    return comment.pk in set(shown[:replies_shown])


def page_showing(comment, sort, per_page=THREADS_PER_PAGE, replies_shown=REPLIES_SHOWN):
    """The page of "View all comments" in `sort` that shows this approved
    comment (its thread's page, if the comment is among the replies shown), or
    None. One query for the roots' ids in order, one more for a reply."""
    roots = Comment.objects.approved().filter(article_id=comment.article_id, depth=1)
    order = roots.order_by(*SORTS[sort_key(sort)][1]).values_list("pk", flat=True)
    try:
        position = list(order).index(comment.root_id or comment.pk)
    except ValueError:
        return None
    if comment.depth > 1:
        replies = Comment.objects.approved().filter(
            root_id=comment.root_id, depth__gt=1
        )
        shown = replies.order_by("created", "pk").values_list("pk", flat=True)
        if comment.pk not in set(shown[:replies_shown]):
            return None
    return position // per_page + 1
