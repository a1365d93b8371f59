from django import template

from byline.related.showing import related_links

register = template.Library()


@register.inclusion_tag("related/related_block.html")
def related_articles(article):
    """Render "You may also like" for an article (one query)."""
    return {"related_links": related_links(article)}
