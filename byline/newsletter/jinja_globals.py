"""The newsletter's Jinja2 globals (byline/jinja.py collects them): the short
sign-up form in the footer and on pages that offer it."""

from django.template import engines
from jinja2 import pass_context
from markupsafe import Markup
from wagtail.models import Site

from byline.core import siteconfig
from byline.newsletter.models import NewsletterSettings
from byline.newsletter.views import SignupForm

CACHE_KEY = "byline:newsletter:settings:v1:{site_id}"


def settings_for(request):
    """The site's newsletter settings, from the cache (forgotten on save)."""
    site = Site.find_for_request(request)
    if site is None:
        return None

    def read():
        found = NewsletterSettings.for_site(site)
        return {"enabled": found.enabled, "pitch": found.pitch}

    return siteconfig.get(CACHE_KEY.format(site_id=site.pk), read)


@pass_context
def newsletter_signup(context, heading_id="newsletter-heading"):
    """The short sign-up form (newsletter/footer_form.html)."""
    request = context.get("request")
    template = engines["jinja2"].env.get_template("newsletter/footer_form.html")
    return Markup(
        template.render(
            {
                "newsletter": settings_for(request) if request else None,
                "heading_id": heading_id,
                "signup_form": SignupForm,
            }
        )
    )


GLOBALS = {"newsletter_signup": newsletter_signup}
FILTERS = {}
