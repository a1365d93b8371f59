"""Moderation: the rules that decide a comment's fate, and a moderator's verdicts.

The rules (`decide`) run in order and the first that fires is recorded on the
comment, so a moderator sees why it was held or rejected. Trust (the middle
mode) is earned by approved comments, and counts only those the request proves
to be the commenter's own: an account's, or an address's when this browser
confirmed that address by a mailed link, or else those this very browser wrote
(its signed reader id is stored with each comment). Typing a trusted
commenter's name and address proves nothing: the comment is held, and the
address is mailed a link to publish it (`notifications.send_address_check`).

Every change of a comment's standing is a function here or in `posting`
(submit, edit, delete, erase, address confirmed), and each does all of its
work itself, in this order: write the rows, `recount` the article (which
announces `signals.comments_changed`, so the page cache drops the pages that
show it), and schedule the mail after commit. No receiver watches Comment
saves: a row written any other way (an import, the demo) calls `recount`.

A moderator's verdict (`approve`, `reject`, `mark_spam`) comes from whichever
admin screen: the buttons on each row of the queue, the bulk actions, the edit
form and the reply form all call these functions, so a comment approved one
way is approved every way (counts taken again, reports closed, subscribers
told).
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from wagtail.rich_text import expand_db_html

from byline.comments import anchors, cookies, tasks
from byline.comments import text as comment_text
from byline.comments.models import Comment, CommentSettings, Moderation, Report
from byline.comments.signals import comments_changed
from byline.core.queueing import enqueue_on_commit
from byline.core.slugs import marks
from byline.core.text import ARABIC_OPTIONAL_MARKS
from byline.news.models import ArticlePage

# How many of a commenter's latest judged comments decide whether they stay trusted.
RECENT = 5
OPTIONAL_MARKS = re.compile(f"[{ARABIC_OPTIONAL_MARKS}]")
FIRST_COMMENTS = "first comments are reviewed"
# The address has earned trust, but nothing in the request proves it is its owner.
UNCONFIRMED = "address not confirmed in this browser"


@dataclass(frozen=True)
class Decision:
    status: str
    note: str = ""


@dataclass(frozen=True)
class Commenter:
    """Who posts, and what the request proves about them."""

    email: str
    user: object = None  # signed in
    reader: str | None = None  # the browser's signed reader id
    confirmed: bool = False  # this browser confirmed the address by mail

    @classmethod
    def of_request(cls, request, email):
        user = request.user if request.user.is_authenticated else None
        return cls(
            email=email,
            user=user,
            reader=cookies.reader_id(request),
            confirmed=cookies.address_confirmed(request, email),
        )

    @classmethod
    def of_comment(cls, request, comment):
        """The author of a stored comment, as far as this request proves."""
        return cls(
            email=comment.email,
            user=comment.user,
            reader=comment.browser or None,
            confirmed=cookies.address_confirmed(request, comment.email),
        )

    def proven_comments(self):
        """The comments this commenter is proven to have written."""
        if self.user is not None:
            return Comment.objects.filter(user=self.user)
        own = Comment.objects.filter(email__iexact=self.email)
        if self.confirmed:
            return own
        if self.reader:
            return own.filter(browser=self.reader)
        return Comment.objects.none()

    def claims_trust(self, needed):
        """Whether the address alone, unproven, has the approvals trust needs."""
        if self.user is not None or self.confirmed or not self.email:
            return False
        claimed = Comment.objects.filter(
            email__iexact=self.email, status=Comment.Status.APPROVED
        )
        return claimed.count() >= needed


def comments_open(article, site_settings):
    """Whether readers may add comments to the article now."""
    if getattr(article, "comments_closed", False):
        return False
    days = site_settings.close_after_days
    published = getattr(article, "published_at", None)
    return not (
        days and published and timezone.now() > published + timedelta(days=days)
    )


def moderation_mode(article, site_settings):
    """The article's own mode, else its section's, else the site's."""
    section = getattr(article, "section", None)
    return (
        getattr(article, "comment_moderation", "")
        or getattr(section, "comment_moderation", "")
        or site_settings.moderation
    )


def _first_word(words, text):
    """The first of `words` that `text` holds as a whole word.

    A word's letters are what Python's `\\w` matches and the combining marks
    (Indic vowel signs and viramas are marks, not `\\w`: "कम" is not in
    "कमाल"). Both sides are compared in NFKC form (fullwidth or decomposed
    letters read as the plain ones) and without Arabic's optional short
    vowels, as search compares them.
    """
    text = _comparable(text)
    letter = rf"[\w{marks()}]"
    for word in words:
        found = rf"(?<!{letter}){re.escape(_comparable(word))}(?!{letter})"
        if re.search(found, text, flags=re.IGNORECASE):
            return word
    return None


def _comparable(text):
    return OPTIONAL_MARKS.sub("", unicodedata.normalize("NFKC", text))


def decide(article, site_settings, *, text, commenter):
    banned = _first_word(site_settings.word_list(site_settings.banned_words), text)
    if banned:
        return Decision(Comment.Status.REJECTED, f"banned word: {banned}")
    user = commenter.user
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
    return _trust(commenter, site_settings.approved_before_trusted)


def _trust(commenter, needed):
    own = commenter.proven_comments()
    approved = own.filter(status=Comment.Status.APPROVED).count()
    if approved < needed:
        if commenter.claims_trust(needed):
            return Decision(Comment.Status.PENDING, UNCONFIRMED)
        return Decision(Comment.Status.PENDING, FIRST_COMMENTS)
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


# The state changes' shared steps -------------------------------------------


