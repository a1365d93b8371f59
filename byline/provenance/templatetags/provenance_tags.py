from django import template
from django.utils.safestring import mark_safe

from byline.provenance.showing import provenance_of

register = template.Library()


@register.simple_tag
def article_provenance(article):
    """`{% article_provenance page as provenance %}`: records, mark and notes."""
    return provenance_of(article)


@register.simple_tag(takes_context=True)
def article_head(context, article, provenance):
    """JSON-LD, OpenGraph and Twitter card tags for an article's <head>."""
    from wagtail.models import Site

    from byline.provenance.structured_data import article_data, json_ld, social_tags

    request = context["request"]
    chrome = context["chrome"]
    image_url = image_alt = ""
    if article.hero_image_id:
        rendition = article.hero_image.get_rendition("width-1440")
        image_url, image_alt = rendition.url, rendition.alt
    data = article_data(
        article,
        request,
        authors=context.get("authors", []),
        tags=context.get("article_tags", []),
        chrome=chrome,
        site=Site.find_for_request(request),
        image_url=image_url,
        notes=provenance.corrections,
    )
    social = social_tags(
        article,
        request,
        site_name=chrome.site_name,
        image_url=image_url,
        image_alt=image_alt,
    )
    return json_ld(data) + mark_safe("\n  ") + social
