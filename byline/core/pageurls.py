"""Page URLs without a URL reversal per link.

Wagtail builds every page link (`pageurl`, `page.url`) by reversing its
catch-all `wagtail_serve` route, about 50 µs a link: a home page with 25 cards
spent more on its links than on its queries. Where that route is mounted is
the same for every page, so it is reversed once and each page's URL is the
route's prefix followed by the page's path below its site's root, quoted as
`reverse` quotes it. Multi-site pages and translated sites take Wagtail's way.
"""

from urllib.parse import quote

from django.conf import settings
from django.urls import get_script_prefix, reverse
from django.urls.exceptions import NoReverseMatch
from wagtail.coreutils import WAGTAIL_APPEND_SLASH

from byline.core.sites import site_root_paths

# What `reverse` leaves unquoted in a path (RFC 3986 sub-delimiters and more).
SAFE = "/~:@!$&'()*+,;="
_route_prefix = None


def _serve_prefix():
    """The `wagtail_serve` route's prefix below the script prefix ("" when
    Wagtail serves from the root), or None when the route is not mounted."""
    global _route_prefix
    if _route_prefix is None:
        try:
            _route_prefix = reverse("wagtail_serve", args=("",))[
                len(get_script_prefix()) :
            ]
        except NoReverseMatch:
            _route_prefix = False
    return _route_prefix


WAGTAIL = object()  # "ask Wagtail": a case the shortcut does not decide


def _link_start():
    """What every page link starts with (script prefix, then the route's
    prefix), or None where Wagtail's own walk must decide."""
    prefix = _serve_prefix()
    if prefix is False or getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        return None
    return get_script_prefix() + prefix


def _url_parts(url_path, root_paths, start):
    possible_sites = [values for values in root_paths if url_path.startswith(values[1])]
    if not possible_sites:
        return None
    if len({values[0] for values in possible_sites}) > 1:
        return WAGTAIL
    site_id, root_path, root_url, _ = possible_sites[0]
    page_path = start + quote(url_path[len(root_path) :], safe=SAFE)
    if not WAGTAIL_APPEND_SLASH and page_path != "/":
        page_path = page_path.rstrip("/")
    return (site_id, root_url, page_path)


def url_parts_for_path(url_path):
    """`get_url_parts()` of the page at url_path: (site id, root URL, path), None
    if no site holds it, or WAGTAIL where Wagtail's own walk must decide."""
    start = _link_start()
    if start is None:
        return WAGTAIL
    return _url_parts(url_path, site_root_paths(), start)


def page_links(request):
    """A function giving `page.get_url(request)` for the page at a url_path,
    without the page object (listings read as rows), or WAGTAIL where Wagtail's
    own walk must decide. What every link of the request shares is worked out
    once."""
    start = _link_start()
    root_paths = site_root_paths()
    current = getattr(request, "_wagtail_site", None) if request else None
    single_site = len({values[0] for values in root_paths}) == 1

    def link(url_path):
        if start is None:
            return WAGTAIL
        parts = _url_parts(url_path, root_paths, start)
        if parts is None or parts is WAGTAIL:
            return parts
        if current is None and request is not None:
            return WAGTAIL
        site_id, root_url, page_path = parts
        if single_site or (current is not None and current.pk == site_id):
            return page_path
        return root_url + page_path

    return link


def url_for_path(url_path, request):
    """`page.get_url(request)` for the page at url_path (see page_links)."""
    return page_links(request)(url_path)


def row_links(model, request):
    """A function giving the URL of the page (pk, url_path) of `model` read as a
    row: from its path, or from the page object where Wagtail must decide."""
    link = page_links(request)

    def url(pk, url_path):
        found = link(url_path)
        if found is WAGTAIL:
            found = model.objects.get(pk=pk).get_url(request=request)
        return found

    return url


class FastPageUrls:
    """Page mixin: `get_url_parts` for the common case, Wagtail's otherwise."""

    def _get_site_root_paths(self, cache_object=None, **kwargs):
        # Kept with the cached site table (byline.core.sites), forgotten with it.
        return site_root_paths()

    def get_url_parts(self, request=None):
        parts = url_parts_for_path(self.url_path)
        if parts is WAGTAIL:
            return super().get_url_parts(request)
        return parts
