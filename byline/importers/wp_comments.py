"""A WordPress post's comments → reader comments under its article, threaded.

Comments are keyed by `wp:<site>:<comment id>`, so importing again updates their
text and status and creates nothing twice. Spam, trash, pingbacks and trackbacks
are skipped and counted; replies deeper than MAX_DEPTH join the deepest level,
as replies made on the site do.
"""

from byline.comments.models import Comment
from byline.importers import wp_html
from byline.importers.wxr import gmt_date

MAX_DEPTH = 3


def comment_key(site_key, comment_id):
    return f"wp:{site_key}:{comment_id}"[:120]


def import_comments(article, comments, site_key, report):
    """Create or update the article's comments from WXR comments, counting
    what happened to each in the import's report."""
    by_wp_id = {}
    keep = []
    for wp in comments:
        if wp.approved in {"spam", "trash"}:
            report.skipped[f"{wp.approved} comments"] += 1
            continue
        if wp.type in {"pingback", "trackback"}:
            report.skipped[f"{wp.type}s"] += 1
            continue
        keep.append(wp)
    existing = {
        c.source_id: c
        for c in Comment.objects.filter(
            source_id__in=[comment_key(site_key, wp.id) for wp in keep]
        )
    }
    # Parents come before replies in exports, but not always: sort by id.
    for wp in sorted(keep, key=lambda c: int(c.id or 0)):
        key = comment_key(site_key, wp.id)
        comment = existing.get(key)
        parent = by_wp_id.get(wp.parent) if wp.parent not in {"", "0"} else None
        while parent is not None and parent.depth >= MAX_DEPTH:
            parent = parent.parent
        text = wp_html.plain_text(wp.content)[:5000] or "(empty comment)"
        status = (
            Comment.Status.APPROVED if wp.approved == "1" else Comment.Status.PENDING
        )
        if comment is None:
            comment = Comment(
                article=article, parent=parent,
                root=(parent.root or parent) if parent else None,
                depth=(parent.depth + 1) if parent else 1,
                name=(wp.author or "Anonymous")[:80], email=wp.email[:254],
                text=text, status=status,
                created=gmt_date(wp.date_gmt) or article.published_at,
                source_id=key,
            )  # fmt: skip
            # Saved without signals: an import must not mail moderators or
            # subscribers about comments written years ago.
            Comment.objects.bulk_create([comment])
            report.created["comments"] += 1
        elif (comment.text, comment.status) != (text, status):
            Comment.objects.filter(pk=comment.pk).update(text=text, status=status)
            report.updated["comments"] += 1
        else:
            report.unchanged["comments"] += 1
        by_wp_id[wp.id] = comment
