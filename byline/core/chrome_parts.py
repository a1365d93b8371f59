"""The header and footer, rendered once per process for each of their variants.

Every reader page repeats them, and they depend on little: the site's chrome
(navigation, settings, footer links, the newsletter's pitch: siteconfig
values), the language, which navigation item is the current one and, for the
footer, whether the page shows the newsletter sign-up itself. Rendering them
was about a sixth of an uncached article's CPU (issue 18, budget d). Copies are
kept under siteconfig's generation, which every change to the chrome or the
newsletter settings replaces (`siteconfig.forget`), so none outlives what it
shows. Outside a request (no generation checked), and for a header that shows
a reader's search words, they are rendered each time.
"""

from django.utils import translation
from jinja2 import pass_context
from markupsafe import Markup
from wagtail.models import Site

from byline.core import siteconfig

MAX_KEPT = 512
_kept = {}


def _site_id(context):
    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    return site.pk if site is not None else None


def _header(context):
    if context.get("search_query"):
        return None  # the reader's own words: not shared
    page = context.get("page")
    current = ()
    if page is not None:
        if getattr(page, "depth", None) == 2:
            current = ("home",)
        ids = {getattr(page, "pk", None), getattr(page, "section_id", None)} - {None}
        sections = context["chrome"].nav_sections
        current += tuple(item["id"] for item in sections if item["id"] in ids)
    return (_site_id(context), current)


def _footer(context):
    page = context.get("page")
    return (_site_id(context), bool(getattr(page, "show_newsletter_signup", False)))


VARIANTS = {"chrome/header.html": _header, "chrome/footer.html": _footer}


@pass_context
def kept_chrome(context, name):
    """`{{ kept_chrome("chrome/header.html") }}`: the part, kept or rendered."""
    generation = siteconfig.request_generation()
    variant = VARIANTS[name](context) if generation is not None else None
    if variant is None:
        return _render(context, name)
    key = (generation, translation.get_language(), name, variant)
    found = _kept.get(key)
    if found is None:
        # Copies of an older generation will not be asked for again.
        if len(_kept) >= MAX_KEPT or any(old[0] != generation for old in _kept):
            _kept.clear()
        found = _kept[key] = _render(context, name)
    return found


def _render(context, name):
    template = context.environment.get_template(name)
    return Markup(template.render(context.get_all()))
