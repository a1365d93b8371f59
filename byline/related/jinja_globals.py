"""The related app's Jinja2 global (byline/jinja.py collects it): "You may
also like" under an article."""

from django.template import engines
from jinja2 import pass_context
from markupsafe import Markup

from byline.core import cachetags as cache_tags
from byline.core.cacheable import add_tags
from byline.core.fragments import kept_part
from byline.related.showing import related_cards


@pass_context
def related_articles(context, article):
    """Render "You may also like" for an article (one query)."""
    request = context.get("request")
    # A change to a card's article reaches this page through the article's own
    # tag (invalidation bumps every page whose list shows it); a rebuild of
    # every list through this one.
    add_tags(request, cache_tags.RELATED)

    def render():
        block = engines["jinja2"].env.get_template("related/related_block.html")
        return block.render({"related_cards": related_cards(article, request)})

    # Kept between renders under the page's tags, which those above follow.
    return Markup(kept_part(request, "related", article, render))


GLOBALS = {"related_articles": related_articles}
FILTERS = {}
