"""Decide what happens to a new comment: publish, hold for review, or reject.

The rules run in order and the first that fires is recorded on the comment, so
a moderator sees why it was held or rejected.
"""

import re
from dataclasses import dataclass

from byline.comments import text as comment_text
from byline.comments.models import Comment, Moderation

# How many of a commenter's latest judged comments decide whether they stay trusted.
RECENT = 5


@dataclass(frozen=True)
class Decision:
    status: str
    note: str = ""


def moderation_mode(article, site_settings):
    """The article's own mode, else its section's, else the site's."""
    section = getattr(article, "section", None)
    return (
        getattr(article, "comment_moderation", "")
        or getattr(section, "comment_moderation", "")
        or site_settings.moderation
    )


def _first_word(words, text):
    for word in words:
        if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, flags=re.IGNORECASE):
            return word
    return None


def decide(article, site_settings, *, text, email, user=None):
    banned = _first_word(site_settings.word_list(site_settings.banned_words), text)
    if banned:
        return Decision(Comment.Status.REJECTED, f"banned word: {banned}")
    if user is not None and user.is_staff:
        return Decision(Comment.Status.APPROVED, "newsroom staff")
    links = comment_text.count_links(text)
    if links > site_settings.max_links:
        return Decision(
            Comment.Status.PENDING, f"{links} links (limit {site_settings.max_links})"
        )
    suspect = _first_word(site_settings.word_list(site_settings.suspect_words), text)
    if suspect:
        return Decision(Comment.Status.PENDING, f"suspect word: {suspect}")
    mode = moderation_mode(article, site_settings)
    if mode == Moderation.ALL:
        return Decision(Comment.Status.PENDING, "every comment is reviewed")
    if mode == Moderation.NONE:
        return Decision(Comment.Status.APPROVED)
    return _trust(email, user, site_settings.approved_before_trusted)


def _trust(email, user, needed):
    own = Comment.objects.filter(email__iexact=email)
    if user is not None:
        own = Comment.objects.filter(user=user)
    approved = own.filter(status=Comment.Status.APPROVED).count()
    if approved < needed:
        return Decision(Comment.Status.PENDING, "first comments are reviewed")
    recent = list(
        own.filter(
            status__in=[
                Comment.Status.APPROVED,
                Comment.Status.REJECTED,
                Comment.Status.SPAM,
            ]
        )
        .order_by("-created")
        .values_list("status", flat=True)[:RECENT]
    )
    refused = sum(s != Comment.Status.APPROVED for s in recent)
    if recent and refused * 2 > len(recent):
        return Decision(Comment.Status.PENDING, "recent comments mostly rejected")
    return Decision(Comment.Status.APPROVED)
