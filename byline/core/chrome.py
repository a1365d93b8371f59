"""The header and footer of every public page, cached per site.

Navigation, footer links and site settings change rarely and are shown on every
page, so they are read from the database once and kept in the cache until a
page or a setting changes (see `byline.core.signals`).

Core imports no app above it, so the apps that define page types name them
through two Wagtail hooks, each returning a list of page models:

- `byline_nav_page_types`: the pages listed in the header navigation (a site
  root's children shown in menus), such as news's sections;
- `byline_pages_outside_chrome`: pages that never show in the header or
  footer, such as articles, whose changes leave the cached chrome as it is.
"""

from wagtail import hooks
from wagtail.models import Page, Site

from byline.core import siteconfig
from byline.core.models import POLICY_FIELDS, SiteSettings, StandardPage
from byline.core.privacy import public

CACHE_KEY = "byline:chrome:v2:{site_id}"
TIMEOUT = 60 * 60
NAV_PAGE_TYPES = "byline_nav_page_types"
PAGES_OUTSIDE_CHROME = "byline_pages_outside_chrome"


def page_types(hook_name):
    """Return the page models that the apps name through the hook `hook_name`."""
    return tuple(model for found in hooks.get_hooks(hook_name) for model in found())


def get_chrome(site):
    """Return the navigation, footer pages and settings of a site as plain data."""
    if site is None:
        return {
            "nav": [],
            "footer": [],
            "settings": {},
            "policies": {},
            "site_name": "Byline",
        }
    return siteconfig.get(
        CACHE_KEY.format(site_id=site.pk), lambda: build_chrome(site), TIMEOUT
    )


def build_chrome(site):
    root = site.root_page
    children = (
        public(Page.objects.live())
        .filter(path__startswith=root.path, depth=root.depth + 1)
        .order_by("path")
    )
    nav_types = page_types(NAV_PAGE_TYPES)
    sections = (
        children.type(*nav_types).filter(show_in_menus=True)
        if nav_types
        else children.none()
    )
    footer = (
        public(StandardPage.objects.live())
        .filter(path__startswith=root.path, show_in_footer=True)
        .order_by("path")
    )
    site_settings = SiteSettings.for_site(site)
    policy_ids = {name: getattr(site_settings, f"{name}_id") for name in POLICY_FIELDS}
    policy_pages = public(Page.objects.live()).in_bulk(
        [pk for pk in policy_ids.values() if pk]
    )
    policies = {}
    for name, pk in policy_ids.items():
        if pk in policy_pages:
            page = policy_pages[pk]
            policies[name.removesuffix("_page")] = {
                "title": page.title,
                "url": page.get_url(current_site=site),
                "full_url": page.get_full_url(),
            }
    return {
        "site_name": site.site_name or "Byline",
        "nav": [
            {"id": p.pk, "title": p.title, "url": p.get_url(current_site=site)}
            for p in sections.only("id", "title", "url_path", "path", "depth")
        ],
        "footer": [
            {"title": p.title, "url": p.get_url(current_site=site)}
            for p in footer.only("id", "title", "url_path", "path")
        ],
        "settings": {
            "tagline": site_settings.tagline,
            "about_blurb": site_settings.about_blurb,
            "social_links": site_settings.social_links(),
        },
        "policies": policies,
    }


def invalidate_chrome():
    """Forget the cached chrome of every site."""
    siteconfig.forget(
        *[
            CACHE_KEY.format(site_id=pk)
            for pk in Site.objects.values_list("pk", flat=True)
        ]
    )
