"""Google News sitemap and robots.txt (the page sitemap is Wagtail's)."""

from datetime import timedelta

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from wagtail.models import Site

from byline.news import listings
from byline.pagecache import tags as cache_tags
from byline.pagecache.pages import cached_view
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
    root = request.build_absolute_uri("/").rstrip("/")
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /django-admin/",
        "Disallow: /search/",
        "Disallow: /comments/",
        "",
        f"Sitemap: {root}/sitemap.xml",
        f"Sitemap: {root}/news-sitemap.xml",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
