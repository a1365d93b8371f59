"""The read API: published, public articles, filterable and paginated.

Built on Wagtail's API v2. Only articles are exposed: no drafts, no private
pages, nothing about readers (comment authors' addresses live in another app and
never reach these serializers).
"""

import re

from django.http import Http404
from rest_framework import serializers
from wagtail.api.v2.filters import OrderingFilter
from wagtail.api.v2.pagination import WagtailPagination
from wagtail.api.v2.serializers import PageSerializer
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet

from byline.api import articles
from byline.core.params import MAX_ID
from byline.core.slugs import slug_regex
from byline.news.models import ArticlePage
from byline.related.showing import related_ids

# A slug in any script, marks included (core/slugs.py).
SLUG = re.compile(slug_regex())


def _slug(request, name):
    """A slug parameter, refused with a reason if it cannot be one (a NUL byte
    would otherwise reach PostgreSQL, which refuses it with an error)."""
    value = request.GET.get(name)
    if value and not SLUG.fullmatch(value):
        raise BadRequestError(f"{name} must be a slug (letters, digits, - and _)")
    return value


class RelatedIds(serializers.Field):
    def to_representation(self, article):
        return related_ids(article.pk)


class ProvenanceURL(serializers.Field):
    def to_representation(self, article):
        return article.get_full_url(self.context["request"]) + "provenance.json"


class ArticleSerializer(PageSerializer):
    related = RelatedIds(source="*", read_only=True)
    provenance_url = ProvenanceURL(source="*", read_only=True)


class ArticleFilter:
    """`?section=`, `?tag=` and `?author=` by slug."""

    def filter_queryset(self, request, queryset, view):
        section = _slug(request, "section")
        tag = _slug(request, "tag")
        author = _slug(request, "author")
        if section:
            queryset = queryset.filter(section__slug=section)
        if tag:
            queryset = queryset.filter(tags__slug=tag)
        if author:
            queryset = queryset.filter(article_authors__author__slug=author)
        return queryset.distinct() if (tag or author) else queryset


class ArticlePagination(WagtailPagination):
    """Wagtail's offset pagination, with offsets the database can take: an
    offset past 2**63 - 1 made SQLite fail with "datatype mismatch" (a 500)."""

    def paginate_queryset(self, queryset, request, view=None):
        try:
            offset = int(request.GET.get("offset", 0))
        except ValueError:
            offset = 0  # Wagtail refuses it with its own reason
        if offset > MAX_ID // 2:
            raise BadRequestError(f"offset cannot be higher than {MAX_ID // 2}")
        return super().paginate_queryset(queryset, request, view)


class ArticlesAPIViewSet(PagesAPIViewSet):
    """/api/v2/articles/: what to show is in `articles.py`, how in the
    serializer, filter and pagination above."""

    name = "articles"
    model = ArticlePage
    base_serializer_class = ArticleSerializer
    filter_backends = [ArticleFilter, OrderingFilter]
    pagination_class = ArticlePagination
    known_query_parameters = articles.KNOWN_PARAMETERS
    body_fields = [*PagesAPIViewSet.body_fields, "related", "provenance_url"]
    listing_default_fields = [
        *PagesAPIViewSet.listing_default_fields,
        *("standfirst", "section", "authors", "published_at"),
    ]

    def get_queryset(self):
        return articles.site_articles(self.request)

    def check_query_parameters(self, queryset):
        articles.check_parameters(self.request.GET)

    def find_object(self, queryset, request):
        articles.check_id(request.GET)
        articles.check_path(request.GET)
        return super().find_object(queryset, request)

    def get_object(self):
        pk = self.kwargs.get("pk")
        if not isinstance(pk, int) or not 0 < pk <= MAX_ID:
            raise Http404("No article has this id.")
        return super().get_object()
