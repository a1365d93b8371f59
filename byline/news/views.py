"""Tag and author pages: listings that live outside Wagtail's page tree."""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from taggit.models import Tag

from byline.core import cachetags as cache_tags
from byline.core.addresses import canonical
from byline.core.cacheable import cached_view
from byline.news import keyset, listings
from byline.news.models import ArticleAuthor, Author


@cached_view(lambda request, slug: [cache_tags.tag_list(slug)], listing=True)
def tag_page(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    articles = listings.published().filter(tags=tag)
    if moved := listings.moved_page(articles, request):
        return moved
    try:
        page_obj = listings.paginate_cards(articles, request)
    except keyset.GoneCursor:
        return redirect(request.path)
    if page_obj.paginator and page_obj.paginator.count == 0:
        # A tag used only on drafts must not reveal itself.
        raise Http404("No published articles carry this tag.")
    return render(
        request,
        "news/tag_page.html",
        {
            "tag": tag,
            "page_obj": page_obj,
            "canonical_url": canonical(request, listings.address_of(page_obj)),
        },
    )


@cached_view(lambda request, slug: [cache_tags.author_list(slug)], listing=True)
def author_page(request, slug):
    author = get_object_or_404(Author.objects.select_related("photo"), slug=slug)
    # By id: an author listed twice on one byline lists the article once.
    bylines = ArticleAuthor.objects.filter(author=author).values("page_id")
    articles = listings.published().filter(pk__in=bylines)
    if moved := listings.moved_page(articles, request):
        return moved
    try:
        page_obj = listings.paginate_cards(articles, request)
    except keyset.GoneCursor:
        return redirect(request.path)
    links = list(author.links.all())
    return render(
        request,
        "news/author_page.html",
        {
            "author": author,
            "page_obj": page_obj,
            "links": links,
            "canonical_url": canonical(request, listings.address_of(page_obj)),
        },
    )
