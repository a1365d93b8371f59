"""Header and footer data shared by every public page, computed only when used."""

from functools import cached_property

from django.utils import timezone, translation
from wagtail.models import Site

from byline.core.chrome import get_chrome


class SiteChrome:
    """The chrome of the site serving this request, read lazily from the cache.

    Admin pages never render the public header, so they pay nothing for it.
    """

    def __init__(self, request):
        self.request = request

    @cached_property
    def _data(self):
        return get_chrome(Site.find_for_request(self.request))

    @property
    def site_name(self):
        return self._data["site_name"]

    @property
    def nav_sections(self):
        return self._data["nav"]

    @property
    def footer_pages(self):
        return self._data["footer"]

    @property
    def settings(self):
        return self._data["settings"]

    @property
    def language(self):
        """The page's language for <html lang>, in BCP 47 form ("en-GB"): scripts
        that write dates in the page (provenance/js/verify.js) write them as
        the server does."""
        code = translation.get_language() or "en"
        language, _, region = code.partition("-")
        return f"{language}-{region.upper()}" if len(region) == 2 else code

    @property
    def direction(self):
        """`rtl` for a language written right to left (Arabic, Hebrew …), else
        `ltr`: <html dir>, which the style sheet mirrors the page by."""
        return "rtl" if translation.get_language_bidi() else "ltr"

    @property
    def time_zone(self):
        """The zone the server writes times in (TIME_ZONE), for the same scripts."""
        return timezone.get_current_timezone_name()

    @property
    def policies(self):
        """Standards pages by name (ethics, corrections, …): title, url, full_url."""
        return self._data.get("policies", {})


def site_chrome(request):
    return {"chrome": SiteChrome(request)}
