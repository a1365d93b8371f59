from django import template
from django.template import engines
from django.utils.safestring import mark_safe

from byline.pagecache import tags as cache_tags
from byline.pagecache.pages import add_tags
from byline.related.showing import related_cards

register = template.Library()


@register.simple_tag(takes_context=True)
def related_articles(context, article):
    """Render "You may also like" for an article (one query; cards by Jinja2)."""
    request = context.get("request")
    # A change to a card's article reaches this page through the article's own
    # tag (invalidation bumps every page whose list shows it); a rebuild of
    # every list through this one.
    add_tags(request, cache_tags.RELATED)
    block = engines["jinja2"].env.get_template("related/related_block.html")
    html = block.render({"related_cards": related_cards(article, request)})
    return mark_safe(html)  # rendered by Jinja2 with autoescaping
