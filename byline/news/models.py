"""The newsroom's content: home, sections, articles, authors and tags."""

import math

from django.db import models
from django.urls import reverse
from django.utils import timezone
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.images.api.fields import ImageRenditionField
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from byline.core.models import RICH_TEXT_FEATURES
from byline.core.pageurls import FastPageUrls
from byline.core.prepared import Prepared, first
from byline.core.privacy import CachedViewRestrictions
from byline.core.text import html_to_text
from byline.core.tree import subtree
from byline.news import api_fields as api_serializers
from byline.news import listings
from byline.pagecache import tags as cache_tags
from byline.pagecache.pages import cache_listing, cache_page

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

    NEWS = "news", "News"
    ANALYSIS = "analysis", "Analysis"
    OPINION = "opinion", "Opinion"
    EXPLAINER = "explainer", "Explainer"
    SPONSORED = "sponsored", "Sponsored"


class HomePage(FastPageUrls, CachedViewRestrictions, Page):
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
        # An article's address is its section's slug and its own: one query
        # fetches it with its section, when the section is its parent in the
        # tree (as Wagtail's walk would find it).
        if len(path_components) == 2:
            low, high = subtree(self.path)
            article = first(
                ARTICLE_BY_SECTION_AND_SLUG(
                    low=low,
                    high=high,
                    depth=self.depth + 2,
                    section=path_components[0],
                    slug=path_components[1],
                )
            )
            parent_path = article.path[: -self.steplen] if article else None
            if article is not None and article.section.path == parent_path:
                article.section._cached_parent_obj = self
                article._cached_parent_obj = article.section
                return article.route(request, [])
        # Fetch a section as its specific class in one query instead of Wagtail's
        # generic child look-up followed by `.specific`.
        if path_components:
            low, high = subtree(self.path)
            section = first(
                SECTION_BY_SLUG(
                    low=low, high=high, depth=self.depth + 1, slug=path_components[0]
                )
            )
            if section is not None:
                section._cached_parent_obj = self
                return section.route(request, path_components[1:])
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(listings.front_page(self, request))
        return context

    def serve(self, request, *args, **kwargs):
        cache_page(
            request, cache_tags.SITE, cache_tags.page(self.pk), cache_tags.home_list()
        )
        return super().serve(request, *args, **kwargs)


class SectionPage(FastPageUrls, CachedViewRestrictions, Page):
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
        # One query fetches the article with what its page shows beside it.
        if len(path_components) == 1:
            low, high = subtree(self.path)
            article = first(
                ARTICLE_BY_SLUG(
                    low=low, high=high, depth=self.depth + 1, slug=path_components[0]
                )
            )
            if article is not None:
                article._cached_parent_obj = self
                article.section = (
                    self if article.section_id == self.pk else article.section
                )
                return article.route(request, [])
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["page_obj"] = listings.section_listing(self, request)
        return context

    def serve(self, request, *args, **kwargs):
        cache_listing(
            request, cache_tags.page(self.pk), cache_tags.section_list(self.pk)
        )
        return super().serve(request, *args, **kwargs)


@register_snippet
class Author(index.Indexed, ClusterableModel):
    """A journalist, with the public profile their byline links to."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    role = models.CharField(
        max_length=120, blank=True, help_text="e.g. Diplomatic editor"
    )
    photo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    bio = RichTextField(features=["bold", "italic", "link"], blank=True)
    expertise = models.CharField(
        "Areas of expertise",
        max_length=255,
        blank=True,
        help_text="Comma-separated, e.g. China, Russia, Energy",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("role"),
        FieldPanel("photo"),
        FieldPanel("bio"),
        FieldPanel("expertise"),
        InlinePanel("links", label="Links"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("author", kwargs={"slug": self.slug})

    @property
    def expertise_list(self):
        return [area.strip() for area in self.expertise.split(",") if area.strip()]


class AuthorLink(Orderable):
    """A public profile or contact page of an author."""

    author = ParentalKey(Author, on_delete=models.CASCADE, related_name="links")
    label = models.CharField(max_length=60)
    url = models.URLField()

    panels = [FieldPanel("label"), FieldPanel("url")]

    def __str__(self):
        return self.label


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


class ArticlePage(FastPageUrls, CachedViewRestrictions, Page):
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
        *Page.content_panels,
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
        FieldRowPanel([FieldPanel("published_at"), FieldPanel("updated_at")]),
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
    # What the read API at /api/v2/articles/ shows (byline.api adds related ids
    # and the provenance address, which belong to other apps).
    api_fields = [
        APIField("standfirst"),
        APIField("body", serializer=api_serializers.RichTextHTML()),
        APIField("section", serializer=api_serializers.SectionSummary()),
        APIField("authors", serializer=api_serializers.Authors(source="*")),
        APIField("tags", serializer=api_serializers.TagNames(source="*")),
        APIField("type_of_work"),
        APIField("dateline"),
        APIField("sources", serializer=api_serializers.Sources()),
        APIField("methods"),
        APIField("published_at"),
        APIField("updated_at"),
        APIField(
            "hero", serializer=ImageRenditionField("width-960", source="hero_image")
        ),
        APIField("hero_caption"),
        APIField("hero_credit"),
        APIField("comment_count"),
    ]
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
        context["authors"] = listings.authors_of(self)
        context["article_tags"] = listings.tags_of(self)
        return context

    def serve(self, request, *args, **kwargs):
        # Related articles add their own tags as the page renders.
        cache_page(request, cache_tags.SITE, cache_tags.page(self.pk))
        return super().serve(request, *args, **kwargs)


# Serving a page finds it among its parent's children by slug: the same two
# queries for every article a reader opens, compiled once.
SECTION_BY_SLUG = Prepared(
    lambda p: SectionPage.objects.filter(
        path__range=(p.low, p.high), depth=p.depth, slug=p.slug
    )[:1]
)
ARTICLE_BY_SECTION_AND_SLUG = Prepared(
    lambda p: ArticlePage.objects.filter(
        path__range=(p.low, p.high),
        depth=p.depth,
        slug=p.slug,
        section__slug=p.section,
    ).select_related("section", "hero_image")[:1]
)
ARTICLE_BY_SLUG = Prepared(
    lambda p: ArticlePage.objects.filter(
        path__range=(p.low, p.high), depth=p.depth, slug=p.slug
    ).select_related("hero_image")[:1]
)


class ArticleAuthor(Orderable):
    """An author on an article's byline, in the order editors set."""

    page = ParentalKey(
        ArticlePage, on_delete=models.CASCADE, related_name="article_authors"
    )
    author = models.ForeignKey(
        Author, on_delete=models.CASCADE, related_name="article_links"
    )

    panels = [FieldPanel("author")]
