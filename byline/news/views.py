"""Tag and author pages: listings that live outside Wagtail's page tree."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from taggit.models import Tag

from byline.core import cachetags as cache_tags
from byline.core.addresses import canonical
from byline.core.cacheable import cached_view
from byline.news import listings
from byline.news.models import ArticleAuthor, Author


@cached_view(lambda request, slug: [cache_tags.tag_list(slug)], listing=True)
def tag_page(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    page_obj = listings.paginate_cards(listings.published().filter(tags=tag), request)
    if page_obj.paginator.count == 0:
        # A tag used only on drafts must not reveal itself.
        raise Http404("No published articles carry this tag.")
    return render(
        request,
        "news/tag_page.html",
        {
            "tag": tag,
            "page_obj": page_obj,
            "canonical_url": canonical(request, page_obj.number),
        },
    )


@cached_view(lambda request, slug: [cache_tags.author_list(slug)], listing=True)
def author_page(request, slug):
    author = get_object_or_404(Author.objects.select_related("photo"), slug=slug)
    # By id: an author listed twice on one byline lists the article once.
    bylines = ArticleAuthor.objects.filter(author=author).values("page_id")
    page_obj = listings.paginate_cards(
        listings.published().filter(pk__in=bylines), request
    )
    links = list(author.links.all())
    return render(
        request,
        "news/author_page.html",
        {
            "author": author,
            "page_obj": page_obj,
            "links": links,
            "canonical_url": canonical(request, page_obj.number),
        },
    )
