"""Queries behind every article listing, kept cheap at 100,000 articles.

Each listing is one indexed query plus a COUNT for pagination (LIMIT/OFFSET in
the database, never a list of the whole table), so its cost does not grow with
the archive, the tags or the authors.
"""

from django.apps import apps
from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Q, prefetch_related_objects

from byline.core.prepared import Prepared
from byline.core.privacy import public

FRONT_PAGE_LATEST = 4
FRONT_PAGE_PER_SECTION = 4


def published_articles():
    """Return live, public articles newest first, with what a card shows joined in."""
    return published_cards().prefetch_related("hero_image__renditions")


def published_cards():
    """`published_articles()` without the image renditions, for callers that
    fetch renditions for several listings at once."""
    article_model = apps.get_model("news", "ArticlePage")
    return (
        public(article_model.objects.live())
        # A card shows no body: leave the longest columns in the database.
        .defer("body", "sources", "search_description", "seo_title")
        .select_related("section", "hero_image")
        .order_by("-published_at", "-pk")
    )


def paginate(queryset, request, per_page=None):
    """Return the requested page of a queryset; bad page numbers fall back sanely."""
    paginator = Paginator(queryset, per_page or settings.NEWS_PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


def front_page(home):
    """Return the home page's top story, latest articles and section blocks.

    Section blocks skip what the top of the page already shows, so a reader
    scrolling down meets new stories rather than the same ones again.
    """
    section_model = apps.get_model("news", "SectionPage")
    articles = published_cards().filter(path__startswith=home.path)
    top = None
    if home.top_story_id:
        top = articles.filter(pk=home.top_story_id).first()
    latest = list(
        articles.exclude(pk=getattr(top, "pk", None))[: FRONT_PAGE_LATEST + 1]
    )
    if top is None and latest:
        top = latest.pop(0)
    latest = latest[:FRONT_PAGE_LATEST]
    shown = [a.pk for a in latest] + ([top.pk] if top else [])
    sections = list(public(section_model.objects.live().child_of(home).in_menu()))
    blocks = []
    if sections:
        # One query for every block: each section's newest few are picked by an
        # indexed subquery of ids, the cards fetched together (compiling a
        # card query per section cost more than running it).
        newest = Q()
        for section in sections:
            ids = (
                published_cards()
                .filter(section=section)
                .exclude(pk__in=shown)
                .values("pk")[:FRONT_PAGE_PER_SECTION]
            )
            newest |= Q(pk__in=ids)
        by_section = {}
        for article in published_cards().filter(newest):
            by_section.setdefault(article.section_id, []).append(article)
        for section in sections:
            if items := by_section.get(section.pk):
                blocks.append((section, items))
    # One renditions query for every card on the page, not one per listing.
    cards = ([top] if top else []) + latest + [a for _, items in blocks for a in items]
    prefetch_related_objects(
        [a for a in cards if a.hero_image_id], "hero_image__renditions"
    )
    return {"top_story": top, "latest": latest, "section_blocks": blocks}


def authors_of(article):
    """Return an article's authors in byline order, with their photos, in one query."""
    if article.pk and not article.article_authors.is_deferring:
        links = _BYLINE(page=article.pk)  # what every reader's page runs
    else:
        # A preview or an unsaved article holds its byline in memory.
        links = article.article_authors.all()
    # The same author added twice in the editor is shown once.
    authors = {}
    for link in links:
        authors.setdefault(link.author_id, link.author)
    return list(authors.values())


_BYLINE = Prepared(
    lambda p: (
        apps.get_model("news", "ArticleAuthor")
        .objects.filter(page_id=p.page)
        .select_related("author", "author__photo")
        .order_by("sort_order", "pk")
    )
)


_TAGS = Prepared(
    lambda p: (
        apps.get_model("taggit", "Tag")
        .objects.filter(news_articletag_items__content_object_id=p.page)
        .order_by("news_articletag_items__id")
    )
)


def tags_of(article):
    """Return an article's tags in the order they were added, in one query."""
    # A preview or an unsaved article holds its tags in memory.
    if not article.pk or article.tagged_items.is_deferring:
        return list(article.tags.all())
    return _TAGS(page=article.pk)
