"""Google News sitemap, the sitemap index and robots.txt (the page sitemap is
in sitemaps.py). Every address in them is the configured site's (core/addresses.py):
Django's own index names the request's Host."""

from datetime import datetime, timedelta
from typing import NamedTuple

from django.contrib.sitemaps.views import SitemapIndexItem, x_robots_tag
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date
from wagtail.models import Site

from byline.core import cachetags as cache_tags
from byline.core.addresses import absolute
from byline.core.cacheable import cached_view
from byline.core.pageurls import WAGTAIL, full_links
from byline.news import listings
from byline.news.models import ArticlePage
from byline.syndication.models import FeedSettings
from byline.syndication.sitemaps import news_urlset, urlset

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
    return HttpResponse(
        news_urlset(news_articles(request), name), content_type="application/xml"
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


@x_robots_tag
def sitemap(request, sitemaps, section):
    """One part of a sitemap, `?p=N` (Django's `sitemap` view, with the XML
    written by `sitemaps.urlset`)."""
    if section not in sitemaps:
        raise Http404(f"No sitemap available for section: {section!r}")
    sitemap = sitemaps[section](request)
    try:
        urls = sitemap.get_urls(page=request.GET.get("p", 1))
    except (EmptyPage, PageNotAnInteger) as exc:
        raise Http404(str(exc)) from exc
    response = HttpResponse(urlset(urls), content_type="application/xml")
    # As Django's view: ConditionalGetMiddleware may then answer 304.
    latest = getattr(sitemap, "latest_lastmod", None)
    if latest is not None:
        response.headers["Last-Modified"] = http_date(latest.timestamp())
    return response


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
