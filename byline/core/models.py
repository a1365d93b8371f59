"""Site-wide settings and the plain content page used for About and policies."""

from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from byline.core.privacy import CachedViewRestrictions
from byline.core.slugs import SlugFromTitle

RICH_TEXT_FEATURES = [
    "h2",
    "h3",
    "bold",
    "italic",
    "link",
    "ol",
    "ul",
    "blockquote",
    # Pictures in the text (Wagtail image embeds), as imported from WordPress.
    "image",
]


POLICY_FIELDS = [
    "ethics_page",
    "corrections_page",
    "feedback_page",
    "ownership_page",
    "diversity_page",
    "fact_checking_page",
    "unnamed_sources_page",
    "masthead_page",
]


def _policy_page(verbose_name, help_text):
    return models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=verbose_name,
        help_text=help_text,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    """What the header and footer say about the newsroom, editable in the admin."""

    tagline = models.CharField(
        max_length=160, blank=True, help_text="Shown under the site name."
    )
    about_blurb = models.TextField(
        blank=True,
        help_text="A few sentences about the newsroom, shown in every page footer.",
    )
    facebook_url = models.URLField("Facebook", blank=True)
    x_url = models.URLField("X (Twitter)", blank=True)
    instagram_url = models.URLField("Instagram", blank=True)
    youtube_url = models.URLField("YouTube", blank=True)
    linkedin_url = models.URLField("LinkedIn", blank=True)
    mastodon_url = models.URLField("Mastodon", blank=True)
    bluesky_url = models.URLField("Bluesky", blank=True)

    # The Trust Project's "best practices" and "diverse voices" indicators, and
    # what schema.org's NewsMediaOrganization publishes: one page for each.
    ethics_page = _policy_page("Ethics policy", "Standards and ethics.")
    corrections_page = _policy_page(
        "Corrections policy", "How we correct mistakes and label updates."
    )
    feedback_page = _policy_page(
        "Feedback and corrections requests",
        "How readers reach the newsroom and ask for a correction.",
    )
    ownership_page = _policy_page(
        "Ownership and funding", "Who owns the newsroom and who pays for it."
    )
    diversity_page = _policy_page(
        "Diverse voices", "How the newsroom seeks out diverse sources and staff."
    )
    fact_checking_page = _policy_page(
        "Verification and fact-checking", "How claims are checked before publishing."
    )
    unnamed_sources_page = _policy_page(
        "Unnamed sources", "When anonymity is granted, and how it is explained."
    )
    masthead_page = _policy_page("Masthead", "Who runs the newsroom.")

    panels = [
        MultiFieldPanel([FieldPanel("tagline"), FieldPanel("about_blurb")], "About"),
        MultiFieldPanel(
            [
                FieldPanel("facebook_url"),
                FieldPanel("x_url"),
                FieldPanel("instagram_url"),
                FieldPanel("youtube_url"),
                FieldPanel("linkedin_url"),
                FieldPanel("mastodon_url"),
                FieldPanel("bluesky_url"),
            ],
            "Connect with us",
        ),
        MultiFieldPanel(
            [FieldPanel(name) for name in POLICY_FIELDS],
            "Standards (trust indicators)",
            help_text=(
                "Pages shown with every article and announced to search engines "
                "in its structured data."
            ),
        ),
    ]

    class Meta:
        verbose_name = "Site settings"

    def social_links(self):
        """Return (label, url) pairs for the profiles that are filled in."""
        fields = [
            ("Facebook", self.facebook_url),
            ("X", self.x_url),
            ("Instagram", self.instagram_url),
            ("YouTube", self.youtube_url),
            ("LinkedIn", self.linkedin_url),
            ("Mastodon", self.mastodon_url),
            ("Bluesky", self.bluesky_url),
        ]
        return [(label, url) for label, url in fields if url]


class StandardPage(SlugFromTitle, CachedViewRestrictions, Page):
    """An editable page such as About, Ethics, Corrections or Feedback."""

    intro = models.TextField(blank=True, max_length=500)
    body = RichTextField(features=RICH_TEXT_FEATURES, blank=True)
    show_in_footer = models.BooleanField(
        default=True, help_text="List this page in the footer of every page."
    )
    show_newsletter_signup = models.BooleanField(
        default=False, help_text="Show the newsletter sign-up form (as on About)."
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    promote_panels = [
        *Page.promote_panels,
        FieldPanel("show_in_footer"),
        FieldPanel("show_newsletter_signup"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
    ]
    subpage_types = []

    class Meta:
        verbose_name = "Standard page"


class RateCounter(models.Model):
    """One rate-limit counter for one window (`byline.core.counters`).

    The key names a scope, a keyed hash of what is counted (an address, never
    the address itself) and the window; the row is useless once `expires` has
    passed and is deleted by a later count.
    """

    key = models.CharField(max_length=200, primary_key=True)
    count = models.PositiveIntegerField(default=0)
    expires = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"{self.key} = {self.count}"
