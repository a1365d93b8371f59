from django import template

from byline.pagecache import tags as cache_tags
from byline.pagecache.pages import add_tags
from byline.related.showing import related_links

register = template.Library()


@register.inclusion_tag("related/related_block.html", takes_context=True)
def related_articles(context, article):
    """Render "You may also like" for an article (one query)."""
    links = related_links(article)
    # A cached article page goes stale when a card it shows changes.
    add_tags(
        context.get("request"),
        cache_tags.RELATED,
        *(cache_tags.page(link.related_id) for link in links),
    )
    return {"related_links": links}
