"""Newsletter subscribers and the digests sent to them.

A subscriber receives nothing until the address is confirmed (double opt-in).
A digest is one (frequency, period) pair; a delivery row per subscriber exists
before the mail is sent, so running `send_digests` again sends nothing twice.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


class Frequency(models.TextChoices):
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")


@register_setting(icon="mail")
class NewsletterSettings(BaseSiteSetting):
    enabled = models.BooleanField(
        default=True, help_text="Show the sign-up form in the footer and on About."
    )
    pitch = models.CharField(
        max_length=200,
        default="The day's reporting in your inbox, nothing else.",
        help_text="One sentence above the sign-up form.",
    )

    panels = [FieldPanel("enabled"), FieldPanel("pitch")]

    class Meta:
        verbose_name = "Newsletter"


class Subscriber(models.Model):
    email = models.EmailField(max_length=254, unique=True)
    frequency = models.CharField(
        max_length=6, choices=Frequency.choices, default=Frequency.DAILY
    )
    sections = models.ManyToManyField(
        "news.SectionPage",
        blank=True,
        related_name="+",
        help_text="Only these sections; none means every section.",
    )
    created = models.DateTimeField(auto_now_add=True)
    confirmation_sent = models.DateTimeField(null=True, blank=True)
    confirmed = models.DateTimeField(null=True, blank=True)
    unsubscribed = models.DateTimeField(null=True, blank=True)

    panels = [
        FieldPanel("email"),
        FieldPanel("frequency"),
        FieldPanel("sections"),
        FieldPanel("confirmed"),
        FieldPanel("unsubscribed"),
    ]

    class Meta:
        ordering = ["-created"]

    def __str__(self):
        return self.email

    @property
    def active(self):
        return self.confirmed is not None and self.unsubscribed is None

    @property
    def status(self):
        if self.unsubscribed:
            return "unsubscribed"
        return "active" if self.confirmed else "awaiting confirmation"


class Digest(models.Model):
    frequency = models.CharField(max_length=6, choices=Frequency.choices)
    period_start = models.DateTimeField()
    period_end = models.DateTimeField()
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["frequency", "period_end"], name="one_digest_per_period"
            )
        ]

    def __str__(self):
        return f"{self.get_frequency_display()} digest to {self.period_end:%Y-%m-%d}"


class DigestDelivery(models.Model):
    digest = models.ForeignKey(Digest, on_delete=models.CASCADE)
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE)
    sent = models.DateTimeField(null=True, blank=True)
    articles = models.PositiveIntegerField(default=0)
    # The task that will send it, so a second run does not queue it again
    # while it waits for a worker (a failed or lost task is queued again).
    task_id = models.CharField(max_length=64, blank=True)
    queued = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["digest", "subscriber"], name="one_delivery_per_subscriber"
            )
        ]

    def __str__(self):
        return f"{self.digest} → {self.subscriber}"
