from django import template
from django.utils.safestring import mark_safe

from byline.core import siteconfig
from byline.newsletter.models import NewsletterSettings

register = template.Library()
CACHE_KEY = "byline:newsletter:settings:v1:{site_id}"


def settings_for(request):
    """The site's newsletter settings, from the cache (forgotten on save)."""
    from wagtail.models import Site

    site = Site.find_for_request(request)
    if site is None:
        return None

    def read():
        found = NewsletterSettings.for_site(site)
        return {"enabled": found.enabled, "pitch": found.pitch}

    return siteconfig.get(CACHE_KEY.format(site_id=site.pk), read)


def signup_form(request, heading_id="newsletter-heading"):
    """The short sign-up form (footer, pages that offer it), by Jinja2."""
    from django.template import engines

    template = engines["jinja2"].get_template("newsletter/footer_form.html")
    return template.render(
        {
            "newsletter": settings_for(request) if request else None,
            "heading_id": heading_id,
        }
    )


@register.simple_tag(takes_context=True)
def newsletter_signup(context, heading_id="newsletter-heading"):
    return mark_safe(signup_form(context.get("request"), heading_id))
