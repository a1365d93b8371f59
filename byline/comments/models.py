"""Reader comments on articles, their votes and reports, and the comment rules."""

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


class Moderation(models.TextChoices):
    ALL = "all", "Hold every comment for review"
    FIRST = "first", "Hold commenters until they have enough approved comments"
    NONE = "none", "Publish immediately"


@register_setting(icon="comment")
class CommentSettings(BaseSiteSetting):
    """The newsroom's comment rules; sections and articles may override moderation."""

    moderation = models.CharField(
        max_length=5, choices=Moderation.choices, default=Moderation.FIRST
    )
    approved_before_trusted = models.PositiveSmallIntegerField(
        default=1,
        help_text="With the middle mode: approved comments a commenter needs before "
        "their comments publish without review (WordPress uses 1).",
    )
    close_after_days = models.PositiveSmallIntegerField(
        default=30,
        help_text="Close comments this many days after publication; 0 never.",
    )
    max_depth = models.PositiveSmallIntegerField(
        default=3,
        help_text="Replies nest this deep; deeper replies join the last level.",
    )
    max_links = models.PositiveSmallIntegerField(
        default=2, help_text="Comments with more links than this are held for review."
    )
    banned_words = models.TextField(
        blank=True, help_text="One per line: a comment containing any is rejected."
    )
    suspect_words = models.TextField(
        blank=True, help_text="One per line: a comment containing any is held."
    )
    moderator_emails = models.TextField(
        blank=True,
        help_text="One per line: told when comments are waiting for review.",
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("moderation"),
                FieldPanel("approved_before_trusted"),
                FieldPanel("moderator_emails"),
            ],
            "Moderation",
        ),
        MultiFieldPanel(
            [FieldPanel("close_after_days"), FieldPanel("max_depth")], "Threads"
        ),
        MultiFieldPanel(
            [
                FieldPanel("max_links"),
                FieldPanel("banned_words"),
                FieldPanel("suspect_words"),
            ],
            _("Spam and abuse"),
        ),
    ]

    class Meta:
        verbose_name = "Comment settings"

    @staticmethod
    def word_list(text):
        return [w.strip().lower() for w in text.splitlines() if w.strip()]


class CommentQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Comment.Status.APPROVED)


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting review")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        SPAM = "spam", _("Spam")
        DELETED = "deleted", _("Deleted by its author")

    article = models.ForeignKey(
        "news.ArticlePage", on_delete=models.CASCADE, related_name="reader_comments"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    # The thread's top-level comment (itself for a top-level one), so a page of
    # threads and their replies are two indexed queries.
    root = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    depth = models.PositiveSmallIntegerField(default=1)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reader_comments",
    )
    name = models.CharField(max_length=80)
    # Never shown, exported publicly or put in a page: for notifications and
    # for a commenter to find their own comments.
    email = models.EmailField(max_length=254)
    text = models.TextField(max_length=5000)
    status = models.CharField(
        max_length=8, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    moderation_note = models.CharField(
        max_length=200, blank=True, help_text="Which rule held or rejected it."
    )
    featured = models.BooleanField("Editors' pick", default=False)
    replies_closed = models.BooleanField(
        "Thread closed", default=False, help_text="No more replies to this thread."
    )
    score = models.IntegerField(default=0)
    # When a moderator last judged it in the admin (approved it by hand, say):
    # its author's later edit sends it back to them (posting.edit).
    reviewed = models.DateTimeField(null=True, blank=True, editable=False)
    created = models.DateTimeField(default=timezone.now, db_index=True)
    edited = models.DateTimeField(null=True, blank=True)
    ip_hash = models.CharField(max_length=64, blank=True)
    # Where an imported comment came from ("wp:<site>:<id>"), so re-imports update
    # instead of duplicating.
    source_id = models.CharField(
        max_length=120, null=True, blank=True, unique=True, editable=False
    )
    # The signed reader id of the browser that wrote it: proof, later, that a
    # comment from that browser is its author's (moderation.Commenter).
    browser = models.CharField(max_length=64, blank=True)
    # When its address was asked whether it wrote it (held as unproven): mail
    # once, and not again to that address within the hour.
    address_check_sent = models.DateTimeField(null=True, blank=True, editable=False)
    # Inline feedback: the passage commented on, as a TextQuoteSelector (quote
    # with the text just before and after) plus its place in the current text.
    quote = models.TextField(max_length=1000, blank=True)
    quote_prefix = models.CharField(max_length=100, blank=True)
    quote_suffix = models.CharField(max_length=100, blank=True)
    anchor_start = models.PositiveIntegerField(null=True, blank=True)
    anchor_end = models.PositiveIntegerField(null=True, blank=True)
    anchor_state = models.CharField(
        max_length=5,
        blank=True,
        choices=[
            ("found", "Found"),
            ("moved", "Found after an edit"),
            ("lost", "Not in the current version"),
        ],
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created", "pk"]
        indexes = [
            models.Index(
                fields=["article", "status", "depth", "created"],
                name="comment_article_threads",
            ),
            # The article's first page of threads in the default order
            # (forms.SORTS["oldest"]), read without sorting every thread: on
            # each render, and after each post (threads.on_first_page). At
            # 5,000 comments that sort was 2 ms of every post (issue 18).
            models.Index(
                fields=["article", "status", "depth", "-featured", "created", "id"],
                name="comment_first_page",
            ),
            models.Index(fields=["root", "status", "created"], name="comment_thread"),
            models.Index(fields=["email", "status"], name="comment_email"),
        ]

    def __str__(self):
        # Moderators know articles by their headlines, not by page ids.
        return f"{self.name} on “{self.article.title}”: {self.text[:40]}"

    @property
    def excerpt(self):
        """The start of the text, and of the comment it answers (moderation queue)."""
        text = self.text[:120] + ("…" if len(self.text) > 120 else "")
        if self.parent_id and self.parent:
            quote = self.parent.text[:60] + "…"
            return format_html("{}<br><small>in reply to: {}</small>", text, quote)
        return text

    @property
    def is_public(self):
        return self.status == self.Status.APPROVED

    @staticmethod
    def hash_ip(ip):
        return hashlib.sha256(f"{settings.SECRET_KEY}:{ip}".encode()).hexdigest()


class Vote(models.Model):
    """One reader's vote on one comment: changed or withdrawn, never repeated.

    `voter` is the account ("user:<id>") or the browser's reader id
    ("browser:<id>", given by an earlier response, never by the vote itself). A
    browser's vote also keeps its network (`address`: the client address, IPv6
    by its /64, hashed with a secret), and a network has one browser vote per
    comment, so fresh cookies from one connection add nothing. Which way a
    reader voted on a page of comments is one indexed query (`votes.votes_of`).
    """

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="votes")
    voter = models.CharField(max_length=80)  # "user:<id>" or "browser:<id>"
    address = models.CharField(max_length=64, blank=True)  # browser votes only
    value = models.SmallIntegerField(choices=[(1, "Up"), (-1, "Down")])
    created = models.DateTimeField(default=timezone.now)
    changed = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["comment", "voter"], name="one_vote_each"),
            # Votes from before networks were kept have none, and accounts
            # vote as themselves wherever they are.
            models.UniqueConstraint(
                fields=["comment", "address"],
                condition=~models.Q(address=""),
                name="one_browser_vote_per_network",
            ),
        ]
        indexes = [models.Index(fields=["voter", "comment"], name="vote_by_voter")]

    def __str__(self):
        return f"{self.voter} {self.value:+d} on {self.comment_id}"


