from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from byline.news import urls as news_urls
from byline.search import views as search_views

# Tells a database outage (503, retry) from a bug (500); see core/errors.py.
handler500 = "byline.core.errors.server_error"

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("search/", search_views.search, name="search"),
    path("search/suggest/", search_views.suggest, name="search_suggest"),
    path("comments/", include("byline.comments.urls")),
    path("", include("byline.pagecache.urls")),
    path("api/v2/", include("byline.api.urls")),
    path("newsletter/", include("byline.newsletter.urls")),
    path("", include("byline.provenance.urls")),
    path("", include("byline.syndication.urls")),
    path("", include(news_urls)),
]

if settings.SERVE_MEDIA:
    # The local install serves uploads itself; production fronts them with a
    # web server and sets SERVE_MEDIA=0.
    urlpatterns.append(
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})
    )

# Wagtail's page tree serves everything else: home, sections, articles, pages.
urlpatterns.append(path("", include(wagtail_urls)))
