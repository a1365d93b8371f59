"""What a reader does to comments: submit one, edit or delete their own, list,
export or erase everything posted with their address, confirm that an address
is theirs, and follow a discussion.

Each function does all of its work itself, in the order `moderation` explains:
write the rows, recount (which tells the page cache), schedule the mail. A
moderator's judgement holds for the words they read. An author's edit is
decided again by the rules (`moderation.decide`), and never moves a comment up:
an approved comment may go back to the queue, a held one stays held. A comment
a moderator reviewed by hand goes back to the queue whatever the rules say, so
approved words cannot be swapped for others; rejected and spam comments cannot
be edited at all (`EDITABLE`).
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.rich_text import expand_db_html

from byline.comments import anchors, moderation, notifications, tasks
from byline.comments.models import Comment, Subscription
from byline.core import optin

EDITABLE = (Comment.Status.PENDING, Comment.Status.APPROVED)
EDITED_AFTER_REVIEW = "edited after a moderator approved it"


class Refused(Exception):
    """The comment cannot be posted as sent: `message` says why, for the form."""

    def __init__(self, message, status=400):
        super().__init__(message)
        self.message, self.status = message, status


def _parent(article, parent_id, max_depth):
    """The approved comment replied to, or None for a new thread."""
    if not parent_id:
        return None
    parent = (
        Comment.objects.approved()
        .filter(article=article, pk=parent_id)
        .select_related("root")
        .first()
    )
    if parent is None:
        raise Refused(_("The comment you replied to is no longer there."))
    if parent.root.replies_closed:
        raise Refused(_("The editors have closed this thread to replies."), 403)
    # Replies past the deepest level join the last level of the thread.
    while parent.depth >= max_depth and parent.parent_id:
        parent = parent.parent
    return parent


def _passage(article, data):
    """The fields of the passage commented on, found in the article's text."""
    if not data.get("quote", "").strip():
        return {}
    article_text = anchors.text_of(expand_db_html(article.body))
    prefix, suffix = data.get("quote_prefix", ""), data.get("quote_suffix", "")
    anchor = anchors.locate(article_text, data["quote"], prefix, suffix)
    if anchor.state == anchors.LOST:
        raise Refused(
            _(
                "We could not find the passage you selected in the article; it may "
                "have just changed. Select it again, or post without it."
            )
        )
    return {
        "quote": anchors.quoted(article_text, data["quote"], anchor),
        "quote_prefix": prefix[-100:],
        "quote_suffix": suffix[:100],
        "anchor_start": anchor.start,
        "anchor_end": anchor.end,
        "anchor_state": anchor.state,
    }


def submit(article, data, *, site_settings, commenter, name, ip_hash, browser):
    """Post a comment (`data`: a valid CommentForm's) and return it.

    The rules decide whether it is published, held or rejected. One transaction:
    a comment is saved whole (root, subscription) or not at all. A published
    comment is counted and its subscribers told; a held one alerts the
    moderators, and its address's owner is asked when only they can vouch.
    Raise `Refused` when the reply or the passage it names is gone.
    """
    parent = _parent(article, data.get("parent"), site_settings.max_depth)
    passage = _passage(article, data)
    decision = moderation.decide(
        article, site_settings, text=data["text"], commenter=commenter
    )
    with transaction.atomic():
        comment = Comment.objects.create(
            article=article,
            parent=parent,
            root=parent.root if parent else None,
            depth=parent.depth + 1 if parent else 1,
            user=commenter.user,
            name=name,
            email=commenter.email,
            text=data["text"],
            status=decision.status,
            moderation_note=decision.note,
            ip_hash=ip_hash,
            browser=browser,
            **passage,
        )
        if comment.root_id is None:
            Comment.objects.filter(pk=comment.pk).update(root=comment)
            comment.root_id = comment.pk
        kind, email = data.get("notify"), commenter.email
        if kind and email and decision.status != Comment.Status.REJECTED:
            follow(email, article, kind, comment if kind == "replies" else None)
        announce_new(comment)
    return comment


