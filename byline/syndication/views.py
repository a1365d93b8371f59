"""Google News sitemap, the sitemap index and robots.txt (the page sitemap is
in sitemaps.py). Every address in them is the configured site's (core/addresses.py):
Django's own index names the request's Host."""

from datetime import datetime, timedelta
from typing import NamedTuple

from django.contrib.sitemaps.views import SitemapIndexItem
from django.http import HttpResponse
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Site

from byline.core import cachetags as cache_tags
from byline.core.addresses import absolute
from byline.core.cacheable import cached_view
from byline.core.pageurls import WAGTAIL, full_links
from byline.news import listings
from byline.news.models import ArticlePage
from byline.syndication.models import FeedSettings

NEWS_WINDOW = timedelta(days=2)
NEWS_LIMIT = 1000  # Google News reads at most this many per sitemap


class NewsItem(NamedTuple):
    url: str
    title: str
    published_at: datetime


@cached_view(lambda request: [cache_tags.SITE, cache_tags.home_list()])
def news_sitemap(request):
    site = Site.find_for_request(request)
    settings = FeedSettings.for_request(request)
    name = settings.publication_name or (site.site_name if site else "") or "Byline"
    return render(
        request,
        "syndication/news_sitemap.xml",
        {"articles": news_articles(request), "publication": name},
        content_type="application/xml",
    )


def news_articles(request):
    """(full URL, title, publication time) of the articles of the last two
    days, newest first: one query on the publication date's index, as rows."""
    since = timezone.now() - NEWS_WINDOW
    rows = (
        listings.published()
        .filter(published_at__gte=since)
        .values_list("pk", "url_path", "title", "published_at")[:NEWS_LIMIT]
    )
    link = full_links(request)
    articles = []
    for pk, url_path, title, published_at in rows:
        location = link(url_path)
        if location is WAGTAIL:  # several sites hold the page: Wagtail picks
            location = ArticlePage.objects.get(pk=pk).get_full_url(request)
        articles.append(NewsItem(location, title, published_at))
    return articles


@cached_view(lambda request: [cache_tags.SITE])
def robots(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /django-admin/",
        "Disallow: /search/",
        "Disallow: /comments/",
        "",
        f"Sitemap: {absolute(reverse('sitemap'), request)}",
        f"Sitemap: {absolute(reverse('news_sitemap'), request)}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


def sitemap_index(request, sitemaps, sitemap_url_name):
    """The sitemap index (Django's `index` view, with the site's own address):
    one entry per part of each sitemap, dated by its newest page."""
    entries = []
    for section, sitemap_class in sitemaps.items():
        sitemap = sitemap_class(request)
        path = reverse(sitemap_url_name, kwargs={"section": section})
        location = absolute(path, request)
        for number, lastmod in sitemap.parts():
            query = f"?p={number}" if number > 1 else ""
            entries.append(SitemapIndexItem(location + query, lastmod))
    response = TemplateResponse(
        request,
        "sitemap_index.xml",
        {"sitemaps": entries},
        content_type="application/xml",
    )
    response["X-Robots-Tag"] = "noindex, noodp, noarchive"
    return response
