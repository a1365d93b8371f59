"""RSS 2.0 and Atom feeds of the latest articles, per section, tag and author.

Built on Django's syndication framework. `/feed/` is WordPress's address, so
readers of a migrated site keep their subscriptions.
"""

import copy
import mimetypes

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.encoding import escape_uri_path
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from taggit.models import Tag
from wagtail.models import Site
from wagtail.rich_text import expand_db_html

from byline.core import cachetags as cache_tags
from byline.core.addresses import absolute
from byline.core.cacheable import cache_page
from byline.core.privacy import public
from byline.news import listings
from byline.news.models import Author, SectionPage
from byline.syndication.models import FeedSettings

RENDITION = "fill-960x540"


class ContentEncodedFeed(Rss201rev2Feed):
    """RSS 2.0 with the full article in content:encoded (the WordPress shape)."""

    def rss_attributes(self):
        attributes = super().rss_attributes()
        attributes["xmlns:content"] = "http://purl.org/rss/1.0/modules/content/"
        attributes["xmlns:dc"] = "http://purl.org/dc/elements/1.1/"
        return attributes

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content_encoded"):
            handler.addQuickElement("content:encoded", item["content_encoded"])


class LatestArticles(Feed):
    feed_type = ContentEncodedFeed
    description_template = None

    def __call__(self, request, *args, **kwargs):
        # The URLconf holds one instance for every request, and a gthread worker
        # serves several at once: what this request is about goes on a copy.
        feed = copy.copy(self)
        feed.request = request
        feed.site = Site.find_for_request(request)
        feed.settings = FeedSettings.for_request(request)
        return Feed.__call__(feed, request, *args, **kwargs)

    def get_feed(self, obj, request):
        cache_page(request, cache_tags.SITE, *self.cache_tags(obj))
        return super().get_feed(obj, request)

    def cache_tags(self, obj):
        return [cache_tags.home_list()]

    # What the feed is about -------------------------------------------------
    def get_object(self, request, *args, **kwargs):
        return None

    def title(self, obj):
        name = self.site.site_name if self.site else "Byline"
        return f"{name}: {self.subject(obj)}" if obj else name

    def subject(self, obj):
        return ""

    # Django's framework puts the request's Host in front of any address that
    # is not absolute, so every address is made absolute from the site here.
    def link(self, obj):
        return absolute(self.page_path(obj), self.request)

    def page_path(self, obj):
        return "/"

    def feed_url(self, obj):
        return absolute(escape_uri_path(self.request.path), self.request)

    def description(self, obj):
        return f"The latest articles from {self.title(obj)}"

    def articles(self, obj):
        return listings.published_articles()

    def items(self, obj):
        return list(
            self.articles(obj)
            .defer(None)
            .prefetch_related("article_authors__author", "tags")[: self.settings.items]
        )

    # Each article -----------------------------------------------------------
    def item_title(self, item):
        return item.title

    def item_link(self, item):
        return item.get_full_url(self.request)

    def item_guid(self, item):
        # Stable across renames and moves: the page id, not the URL.
        return absolute(f"/?p={item.pk}", self.request)

    item_guid_is_permalink = False

    def item_description(self, item):
        return item.standfirst

    def item_pubdate(self, item):
        return item.published_at or item.first_published_at

    def item_updateddate(self, item):
        return item.updated_at or item.last_published_at

    def item_author_name(self, item):
        names = [link.author.name for link in item.article_authors.all()]
        return ", ".join(dict.fromkeys(names)) or None

    def item_categories(self, item):
        section = [item.section.title] if item.section else []
        return section + [tag.name for tag in item.tags.all()]

    def item_enclosures(self, item):
        if not item.hero_image:
            return []
        rendition = item.hero_image.get_rendition(RENDITION)
        url = absolute(rendition.url, self.request)
        try:
            size = rendition.file.size
        except OSError:  # a missing file must not break the feed
            size = 0
        # By the stored name: a signed link's query string hides the type.
        kind = mimetypes.guess_type(rendition.file.name)[0] or "image/jpeg"
        return [Enclosure(url, str(size), kind)]

    def item_extra_kwargs(self, item):
        if not self.settings.full_text:
            return {}
        return {"content_encoded": expand_db_html(item.body)}


class SectionArticles(LatestArticles):
    def get_object(self, request, section):
        section_page = public(SectionPage.objects.live()).filter(slug=section).first()
        if section_page is None:
            raise Http404("No such section.")
        return section_page

    def cache_tags(self, obj):
        return [cache_tags.section_list(obj.pk)]

    def subject(self, obj):
        return obj.title

    def page_path(self, obj):
        return obj.get_url(request=self.request)

    def articles(self, obj):
        return listings.published_articles().filter(section=obj)


class TagArticles(LatestArticles):
    def get_object(self, request, slug):
        tag = get_object_or_404(Tag, slug=slug)
        if not listings.published_articles().filter(tags=tag).exists():
            raise Http404("No published articles carry this tag.")
        return tag

    def cache_tags(self, obj):
        return [cache_tags.tag_list(obj.slug)]

    def subject(self, obj):
        return obj.name

    def page_path(self, obj):
        return reverse("tag", args=[obj.slug])

    def articles(self, obj):
        return listings.published_articles().filter(tags=obj)


class AuthorArticles(LatestArticles):
    def get_object(self, request, slug):
        return get_object_or_404(Author, slug=slug)

    def cache_tags(self, obj):
        return [cache_tags.author_list(obj.slug)]

    def subject(self, obj):
        return obj.name

    def page_path(self, obj):
        return obj.get_absolute_url()

    def articles(self, obj):
        return listings.published_articles().filter(article_authors__author=obj)


def atom(feed_class):
    """The Atom alternative of a feed (full text goes in Atom's own content)."""

    class AtomFeed(feed_class):
        feed_type = Atom1Feed
        subtitle = feed_class.description

        def item_extra_kwargs(self, item):
            return {}

    AtomFeed.__name__ = f"Atom{feed_class.__name__}"
    return AtomFeed
