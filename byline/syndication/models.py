from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


@register_setting(icon="rss")
class FeedSettings(BaseSiteSetting):
    """How much of each article the feeds carry."""

    full_text = models.BooleanField(
        "Full text in feeds",
        default=True,
        help_text="Put the whole article in content:encoded, not only the standfirst.",
    )
    items = models.PositiveSmallIntegerField(
        "Items per feed", default=30, help_text="Newest articles in each feed."
    )
    publication_name = models.CharField(
        max_length=120,
        blank=True,
        help_text="Name in Google News sitemaps; the site name when empty.",
    )

    panels = [
        FieldPanel("full_text"),
        FieldPanel("items"),
        FieldPanel("publication_name"),
    ]

    class Meta:
        verbose_name = "Feed settings"
