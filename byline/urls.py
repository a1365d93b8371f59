from django.conf import settings
from django.contrib import admin
from django.http import Http404
from django.urls import include, path, re_path, register_converter
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail import views as wagtail_views
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.documents.views import serve as document_views

from byline.core.params import IdConverter, SlugConverter
from byline.core.slugs import slug_regex

# `<id:name>`: a database id, refused (404) past 64 bits. Registered before the
# apps' URLconfs below are imported, as they use it.
register_converter(IdConverter, "id")
# `<uslug:name>`: a slug in any script (tags, authors).
register_converter(SlugConverter, "uslug")

from byline.core.icons import ICONS, icon  # noqa: E402
from byline.news import urls as news_urls  # noqa: E402
from byline.search import views as search_views  # noqa: E402

# Tells a database outage (503, retry) from a bug (500); see core/errors.py.
handler500 = "byline.core.errors.server_error"


def _with_bounded_ids(patterns, replacements):
    """Wagtail's routes, those taking ids replaced by the same views with `<id:…>`.

    Its `<int:…>` and `\\d+` take any number of digits, and an id past 64 bits
    failed in the database as a 500 (security review, L11). Same names, so
    Wagtail's own `reverse()` calls still find them.
    """
    return [replacements.get(pattern.name, pattern) for pattern in patterns]


DOCUMENT_URLS = _with_bounded_ids(
    wagtaildocs_urls.urlpatterns,
    {
        "wagtaildocs_serve": path(
            "<id:document_id>/<path:document_filename>",
            document_views.serve,
            name="wagtaildocs_serve",
        ),
        "wagtaildocs_authenticate_with_password": path(
            "authenticate_with_password/<id:restriction_id>/",
            document_views.authenticate_with_password,
            name="wagtaildocs_authenticate_with_password",
        ),
    },
)


def _serve_pattern():
    """Wagtail's page route with slugs that keep their marks (core/slugs.py):
    its `[\\w\\-]+` left out the vowel signs of "नमस्ते", so a page whose
    slug has them was not routed, nor its URL reversed. The shape of
    wagtail/urls.py for its default WAGTAIL_APPEND_SLASH (True), which Byline
    keeps: path segments each ending in a slash."""
    return rf"^((?:{slug_regex()}/)*)$"


PAGE_URLS = _with_bounded_ids(
    wagtail_urls.urlpatterns,
    {
        "wagtail_serve": re_path(
            _serve_pattern(), wagtail_views.serve, name="wagtail_serve"
        ),
        "wagtailcore_authenticate_with_password": path(
            "_util/authenticate_with_password/<id:page_view_restriction_id>/"
            "<id:page_id>/",
            wagtail_views.authenticate_with_password,
            name="wagtailcore_authenticate_with_password",
        ),
    },
)

urlpatterns = [
    path("django-admin/", admin.site.urls),
    *[path(name, icon, {"name": name}, name=f"icon-{name}") for name in ICONS],
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(DOCUMENT_URLS)),
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


def serve_media(request, path):
    """An upload, for a local install; a name the file system refuses (longer
    than it allows) is no file, not a 500 (security review, L11)."""
    try:
        return serve(request, path, document_root=settings.MEDIA_ROOT)
    except OSError as exc:
        raise Http404("No such file.") from exc


if settings.SERVE_MEDIA:
    # The local install serves uploads itself; production fronts them with a
    # web server and sets SERVE_MEDIA=0.
    urlpatterns.append(re_path(r"^media/(?P<path>.*)$", serve_media))

# Wagtail's page tree serves everything else: home, sections, articles, pages.
urlpatterns.append(path("", include(PAGE_URLS)))
