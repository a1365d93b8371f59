"""The header and footer of every public page, cached per site.

Navigation, footer links and site settings change rarely and are shown on every
page, so they are read from the database once and kept in the cache until a
page or a setting changes (see `byline.core.signals`).
"""

from wagtail.models import Page

from byline.core import siteconfig
from byline.core.privacy import public

CACHE_KEY = "byline:chrome:v2:{site_id}"
TIMEOUT = 60 * 60


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
    from byline.core.models import POLICY_FIELDS, SiteSettings, StandardPage
    from byline.news.models import SectionPage

    root = site.root_page
    children = (
        public(Page.objects.live())
        .filter(path__startswith=root.path, depth=root.depth + 1)
        .order_by("path")
    )
    sections = children.type(SectionPage).filter(show_in_menus=True)
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
    from wagtail.models import Site

    siteconfig.forget(
        *[
            CACHE_KEY.format(site_id=pk)
            for pk in Site.objects.values_list("pk", flat=True)
        ]
    )
