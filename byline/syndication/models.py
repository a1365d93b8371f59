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


class SitemapPart(models.Model):
    """What the sitemap index says of one part of a site's page sitemap, kept so
    that the index reads one row per part instead of every page row
    (`sitemap_parts.py`). The figures are those of the live public pages whose
    ids fall in the part's range; `version` counts the changes to those pages
    and `built` is the version the figures were computed at: a row whose two
    differ is stale and is computed again when next read."""

    root_path = models.CharField(
        max_length=255, help_text="Tree path of the site's root page."
    )
    size = models.PositiveIntegerField(help_text="SITEMAP_PART_SIZE of the part.")
    number = models.PositiveIntegerField()
    first_pk = models.PositiveIntegerField()
    last_pk = models.PositiveIntegerField()
    # Of the live public pages under the root: how many, the newest lastmod
    # (last publication, else latest revision) and whether any has no date.
    pages = models.PositiveIntegerField(default=0)
    newest = models.DateTimeField(null=True)
    undated = models.BooleanField(default=False)
    # Of every live public page of the part, on any site: the newest
    # publication (the stand-in date of undated pages is the newest of these).
    published = models.DateTimeField(null=True)
    version = models.PositiveIntegerField(default=1)
    built = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["root_path", "size", "number"], name="unique_sitemap_part"
            )
        ]

    def __str__(self):
        return f"{self.root_path or '(all)'} part {self.number} of {self.size}"
