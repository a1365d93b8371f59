from django import template

from byline.pagecache import tags as cache_tags
from byline.pagecache.pages import add_tags
from byline.related.showing import related_links

register = template.Library()


@register.inclusion_tag("related/related_block.html", takes_context=True)
def related_articles(context, article):
    """Render "You may also like" for an article (one query)."""
    # A change to a card's article reaches this page through the article's own
    # tag (invalidation bumps every page whose list shows it); a rebuild of
    # every list through this one.
    request = context.get("request")
    add_tags(request, cache_tags.RELATED)
    # Passed on: an inclusion tag's template gets no context processors, and
    # `pageurl` without the request reads the site table anew for every card.
    return {"related_links": related_links(article), "request": request}
