"""The newsroom's content: home, sections, articles, authors and tags.

The page models live here; authors in `authors.py` (imported below, so every
model of the app is found in this module); how a URL finds its page in
`routing.py`; what the read API shows in `api_fields.py`.
"""

import math

from django.db import models
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail import blocks
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    TitleFieldPanel,
)
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from byline.core.models import RICH_TEXT_FEATURES
from byline.core.privacy import CachedViewRestrictions
from byline.core.slugs import SlugFromTitle
from byline.core.text import direction, html_to_text
from byline.news.api_fields import ARTICLE_API_FIELDS
from byline.news.authors import Author, AuthorLink  # noqa: F401 (one module)
from byline.news.widgets import HeadlineWidget

WORDS_PER_MINUTE = 230


# How reader comments are moderated; blank means "as the level above says"
# (article → section → the site's comment settings).
COMMENT_MODERATION_CHOICES = [
    ("", "As the section or site settings say"),
    ("all", "Hold every comment for review"),
    ("first", "Hold commenters until they have enough approved comments"),
    ("none", "Publish immediately"),
]


def comment_moderation_field():
    return models.CharField(
        "Comment moderation",
        max_length=5,
        blank=True,
        choices=COMMENT_MODERATION_CHOICES,
    )


class TypeOfWork(models.TextChoices):
    """What kind of journalism a piece is, labelled on the page (trust signal)."""

    NEWS = "news", _("News")
    ANALYSIS = "analysis", _("Analysis")
    OPINION = "opinion", _("Opinion")
    EXPLAINER = "explainer", _("Explainer")
    SPONSORED = "sponsored", _("Sponsored")


class HomePage(SlugFromTitle, CachedViewRestrictions, Page):
    """The front page: a top story, the latest articles and a block per section."""

    intro = models.TextField(blank=True, max_length=300)
    top_story = models.ForeignKey(
        "news.ArticlePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Pin an article as the top story; otherwise the newest leads.",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("top_story"),
    ]
    subpage_types = ["news.SectionPage", "core.StandardPage"]
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = "Home page"

    def route(self, request, path_components):
        # An article or a section in one query each (`routing`), else Wagtail's walk.
        article = routing.article_under_home(self, path_components)
        if article is not None:
            return article.route(request, [])
        section = routing.section_under_home(self, path_components)
        if section is not None:
            return section.route(request, path_components[1:])
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(listings.front_page(self, request))
        return context


class SectionPage(SlugFromTitle, CachedViewRestrictions, Page):
    """A section such as Politics or World, listing its articles newest first."""

    intro = models.TextField(blank=True, max_length=300)
    comment_moderation = comment_moderation_field()

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    settings_panels = [*Page.settings_panels, FieldPanel("comment_moderation")]
    subpage_types = ["news.ArticlePage"]
    parent_page_types = ["news.HomePage"]

    class Meta:
        verbose_name = "Section"

    def route(self, request, path_components):
        # The article with what its page shows beside it, in one query (`routing`).
        article = routing.article_in_section(self, path_components)
        if article is not None:
            return article.route(request, [])
        return super().route(request, path_components)

    def serve(self, request, *args, **kwargs):
        # Old deep `?page=N` links and gone `?before=` articles (news.keyset).
        if moved := listings.moved_page(listings.section_articles(self), request):
            return moved
        try:
            return super().serve(request, *args, **kwargs)
        except keyset.GoneCursor:
            return redirect(request.path)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["page_obj"] = listings.section_listing(self, request)
        return context


