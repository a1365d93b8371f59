"""Authors: the journalists whose bylines link to their public profiles.

Models of the news app, kept apart from the pages in `models.py` (which imports
them, so `byline.news.models.Author` is where Django and callers find them).
"""

from django.db import models
from django.urls import reverse
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable
from wagtail.search import index


class Author(index.Indexed, ClusterableModel):
    """A journalist, with the public profile their byline links to."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True, allow_unicode=True)
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
