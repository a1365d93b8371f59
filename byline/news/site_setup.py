"""Create the page tree a newsroom needs: a home page as the site root, and sections."""

from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from wagtail.models import Page, Site

from byline.core.slugs import slugify
from byline.news.models import HomePage, SectionPage


@transaction.atomic
def ensure_home_page():
    """Return the default site's HomePage, replacing Wagtail's welcome page."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site and isinstance(site.root_page.specific, HomePage):
        return site.root_page.specific
    home = HomePage.objects.first()
    if home is None:
        _remove_welcome_page()
        home = Page.get_first_root_node().add_child(
            instance=HomePage(
                title=settings.WAGTAIL_SITE_NAME,
                slug="home",
                intro="Independent reporting you can check.",
            )
        )
    site = Site.objects.filter(is_default_site=True).first() or _site_from_url()
    site.root_page = home
    site.site_name = settings.WAGTAIL_SITE_NAME
    site.save()
    return home


def _site_from_url():
    """A new site answers at SITE_URL, so its full URLs (canonical links, feeds,
    signed provenance records) name the address readers use."""
    url = urlsplit(settings.SITE_URL)
    default_port = 443 if url.scheme == "https" else 80
    return Site(
        hostname=url.hostname or "localhost",
        port=url.port or default_port,
        is_default_site=True,
    )


def _remove_welcome_page():
    """Delete the empty placeholder page Wagtail's first migration creates."""
    for page in Page.objects.filter(depth=2, numchild=0):
        if page.specific_class is Page:
            Site.objects.filter(root_page=page).delete()
            page.delete()


def unicode_slug(text):
    """Return the slug of a name in any script ("Общество" → "общество",
    "नमस्ते" → "नमस्ते"): letters and their marks are kept (core/slugs.py)."""
    return slugify(text)


def ensure_section(home, title, intro=""):
    """Return the section with this title under home, creating it if missing."""
    slug = unicode_slug(title)[:50] or "news"
    section = SectionPage.objects.child_of(home).filter(slug=slug).first()
    if section is None:
        section = home.add_child(
            instance=SectionPage(
                title=title, slug=slug, intro=intro, show_in_menus=True
            )
        )
    return section