def announce_new(comment):
    """What follows a new comment's writing (`submit`, and fixtures that write
    one directly): a published one is counted and its subscribers told; a held
    one alerts the moderators."""
    if comment.status == Comment.Status.APPROVED:
        moderation.recount([comment.article_id])
        moderation.tell_subscribers([comment.pk])
    elif comment.status == Comment.Status.PENDING:
        # A held comment changes nothing a reader sees (its author learns of it
        # from /comments/me/): no cached page changes, which matters in a storm
        # of held comments.
        moderation.after_commit(tasks.alert_moderators, comment.pk)
        if comment.moderation_note == moderation.UNCONFIRMED:
            moderation.after_commit(tasks.send_address_check, comment.pk)


def follow(email, article, kind, comment=None):
    """Subscribe `email` to the article's comments (or to replies to `comment`);
    a confirmation is mailed unless one went out lately."""
    subscription, mail_needed = notifications.subscribe(email, article, kind, comment)
    if mail_needed:
        moderation.after_commit(tasks.send_confirmation, subscription.pk)
    return subscription


def edit(comment, text, decision):
    """Replace the comment's text; `decision` is the rules' verdict on the new text."""
    status, note = comment.status, comment.moderation_note
    if decision.status != Comment.Status.APPROVED:
        status, note = decision.status, decision.note
    elif comment.reviewed and comment.status == Comment.Status.APPROVED:
        status, note = Comment.Status.PENDING, EDITED_AFTER_REVIEW
    Comment.objects.filter(pk=comment.pk).update(
        text=text, edited=timezone.now(), status=status, moderation_note=note
    )
    moderation.recount([comment.article_id])
    if status == Comment.Status.PENDING and comment.status != status:
        moderation.after_commit(tasks.alert_moderators, comment.pk)
    comment.text, comment.status, comment.moderation_note = text, status, note
    return comment


def delete(comment):
    """Its author deletes the comment: its words go, its place in the thread stays."""
    Comment.objects.filter(pk=comment.pk).update(status=Comment.Status.DELETED, text="")
    comment.status, comment.text = Comment.Status.DELETED, ""
    moderation.recount([comment.article_id])


def own_comments(email):
    """Everything posted with `email` and not deleted, newest first."""
    own = Comment.objects.filter(email__iexact=email).exclude(
        status=Comment.Status.DELETED
    )
    return own.select_related("article").order_by("-created")


def exported(comment):
    """One of a reader's own comments as their JSON export gives it."""
    return {
        "id": comment.pk,
        "article": comment.article.title,
        "url": optin.absolute(comment.article.url + f"#comment-{comment.pk}"),
        "name": comment.name,
        "text": comment.text,
        "status": comment.status,
        "created": comment.created.isoformat(),
        "in_reply_to": comment.parent_id,
    }


def erase(email):
    """Delete everything posted with `email`, names and addresses too, and end
    its subscriptions; return how many comments it deleted."""
    own = Comment.objects.filter(email__iexact=email).exclude(
        status=Comment.Status.DELETED
    )
    articles = set(own.values_list("article_id", flat=True))
    count = own.update(status=Comment.Status.DELETED, text="", name="", email="")
    Subscription.objects.filter(email=email, ended=None).update(ended=timezone.now())
    moderation.recount(articles)
    return count


def waits_for_its_address(comment):
    """Whether the comment is held only until its address's owner says it is theirs."""
    return (
        comment.status == Comment.Status.PENDING
        and comment.moderation_note == moderation.UNCONFIRMED
    )


def address_confirmed(comment, site_settings):
    """The address's owner says they wrote the comment (a mailed link pressed):
    the rules decide it again as theirs (notifications.send_address_check)."""
    if not waits_for_its_address(comment):
        return comment
    proven = moderation.Commenter(email=comment.email, confirmed=True)
    decision = moderation.decide(
        comment.article, site_settings, text=comment.text, commenter=proven
    )
    comment.status = decision.status
    comment.moderation_note = decision.note or "address confirmed by mail"
    Comment.objects.filter(pk=comment.pk).update(
        status=comment.status, moderation_note=comment.moderation_note
    )
    moderation.recount([comment.article_id])
    if comment.status == Comment.Status.APPROVED:
        moderation.tell_subscribers([comment.pk])
    return comment
