"""How article fields look in the read API."""

from rest_framework import serializers
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
