"""Which article fields the read API shows, and how they look."""

from rest_framework import serializers
from wagtail.api import APIField
from wagtail.images.api.fields import ImageRenditionField
from wagtail.rich_text import expand_db_html


class RichTextHTML(serializers.Field):
    """Rich text as the HTML readers see (internal links and images resolved)."""

    def to_representation(self, value):
        return expand_db_html(value or "")


class SectionSummary(serializers.Field):
    def to_representation(self, section):
        if section is None:
            return None
        return {
            "id": section.pk,
            "title": section.title,
            "slug": section.slug,
            "url": section.url,
        }


class Authors(serializers.Field):
    """The byline, in order, from the prefetched author links."""

    def to_representation(self, article):
        seen, authors = set(), []
        for link in article.article_authors.all():
            author = link.author
            if author.pk in seen:
                continue
            seen.add(author.pk)
            authors.append(
                {
                    "id": author.pk,
                    "name": author.name,
                    "slug": author.slug,
                    "role": author.role,
                    "url": author.get_absolute_url(),
                }
            )
        return authors


class TagNames(serializers.Field):
    def to_representation(self, article):
        return [{"name": tag.name, "slug": tag.slug} for tag in article.tags.all()]


class Sources(serializers.Field):
    def to_representation(self, sources):
        return [
            {
                "title": block.value.get("title", ""),
                "publisher": block.value.get("publisher", ""),
                "url": block.value.get("url", ""),
            }
            for block in sources
        ]


# What the read API at /api/v2/articles/ shows of an article (`ArticlePage.api_fields`;
# byline.api adds related ids and the provenance address, which belong to other apps).
ARTICLE_API_FIELDS = [
    APIField("standfirst"),
    APIField("body", serializer=RichTextHTML()),
    APIField("section", serializer=SectionSummary()),
    APIField("authors", serializer=Authors(source="*")),
    APIField("tags", serializer=TagNames(source="*")),
    APIField("type_of_work"),
    APIField("dateline"),
    APIField("sources", serializer=Sources()),
    APIField("methods"),
    APIField("published_at"),
    APIField("updated_at"),
    APIField("hero", serializer=ImageRenditionField("width-960", source="hero_image")),
    APIField("hero_caption"),
    APIField("hero_credit"),
    APIField("comment_count"),
]
