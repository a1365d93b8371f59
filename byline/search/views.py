"""The site search page: Wagtail search over live, public articles."""

import re

from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import render

from byline.news.models import ArticlePage

MAX_QUERY_LENGTH = 200
PAGE_SIZE = 20


WORD = re.compile(r"\w+")


def search_terms(query):
    """Return the words of a query, lower-cased, with search-engine syntax removed.

    Quotes, stars, colons and upper-case OR/NEAR mean something to SQLite FTS5
    and PostgreSQL; a reader typing them must get results, not an error.
    """
    return " ".join(WORD.findall(query.lower()))[:MAX_QUERY_LENGTH]


def search(request):
    query = " ".join(request.GET.get("q", "").split())[:MAX_QUERY_LENGTH]
    terms = search_terms(query)
    results = ArticlePage.objects.none()
    if terms:
        results = (
            ArticlePage.objects.live()
            .public()
            .select_related("section")
            .search(terms, operator="or")
        )
    page_obj = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
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
