"""Signed publication records, the keys that signed them, and correction notes.

Records and published corrections are append-only: the model refuses to update
or delete a row, the queryset refuses bulk updates and deletes, and a database
trigger (migration 0002) refuses UPDATE statements from anywhere else.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel
from wagtail.models import Orderable

from byline.provenance.jws import parts


class AppendOnlyError(Exception):
    """A provenance row was about to be changed or removed."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model.__name__} rows are never updated")

    def delete(self):
        raise AppendOnlyError(f"{self.model.__name__} rows are never deleted")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError(f"{self.model.__name__} rows are never updated")

    def update_or_create(self, *args, **kwargs):
        raise AppendOnlyError(f"{self.model.__name__} rows are never updated")


class AppendOnly(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(f"{type(self).__name__} rows are never updated")
        kwargs["force_insert"] = True
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{type(self).__name__} rows are never deleted")


class SigningKey(models.Model):
    """A public key that signed records between `valid_from` and `valid_until`.

    Only the public half is stored; the private key lives in a file (see keys.py).
    """

    kid = models.CharField(max_length=64, unique=True)
    public_jwk = models.JSONField()
    valid_from = models.DateTimeField()
    valid_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["valid_from"]

    def __str__(self):
        return self.kid

    def as_jwk(self):
        jwk = {**self.public_jwk, "kid": self.kid, "alg": "EdDSA", "use": "sig"}
        jwk["valid_from"] = self.valid_from.isoformat()
        jwk["valid_until"] = self.valid_until.isoformat() if self.valid_until else None
        return jwk


class Event(models.TextChoices):
    PUBLISHED = "published", "Published"
    UNPUBLISHED = "unpublished", "Unpublished"


class ProvenanceRecord(AppendOnly):
    """One signed entry of the site-wide log: an article published or withdrawn.

    `page_id` is a plain number, not a foreign key: the record outlives the page.
    `content` keeps the canonical text that was hashed, so readers can see what
    changed between revisions even after old page revisions are purged.
    """

    seq = models.PositiveBigIntegerField(unique=True)
    page_id = models.PositiveIntegerField(db_index=True)
    revision_id = models.PositiveIntegerField(null=True, blank=True)
    event = models.CharField(max_length=12, choices=Event.choices)
    jws = models.TextField()
    token_hash = models.CharField(max_length=64)
    kid = models.CharField(max_length=64)
    content = models.TextField(blank=True)
    signed_at = models.DateTimeField()

    class Meta:
        ordering = ["seq"]
        indexes = [models.Index(fields=["page_id", "seq"], name="record_page_seq")]

    def __str__(self):
        return f"#{self.seq} {self.event} page {self.page_id}"

    @property
    def payload(self):
        return parts(self.jws)[1]


class PublishedCorrection(AppendOnly):
    """A correction note as it was signed into a record: shown under the article
    and on the site-wide corrections page, never edited afterwards."""

    seq = models.PositiveBigIntegerField(db_index=True)
    page_id = models.PositiveIntegerField(db_index=True)
    kind = models.CharField(max_length=16)
    note = models.TextField()
    headline = models.CharField(max_length=255)
    url = models.URLField(max_length=500)
    signed_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-signed_at", "-seq"]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.headline}"

    def get_kind_display(self):
        return dict(CorrectionKind.choices).get(self.kind, self.kind.capitalize())


class CorrectionKind(models.TextChoices):
    CORRECTION = "correction", _("Correction")
    CLARIFICATION = "clarification", _("Clarification")
    UPDATE = "update", _("Update")


class CorrectionNote(Orderable):
    """A note an editor adds to an article before republishing it.

    It lives in the article's revisions like any other field; when the revision
    is published the note is signed into the record and becomes a
    PublishedCorrection, dated by that record.
    """

    page = ParentalKey(
        "news.ArticlePage", on_delete=models.CASCADE, related_name="correction_notes"
    )
    kind = models.CharField(
        max_length=16, choices=CorrectionKind.choices, default=CorrectionKind.CORRECTION
    )
    note = models.TextField(
        help_text="What was wrong and what is right now, in a sentence or two."
    )

    panels = [FieldPanel("kind"), FieldPanel("note")]

    def __str__(self):
        return self.note[:60]


class CorrectionAlert(models.Model):
    """A reader's request to be told when an article is corrected or updated.

    Nothing is sent until the address confirms (double opt-in).
    """

    email = models.EmailField(max_length=254, db_index=True)
    article = models.ForeignKey(
        "news.ArticlePage", on_delete=models.CASCADE, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    confirmation_sent = models.DateTimeField(null=True, blank=True)
    confirmed = models.DateTimeField(null=True, blank=True)
    ended = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["article", "ended"], name="alert_article")]

    def __str__(self):
        return f"{self.email} → corrections to {self.article_id}"

    @property
    def active(self):
        return self.confirmed is not None and self.ended is None


class AlertDelivery(models.Model):
    """One alert mail for one signed record: the row exists before the mail is
    sent, so a worker that restarts never mails the same update twice."""

    alert = models.ForeignKey(CorrectionAlert, on_delete=models.CASCADE)
    seq = models.PositiveBigIntegerField()
    sent = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["alert", "seq"], name="one_alert_per_record"
            )
        ]

    def __str__(self):
        return f"alert {self.alert_id} for record {self.seq}"
