"""The site's absolute addresses: from the configured site, never from a request.

A request's Host header is the client's to choose (ALLOWED_HOSTS checks the
name, not the port), and a page is kept by caches and proxies and served to
every reader after it. So a canonical link, a feed, a sitemap, a signed record
or a mail link built from `request.build_absolute_uri()` lets one request
choose the links every later reader gets. Every absolute URL is instead the
Wagtail site's root URL plus a path; a request only picks which site (by
Wagtail's own rules), and the default site's address is SITE_URL, written into
it by `migrate` (`sync_default_site`; without SITE_URL in the environment, only
over Wagtail's placeholder, so an address chosen in the admin stays).
"""

from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.encoding import escape_uri_path, iri_to_uri
from wagtail.models import Site

from byline.core.sites import all_sites


def root_url(request=None):
    """The address of the request's site (the default site without one), with
    no trailing slash; SITE_URL before any site exists."""
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        site = next((s for s in all_sites() if s.is_default_site), None)
    return site.root_url if site is not None else settings.SITE_URL


def absolute(path, request=None):
    """The absolute URL of a path on the site (a URL already absolute, such as
    a picture on object storage, is returned as it is)."""
    if path.startswith(("http://", "https://")):
        return path
    return root_url(request) + iri_to_uri(path)


def canonical(request, page=1):
    """A listing's own address: its path and its page number past the first
    (or the `before=` that names a page past the numbered ones), nothing else
    from the query (no utm_source in a canonical link)."""
    if isinstance(page, dict):
        query = "?" + urlencode(page)
    else:
        query = "?" + urlencode({"page": page}) if page > 1 else ""
    return absolute(escape_uri_path(request.path) + query, request)


def site_address():
    """(hostname, port) of SITE_URL, as a Wagtail site holds them."""
    parts = urlsplit(settings.SITE_URL)
    return parts.hostname, parts.port or (443 if parts.scheme == "https" else 80)


# The address Wagtail's first migration gives the default site: nobody chose it.
PLACEHOLDER = ("localhost", 80)


def sync_default_site(using="default", unless_chosen=False):
    """Give the default Wagtail site the address in SITE_URL (with
    `unless_chosen`, only if it still has Wagtail's placeholder). Return True if
    it changed (the site's save makes every cache forget the old address)."""
    hostname, port = site_address()
    sites = Site.objects.using(using)
    site = sites.filter(is_default_site=True).first()
    if site is None or (site.hostname, site.port) == (hostname, port):
        return False
    if unless_chosen and (site.hostname, site.port) != PLACEHOLDER:
        return False
    if sites.filter(hostname=hostname, port=port).exclude(pk=site.pk).exists():
        raise ImproperlyConfigured(
            f"SITE_URL={settings.SITE_URL} is already the address of another "
            "Wagtail site (Settings → Sites); give the default site another "
            "address there or change SITE_URL."
        )
    site.hostname, site.port = hostname, port
    site.save(using=using)
    return True
