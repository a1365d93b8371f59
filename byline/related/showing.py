"""What an article page shows under "You may also like", in one query."""

from byline.core.prepared import Prepared
from byline.related.models import RelatedLink

# Every article page runs it: compiled once (see byline.core.prepared).
LINKS = Prepared(
    lambda p: (
        RelatedLink.objects.filter(article_id=p.article, related__live=True)
        .select_related("related", "related__section", "thumbnail")
        .defer(
            "related__body",
            "related__sources",
            "related__search_description",
            "related__seo_title",
            "related__section__intro",
        )
        .order_by("rank")
    )
)


def related_links(article):
    """Return the article's stored related links with everything a card shows."""
    return LINKS(article=article.pk)


def related_ids(article_id):
    """The ids of an article's related articles, best first (for the read API)."""
    return list(
        RelatedLink.objects.filter(article_id=article_id, related__live=True)
        .order_by("rank")
        .values_list("related_id", flat=True)
    )
