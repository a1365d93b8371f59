"""The site search page and its JSON form (DESIGN.md)."""

from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import render

from byline.search.engine import MAX_QUERY_LENGTH, search_articles

PAGE_SIZE = 20


def search(request):
    query = " ".join(request.GET.get("q", "").split())[:MAX_QUERY_LENGTH]
    page_obj = Paginator(search_articles(query), PAGE_SIZE).get_page(request.GET.get("page"))
    if request.GET.get("format") == "json":
        return JsonResponse(
            {
                "query": query,
                "total": page_obj.paginator.count,
                "results": [
                    {
                        "id": article.pk,
                        "source_id": article.source_id,
                        "title": article.title,
                        "url": article.get_url(request),
                        "snippet": article.standfirst,
                        "score": getattr(article, "_score", None),
                    }
                    for article in page_obj
                ],
            }
        )
    return render(
        request,
        "search/search.html",
        {"search_query": query, "page_obj": page_obj},
    )
