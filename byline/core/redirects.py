"""Redirects never lead a reader to a page they may not see.

Wagtail's redirects (and the WordPress `/?p=` addresses imported as redirects)
name their target page's address in `Location`. A redirect to a draft, an
unpublished page or a private one would give its address (and so its slug,
often its headline) to anyone holding the old link; such a redirect answers 404
instead, unless the reader passes the page's restrictions (a signed-in member,
a password already given).
"""

from urllib.parse import urlsplit

from django.http import Http404
from wagtail.models import Page, Site

from byline.core.privacy import is_public

REDIRECTS = (301, 302, 303, 307, 308)


class PublicRedirectsMiddleware:
    """Outside the middlewares that answer redirects (see MIDDLEWARE)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code in REDIRECTS and response.has_header("Location"):
            page = _page_at(request, response["Location"])
            if page is not None and not _may_see(page, request):
                # Raised here, Django turns it into the site's 404 page.
                raise Http404("No page here.")
        return response


def _page_at(request, location):
    target = urlsplit(location)
    site = Site.find_for_request(request)
    if site is None:
        return None
    if target.netloc and target.netloc != urlsplit(site.root_url).netloc:
        return None  # another site's page: not ours to judge
    url_path = site.root_page.url_path + target.path.lstrip("/")
    if not url_path.endswith("/"):
        url_path += "/"
    return Page.objects.filter(url_path=url_path).only("path", "live").first()


def _may_see(page, request):
    if is_public(page):
        return True
    if not page.live:
        return False
    restrictions = page.get_view_restrictions()
    return all(restriction.accept_request(request) for restriction in restrictions)
