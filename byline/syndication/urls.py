from django.urls import path, re_path

from byline.core import cachetags as cache_tags
from byline.core.cacheable import cached_view
from byline.core.slugs import slug_regex
from byline.syndication import feeds, views
from byline.syndication.sitemaps import PageSitemap

SITEMAPS = {"pages": PageSitemap}
# Sitemaps list every public page, so any publication changes them.
_cached_sitemap = cached_view(
    lambda request, **kwargs: [cache_tags.SITE, cache_tags.home_list()]
)

urlpatterns = [
    path("feed/", feeds.LatestArticles(), name="feed"),
    path("feed/atom/", feeds.atom(feeds.LatestArticles)(), name="feed_atom"),
    path("tags/<uslug:slug>/feed/", feeds.TagArticles(), name="tag_feed"),
    path(
        "tags/<uslug:slug>/feed/atom/",
        feeds.atom(feeds.TagArticles)(),
        name="tag_feed_atom",
    ),
    path("authors/<uslug:slug>/feed/", feeds.AuthorArticles(), name="author_feed"),
    path(
        "authors/<uslug:slug>/feed/atom/",
        feeds.atom(feeds.AuthorArticles)(),
        name="author_feed_atom",
    ),
    path(
        "sitemap.xml",
        _cached_sitemap(views.sitemap_index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        _cached_sitemap(views.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
    path("news-sitemap.xml", views.news_sitemap, name="news_sitemap"),
    path("robots.txt", views.robots, name="robots"),
    # Sections are pages; their feeds sit under them, as on WordPress. Last, so
    # the fixed addresses above win.
    re_path(
        rf"^(?P<section>{slug_regex()})/feed/$",
        feeds.SectionArticles(),
        name="section_feed",
    ),
    re_path(
        rf"^(?P<section>{slug_regex()})/feed/atom/$",
        feeds.atom(feeds.SectionArticles)(),
        name="section_feed_atom",
    ),
]