class ArticleTag(TaggedItemBase):
    content_object = ParentalKey(
        "news.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class SourceBlock(blocks.StructBlock):
    """A document, dataset or report the article relies on."""

    title = blocks.CharBlock(max_length=255)
    publisher = blocks.CharBlock(max_length=120, required=False)
    url = blocks.URLBlock(required=False)

    class Meta:
        icon = "link"


class ArticlePage(SlugFromTitle, CachedViewRestrictions, Page):
    """A piece of journalism: the page every other feature of Byline serves."""

    standfirst = models.TextField(
        max_length=400, help_text="One or two sentences under the headline."
    )
    body = RichTextField(features=RICH_TEXT_FEATURES)
    type_of_work = models.CharField(
        max_length=20, choices=TypeOfWork.choices, default=TypeOfWork.NEWS
    )
    dateline = models.CharField(
        max_length=80,
        blank=True,
        help_text="Where the story was reported, e.g. BEIJING",
    )
    tags = ClusterTaggableManager(through=ArticleTag, blank=True)
    sources = StreamField([("source", SourceBlock())], blank=True)
    methods = models.TextField(
        "How we reported this",
        blank=True,
        help_text=(
            "For readers: who the reporters spoke to, what documents they read, "
            "where they were, what they could not confirm."
        ),
    )
    published_at = models.DateTimeField(
        "First published",
        null=True,
        blank=True,
        help_text="Filled in on first publication; set it only for archive imports.",
    )
    updated_at = models.DateTimeField(
        "Last updated",
        null=True,
        blank=True,
        help_text="Set when the story changes materially after publication.",
    )
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The hero image as listings show it (byline.news.cards), stored when the
    # article is published, as RelatedLink.thumbnail is: cards read them as
    # columns of their row instead of asking Wagtail per image.
    card_rendition = models.ForeignKey(
        "wagtailimages.Rendition",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    lead_rendition = models.ForeignKey(
        "wagtailimages.Rendition",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hero_caption = models.CharField(max_length=255, blank=True)
    hero_credit = models.CharField(max_length=120, blank=True)
    # Denormalised from the tree so listings filter on an indexed column
    # instead of a path prefix joined to the page table.
    section = models.ForeignKey(
        SectionPage,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="articles",
    )
    source_id = models.CharField(
        max_length=255,
        null=True,
        blank=True,
        unique=True,
        editable=False,
        help_text="Identifier in the corpus or site this article was imported from.",
    )
    word_count = models.PositiveIntegerField(default=0, editable=False)
    comments_closed = models.BooleanField(
        default=False, help_text="Readers can read but no longer add comments."
    )
    comment_moderation = comment_moderation_field()
    # Approved reader comments, kept by the comments app for cards and the byline.
    comment_count = models.PositiveIntegerField(default=0, editable=False)

    content_panels = [
        TitleFieldPanel(
            "title",
            heading="Headline",
            placeholder="Headline*",
            help_text="As readers see it above the article, in lists and when "
            "shared. It wraps here as it will on the page.",
            widget=HeadlineWidget,
        ),
        FieldPanel("standfirst"),
        FieldRowPanel([FieldPanel("type_of_work"), FieldPanel("dateline")]),
        InlinePanel("article_authors", label="Authors", min_num=1),
        FieldPanel("tags"),
        MultiFieldPanel(
            [
                FieldPanel("hero_image"),
                FieldPanel("hero_caption"),
                FieldPanel("hero_credit"),
            ],
            "Hero image",
        ),
        FieldPanel("body"),
        FieldPanel("sources"),
        FieldPanel("methods"),
        FieldRowPanel(
            [
                FieldPanel("published_at"),
                FieldPanel(
                    "updated_at",
                    help_text="Set for you when a correction or update note is "
                    "published with the article.",
                ),
            ]
        ),
    ]
    settings_panels = [
        *Page.settings_panels,
        MultiFieldPanel(
            [FieldPanel("comments_closed"), FieldPanel("comment_moderation")],
            "Reader comments",
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("standfirst"),
        index.SearchField("search_text"),
        index.FilterField("section"),
        index.FilterField("type_of_work"),
        index.FilterField("published_at"),
        index.RelatedFields("article_authors", [index.FilterField("author_id")]),
    ]
    # What the read API at /api/v2/articles/ shows, and how (`api_fields.py`).
    api_fields = ARTICLE_API_FIELDS
    parent_page_types = ["news.SectionPage"]
    subpage_types = []

    class Meta:
        verbose_name = "Article"
        indexes = [
            models.Index(
                fields=["section", "-published_at"], name="article_section_date"
            ),
            models.Index(fields=["-published_at"], name="article_date"),
        ]

    def save(self, *args, **kwargs):
        if self.section_id is None and self.path:
            self.section = self._section_from_tree()
        if self.live and self.published_at is None:
            self.published_at = self.first_published_at or timezone.now()
        self.word_count = len(self.search_text().split())
        return super().save(*args, **kwargs)

    def search_text(self):
        """Return the body as plain text for the search index and word counts."""
        cached = self.__dict__.get("_search_text")
        if cached is None or cached[0] != self.body:
            cached = (self.body, html_to_text(self.body))
            self.__dict__["_search_text"] = cached
        return cached[1]

    def set_search_text(self, text):
        """Provide the plain text of the current body when the caller already has it."""
        self.__dict__["_search_text"] = (self.body, text)

    def _section_from_tree(self):
        parent_path = self.path[: -self.steplen]
        return SectionPage.objects.filter(path=parent_path).first()

    @property
    def headline(self):
        return self.title

    @property
    def text_direction(self):
        """The direction the article is written in, from its headline: an
        Arabic story on an English site reads right to left."""
        return direction(self.title)

    @property
    def reading_minutes(self):
        return max(1, math.ceil(self.word_count / WORDS_PER_MINUTE))

    @property
    def was_updated(self):
        return bool(
            self.updated_at
            and self.published_at
            and self.updated_at > self.published_at
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Read only if a part showing them is rendered, not when kept parts are
        # read back (byline/core/fragments.py).
        context["authors"] = listings.ReadOnUse(listings.authors_of, self)
        context["article_tags"] = listings.ReadOnUse(listings.tags_of, self)
        return context


class ArticleAuthor(Orderable):
    """An author on an article's byline, in the order editors set."""

    page = ParentalKey(
        ArticlePage, on_delete=models.CASCADE, related_name="article_authors"
    )
    author = models.ForeignKey(
        Author, on_delete=models.CASCADE, related_name="article_links"
    )

    panels = [FieldPanel("author")]


# Routing and listings read these models (through statements), and the models'
# route() and get_context() call them: imported last, once every model above is
# defined.
from byline.news import keyset, listings, routing  # noqa: E402
