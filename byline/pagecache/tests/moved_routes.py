"""The project's routes with tag pages moved to /topics/ (test_invalidation)."""

from django.urls import path

from byline.news import views as news_views
from byline.syndication import feeds
from byline.urls import urlpatterns as project

# Of two routes with one name, reverse() finds the last one.
urlpatterns = [
    *project,
    path("topics/<uslug:slug>/", news_views.tag_page, name="tag"),
    path("topics/<uslug:slug>/feed/", feeds.TagArticles(), name="tag_feed"),
    path(
        "topics/<uslug:slug>/feed/atom/",
        feeds.atom(feeds.TagArticles)(),
        name="tag_feed_atom",
    ),
]
