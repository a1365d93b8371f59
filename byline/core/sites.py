"""Which Wagtail site answers a request, without a query per request.

Wagtail looks the site up in the database on every request. Sites change a few
times in a site's life, so the table is kept in the cache and matched here by
the same rules (hostname and port, then hostname, then the default site), with
each root page as its specific class; `byline.core.signals` forgets it when a
site or any page other than an article changes.
"""

from django.core.exceptions import DisallowedHost
from django.http.request import split_domain_port
from wagtail.models import Site

from byline.core import siteconfig
from byline.core.internals import remember_site

CACHE_KEY = "byline:sites:v1"
ROOT_PATHS_KEY = "byline:site-root-paths:v1"
TIMEOUT = 60 * 60


def all_sites():
    return siteconfig.get(CACHE_KEY, _read_sites, TIMEOUT)


def _read_sites():
    sites = list(Site.objects.select_related("root_page").order_by("hostname"))
    for site in sites:
        # Kept as its own class: Wagtail routes every request from
        # `root_page.specific`, a query each time on a plain Page.
        site.root_page = site.root_page.specific
    return sites


def site_root_paths():
    """Wagtail's `Site.get_site_root_paths()`, kept with the site table."""
    return siteconfig.get(ROOT_PATHS_KEY, Site.get_site_root_paths, TIMEOUT)


def site_for(hostname, port):
    """Return the Site Wagtail would pick for hostname:port, or None."""
    sites = all_sites()
    named = [s for s in sites if s.hostname == hostname]
    default = next((s for s in sites if s.is_default_site), None)
    exact = next((s for s in named if s.port == port), None)
    if exact is not None:
        return exact
    if default is not None and default.hostname == hostname:
        return default
    if len(named) == 1:
        return named[0]
    return default


def forget_sites():
    siteconfig.forget(CACHE_KEY, ROOT_PATHS_KEY)


class SiteMiddleware:
    """Attach the request's Wagtail site from the cached site table."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            hostname = split_domain_port(request.get_host())[0]
        except DisallowedHost:
            # Django answers 400 to it (CommonMiddleware); no site is found.
            hostname = None
        remember_site(request, site_for(hostname, int(request.get_port())))
        return self.get_response(request)
