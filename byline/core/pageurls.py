"""Card links from a page's `url_path`, without the page object.

Listings read articles as rows (`byline.news.cards`), so there is no page whose
`get_url` could be asked. `row_links` gives what `page.get_url(request)` gives,
from the row's `url_path` and the site root paths Wagtail publishes
(`Site.get_site_root_paths()`): the `wagtail_serve` route's prefix (reversed
once) followed by the path below the site's root, quoted as `reverse` quotes
it. Where that is not enough to decide (a page under several sites, translated
sites, no such route) the page object is fetched and Wagtail's own `get_url`
answers. Pages themselves keep Wagtail's `get_url_parts` untouched.
"""

from urllib.parse import quote

from django.conf import settings
from django.urls import get_script_prefix, reverse
from django.urls.exceptions import NoReverseMatch
from wagtail.coreutils import WAGTAIL_APPEND_SLASH
from wagtail.models import Site

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
    if prefix is False or settings.WAGTAIL_I18N_ENABLED:
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


def page_links(request):
    """A function giving `page.get_url(request)` for the page at a url_path,
    or WAGTAIL where Wagtail's own walk must decide. What every link of the
    request shares is worked out once."""
    start = _link_start()
    root_paths = site_root_paths()
    current = Site.find_for_request(request) if request is not None else None
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


def full_links(request):
    """A function giving `page.get_full_url(request)` for the page at a
    url_path (None where no site holds it), or WAGTAIL where Wagtail's own
    walk must decide."""
    start = _link_start()
    root_paths = site_root_paths()

    def link(url_path):
        if start is None:
            return WAGTAIL
        parts = _url_parts(url_path, root_paths, start)
        if parts is None or parts is WAGTAIL:
            return parts
        _, root_url, page_path = parts
        return root_url + page_path

    return link


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