def recount(article_ids, *, announce=True):
    """Take the articles' comment counts again; announce the change to caches.

    The publish pipeline recounts without announcing: it invalidates the
    article's pages itself, once (byline/publishing/pipeline.py).
    """
    article_ids = list(article_ids)
    approved = (
        Comment.objects.approved()
        .filter(article_id=OuterRef("pk"))
        .values("article_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    ArticlePage.objects.filter(pk__in=article_ids).update(
        comment_count=Coalesce(Subquery(approved), 0)
    )
    if announce:
        comments_changed.send(sender=Comment, article_ids=article_ids)


def after_commit(task, *args):
    """Enqueue `task` to run once the transaction commits (mail is never sent
    for rows that were rolled back, nor lost to a crash: core/queueing.py)."""
    enqueue_on_commit(task, *args)


def tell_subscribers(comment_ids):
    """Comments just made public: their subscribers are mailed after commit."""
    for pk in comment_ids:
        after_commit(tasks.notify_subscribers, pk)


# A moderator's verdicts ------------------------------------------------------


def _write_verdict(comments, status):
    """Write the verdict; return (article ids, ids of comments newly approved).

    A comment its author deleted stays deleted, whatever screen it was in.
    Readers' reports on them are closed (a moderator has looked).
    """
    comments = [c for c in comments if c.status != Comment.Status.DELETED]
    ids = [c.pk for c in comments]
    newly_approved = [
        c.pk
        for c in comments
        if status == Comment.Status.APPROVED and c.status != status
    ]
    # The moderator's judgement of these words (see `posting.edit`).
    Comment.objects.filter(pk__in=ids).update(status=status, reviewed=timezone.now())
    Report.objects.filter(comment_id__in=ids).update(resolved=True)
    for comment in comments:
        comment.status = status
    return {c.article_id for c in comments}, newly_approved


def judge(comments, status):
    """Give comments a moderator's verdict; return how many it changed."""
    with transaction.atomic():
        articles, newly_approved = _write_verdict(comments, status)
        recount(articles)
        tell_subscribers(newly_approved)
    return sum(1 for c in comments if c.status == status)


def approve(comments):
    return judge(comments, Comment.Status.APPROVED)


def reject(comments):
    return judge(comments, Comment.Status.REJECTED)


def mark_spam(comments):
    return judge(comments, Comment.Status.SPAM)


# The verdicts a moderator gives: action → (function, status, past tense).
VERDICTS = {
    "approve": (approve, Comment.Status.APPROVED, "approved"),
    "reject": (reject, Comment.Status.REJECTED, "rejected"),
    "spam": (mark_spam, Comment.Status.SPAM, "marked as spam"),
}


def review(comment, status):
    """The admin's edit form saved `comment` (thread closed, editors' pick) with
    `status` chosen: its verdict, and the article's pages shown again."""
    if status != comment.status:
        judge([comment], status)
    else:
        Comment.objects.filter(pk=comment.pk).update(reviewed=timezone.now())
        recount([comment.article_id])


def waiting():
    """Comments a moderator should look at: held ones, and shown ones that
    readers reported and no moderator has dealt with yet."""
    open_reports = Report.objects.filter(comment=OuterRef("pk"), resolved=False)
    return Comment.objects.annotate(reported=Exists(open_reports)).filter(
        Q(status=Comment.Status.PENDING)
        | Q(reported=True, status=Comment.Status.APPROVED)
    )


def answerable():
    """The comments a moderator may answer (`reply_as_staff`): all but the
    ones their authors deleted."""
    return Comment.objects.select_related("article", "parent").exclude(
        status=Comment.Status.DELETED
    )


def reply_as_staff(parent, user, text):
    """Publish `user`'s reply to `parent` at once and return it.

    A held comment is approved first, as WordPress's "Approve and reply" does: a
    reply under a comment readers cannot see would make no sense. Replies past
    the deepest level join the last level of the thread, as readers' do.
    """
    with transaction.atomic():
        newly_approved = []
        if parent.status != Comment.Status.APPROVED:
            _, newly_approved = _write_verdict([parent], Comment.Status.APPROVED)
        site = parent.article.get_site()
        max_depth = CommentSettings.for_site(site).max_depth if site else 3
        while parent.depth >= max_depth and parent.parent_id:
            parent = parent.parent
        reply = Comment.objects.create(
            article_id=parent.article_id,
            parent=parent,
            root_id=parent.root_id or parent.pk,
            depth=parent.depth + 1,
            user=user,
            name=user.get_full_name() or user.get_username(),
            email=user.email,
            text=text,
            status=Comment.Status.APPROVED,
        )
        # The parent approved and the reply added: one recount, one change.
        recount([parent.article_id])
        tell_subscribers([*newly_approved, reply.pk])
    return reply


# The article changed ---------------------------------------------------------


def article_published(article):
    """Steps of the publish pipeline (byline/publishing/pipeline.py).

    A revision carries the comment count of when it was saved; publishing it
    (an old draft, an editor's stale form) would put that count back, so it is
    taken again (not announced: the pipeline invalidates the article once).
    Every commented passage is then found again in the article as published.
    """
    recount([article.pk], announce=False)
    quoted = Comment.objects.filter(article_id=article.pk).exclude(quote="")
    if not quoted.exists():
        return
    text = anchors.text_of(expand_db_html(article.body))
    for comment in quoted.only("pk", "quote", "quote_prefix", "quote_suffix"):
        found = anchors.locate(
            text, comment.quote, comment.quote_prefix, comment.quote_suffix
        )
        Comment.objects.filter(pk=comment.pk).update(
            anchor_start=found.start if found.state != anchors.LOST else None,
            anchor_end=found.end if found.state != anchors.LOST else None,
            anchor_state=found.state,
        )
