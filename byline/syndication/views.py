"""Google News sitemap, the sitemap index and robots.txt (the page sitemap is
Wagtail's). Every address in them is the configured site's (core/addresses.py):
Django's own index names the request's Host."""

from datetime import timedelta

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
from byline.news import listings
from byline.syndication.models import FeedSettings

NEWS_WINDOW = timedelta(days=2)
NEWS_LIMIT = 1000  # Google News reads at most this many per sitemap


@cached_view(lambda request: [cache_tags.SITE, cache_tags.home_list()])
def news_sitemap(request):
    since = timezone.now() - NEWS_WINDOW
    articles = listings.published_articles().filter(published_at__gte=since)[
        :NEWS_LIMIT
    ]
    site = Site.find_for_request(request)
    settings = FeedSettings.for_request(request)
    name = settings.publication_name or (site.site_name if site else "") or "Byline"
    return render(
        request,
        "syndication/news_sitemap.xml",
        {
            "articles": [(a, a.get_full_url(request)) for a in articles],
            "publication": name,
        },
        content_type="application/xml",
    )


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
    one entry per sitemap and per further page of it."""
    entries = []
    for section, sitemap_class in sitemaps.items():
        sitemap = sitemap_class(request)
        path = reverse(sitemap_url_name, kwargs={"section": section})
        location = absolute(path, request)
        lastmod = sitemap.get_latest_lastmod()
        entries.append(SitemapIndexItem(location, lastmod))
        for page in range(2, sitemap.paginator.num_pages + 1):
            entries.append(SitemapIndexItem(f"{location}?p={page}", lastmod))
    response = TemplateResponse(
        request,
        "sitemap_index.xml",
        {"sitemaps": entries},
        content_type="application/xml",
    )
    response["X-Robots-Tag"] = "noindex, noodp, noarchive"
    return response
