from django import template

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


@register.inclusion_tag("newsletter/footer_form.html", takes_context=True)
def newsletter_signup(context, heading_id="newsletter-heading"):
    request = context.get("request")
    return {"newsletter": settings_for(request) if request else None,
            "heading_id": heading_id}  # fmt: skip