class Report(models.Model):
    class Reason(models.TextChoices):
        ABUSE = "abuse", _("Abusive or hateful")
        SPAM = "spam", _("Spam or advertising")
        OFF_TOPIC = "off-topic", _("Off topic")
        OTHER = "other", _("Something else")

    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, related_name="reports"
    )
    reason = models.CharField(max_length=10, choices=Reason.choices)
    details = models.CharField(max_length=500, blank=True)
    created = models.DateTimeField(default=timezone.now)
    resolved = models.BooleanField(default=False)

    def __str__(self):
        return f"Report on {self.comment_id}: {self.reason}"


class Subscription(models.Model):
    """An address following an article's comments, or the replies to one comment.

    Nothing is sent to it until the address confirms (double opt-in).
    """

    class Kind(models.TextChoices):
        ARTICLE = "article", _("New comments on the article")
        REPLIES = "replies", _("Replies to a comment")

    email = models.EmailField(max_length=254, db_index=True)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    article = models.ForeignKey(
        "news.ArticlePage", on_delete=models.CASCADE, related_name="+"
    )
    comment = models.ForeignKey(
        Comment,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="subscriptions",
    )
    created = models.DateTimeField(default=timezone.now)
    confirmation_sent = models.DateTimeField(null=True, blank=True)
    confirmed = models.DateTimeField(null=True, blank=True)
    ended = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["article", "kind"], name="subscription_article"),
        ]

    def __str__(self):
        target = f"comment {self.comment_id}" if self.comment_id else "article"
        return f"{self.email} → {target} on {self.article_id}"

    @property
    def active(self):
        return self.confirmed is not None and self.ended is None


class Delivery(models.Model):
    """One notification for one subscription and comment: recorded before sending,
    so a retried task never mails the same thing twice."""

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="+")
    created = models.DateTimeField(default=timezone.now)
    sent = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "comment"], name="one_delivery_each"
            )
        ]

    def __str__(self):
        return f"{self.subscription_id} ← {self.comment_id}"


class ModeratorAlert(models.Model):
    """One mail to one moderator about held comments, in one window of
    COMMENTS_ALERT_MINUTES: unique per address and window, so a flood of held
    comments is one mail, not one each. Recorded before sending and marked
    after, as a Delivery is; `comments` are those it told of for the first time."""

    email = models.EmailField()
    window = models.DateTimeField()
    comments = models.ManyToManyField(Comment, related_name="moderator_alerts")
    created = models.DateTimeField(default=timezone.now)
    sent = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["email", "window"], name="one_moderator_alert_per_window"
            )
        ]

    def __str__(self):
        return f"{self.email} at {self.window:%Y-%m-%d %H:%M}"
